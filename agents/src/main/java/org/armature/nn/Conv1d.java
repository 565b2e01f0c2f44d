package org.armature.nn;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * 1-D convolution (cross-correlation, as PyTorch's {@code nn.Conv1d}) on channels-last sequences
 * ({@link SequenceLayer}): {@code y[b, t, o] = bias[o] + Σ_{j, c} x[b, t·stride − pad + j, c] · W[j·cin + c, o]},
 * zero padding, output length {@code (L + 2·pad − k) / stride + 1}.
 *
 * <p>The weight is stored {@code (k · cin) x cout}; PyTorch's {@code [cout, cin, k]} weight maps to it as
 * {@code W[j·cin + c, o] = weight[o, c, j]}. Forward is im2col ({@link Im2col#gather}, a memory copy per output
 * step) and one {@link Mat#gemm} over all {@code batch · L_out} output steps; backward is two products and the
 * adjoint scatter (col2im). A 1x1 convolution with stride 1 and no padding multiplies the input directly.
 *
 * <p>Initialisation follows PyTorch's {@code _ConvNd.reset_parameters} (Kaiming-uniform with {@code a = √5}):
 * weight and bias uniform in {@code ±1/√(cin · k)}.
 */
public final class Conv1d implements SequenceLayer {

    private final int cin;
    private final int cout;
    private final int k;
    private final int stride;
    private final int pad;
    private final boolean pointwise;
    private final Param weight;
    private final Param bias;
    private final BatchBuffers outs;
    private final BatchBuffers columns;
    private final BatchBuffers columnGrads;
    private final BatchBuffers inGrads;
    private final BatchBuffers ones;
    private Mat lastCols;
    private int lastBatch;
    private int lastLen;

    public Conv1d(int cin, int cout, int kernel, int stride, int padding, DataType dtype, Rng rng) {
        if (cin <= 0 || cout <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv1d: need positive channels, kernel and stride and padding >= 0, got"
                    + " cin " + cin + ", cout " + cout + ", kernel " + kernel + ", stride " + stride + ", padding "
                    + padding);
        }
        this.cin = cin;
        this.cout = cout;
        this.k = kernel;
        this.stride = stride;
        this.pad = padding;
        this.pointwise = kernel == 1 && stride == 1 && padding == 0;
        this.weight = new Param("weight", dtype, kernel * cin, cout);
        this.bias = new Param("bias", dtype, 1, cout);
        this.outs = new BatchBuffers(dtype, cout);
        this.columns = new BatchBuffers(dtype, kernel * cin);
        this.columnGrads = new BatchBuffers(dtype, kernel * cin);
        this.inGrads = new BatchBuffers(dtype, cin);
        this.ones = new BatchBuffers(n -> Mat.zeros(dtype, 1, n).fill(1.0));
        double bound = 1.0 / Math.sqrt(cin * kernel); // PyTorch: fan_in = cin * k
        uniform(weight.value(), bound, rng);
        uniform(bias.value(), bound, rng);
    }

    static void uniform(Mat m, double bound, Rng rng) {
        m.toHost();
        for (int i = 0; i < m.length(); i++) {
            m.set(i, (2 * rng.nextDouble() - 1) * bound);
        }
        m.hostWritten();
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    public int kernelSize() {
        return k;
    }

    @Override
    public int inChannels() {
        return cin;
    }

    @Override
    public int outChannels() {
        return cout;
    }

    @Override
    public int outputLength(int inputLength) {
        int n = inputLength + 2 * pad - k;
        if (n < 0) {
            throw new IllegalArgumentException("Conv1d: input length " + inputLength + " is shorter than the kernel "
                    + k + " with padding " + pad);
        }
        return n / stride + 1;
    }

    @Override
    public Mat forward(Mat x, int batch) {
        if (x.cols != cin || x.rows % batch != 0) {
            throw new IllegalArgumentException("Conv1d expects (batch · L) x " + cin + " with batch " + batch + ", got "
                    + x.rows + "x" + x.cols);
        }
        int len = x.rows / batch;
        int lenOut = outputLength(len);
        Mat cols = x;
        if (!pointwise) {
            cols = columns.get(batch * lenOut);
            Im2col.gather(x, len, cols, lenOut, batch, cin, k, stride, pad);
        }
        Mat y = outs.get(batch * lenOut);
        Kernels.broadcastRows(bias.value(), y);                    // y[r, :] = b
        Mat.gemm(cols, false, weight.value(), false, y, 1.0, 1.0); // y += cols W
        lastCols = cols;
        lastBatch = batch;
        lastLen = len;
        return y;
    }

    @Override
    public Mat backward(Mat dy, boolean paramGrads, boolean inputGrad) {
        if (paramGrads) {
            Mat.gemm(lastCols, true, dy, false, weight.grad(), 1.0, 1.0);          // dW += cols^T dy
            Mat.gemm(ones.get(dy.rows), false, dy, false, bias.grad(), 1.0, 1.0); // db += 1^T dy
        }
        if (!inputGrad) {
            return null;
        }
        Mat dx = inGrads.get(lastBatch * lastLen);
        if (pointwise) {
            Mat.gemm(dy, false, weight.value(), true, dx, 1.0, 0.0);              // dx = dy W^T
            return dx;
        }
        Mat dcols = columnGrads.get(dy.rows);
        Mat.gemm(dy, false, weight.value(), true, dcols, 1.0, 0.0);               // dcols = dy W^T
        Im2col.zero(dx);
        Im2col.scatterAdd(dcols, dy.rows / lastBatch, dx, lastLen, lastBatch, cin, k, stride, pad); // col2im
        return dx;
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }
}
