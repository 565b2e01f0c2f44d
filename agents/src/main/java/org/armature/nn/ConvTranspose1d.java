package org.armature.nn;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Transposed 1-D convolution (PyTorch's {@code nn.ConvTranspose1d}, the adjoint of a strided {@link Conv1d}) on
 * channels-last sequences: input step {@code i} adds {@code x[b, i, :] · W[:, j·cout + o]} to output step
 * {@code i·stride − pad + j}; output length {@code (L − 1)·stride − 2·pad + k}. Diffusion Policy's {@code Upsample1d}
 * is {@code k = 4, stride 2, pad 1}, which doubles the length.
 *
 * <p>The weight is stored {@code cin x (k · cout)}; PyTorch's {@code [cin, cout, k]} weight maps to it as
 * {@code W[c, j·cout + o] = weight[c, o, j]}. Forward is one {@link Mat#gemm} ({@code cols = x W}, every input
 * step's contribution to its {@code k} output steps) and a scatter-add (col2im); backward gathers the output
 * gradient (im2col, {@link Im2col#gather}) and runs two products.
 *
 * <p>Initialisation follows PyTorch's {@code _ConvNd.reset_parameters}: weight and bias uniform in {@code ±1/√fan_in}
 * with fan_in computed from the {@code [cin, cout, k]} weight's dimension 1, i.e. {@code cout · k}.
 */
public final class ConvTranspose1d implements SequenceLayer {

    private final int cin;
    private final int cout;
    private final int k;
    private final int stride;
    private final int pad;
    private final Param weight;
    private final Param bias;
    private final BatchBuffers outs;
    private final BatchBuffers columns;
    private final BatchBuffers inGrads;
    private final BatchBuffers ones;
    private Mat lastInput;
    private Mat lastCols;
    private int lastBatch;

    public ConvTranspose1d(int cin, int cout, int kernel, int stride, int padding, DataType dtype, Rng rng) {
        if (cin <= 0 || cout <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("ConvTranspose1d: need positive channels, kernel and stride and padding"
                    + " >= 0, got cin " + cin + ", cout " + cout + ", kernel " + kernel + ", stride " + stride
                    + ", padding " + padding);
        }
        this.cin = cin;
        this.cout = cout;
        this.k = kernel;
        this.stride = stride;
        this.pad = padding;
        this.weight = new Param("weight", dtype, cin, kernel * cout);
        this.bias = new Param("bias", dtype, 1, cout);
        this.outs = new BatchBuffers(dtype, cout);
        this.columns = new BatchBuffers(dtype, kernel * cout);
        this.inGrads = new BatchBuffers(dtype, cin);
        this.ones = new BatchBuffers(n -> Mat.zeros(dtype, 1, n).fill(1.0));
        double bound = 1.0 / Math.sqrt(cout * kernel); // PyTorch: fan_in = weight.size(1) * k = cout * k
        Conv1d.uniform(weight.value(), bound, rng);
        Conv1d.uniform(bias.value(), bound, rng);
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
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
        int n = (inputLength - 1) * stride - 2 * pad + k;
        if (n <= 0) {
            throw new IllegalArgumentException("ConvTranspose1d: input length " + inputLength + " gives no output");
        }
        return n;
    }

    @Override
    public Mat forward(Mat x, int batch) {
        if (x.cols != cin || x.rows % batch != 0) {
            throw new IllegalArgumentException("ConvTranspose1d expects (batch · L) x " + cin + " with batch " + batch
                    + ", got " + x.rows + "x" + x.cols);
        }
        int len = x.rows / batch;
        int lenOut = outputLength(len);
        Mat cols = columns.get(x.rows);
        Mat.gemm(x, false, weight.value(), false, cols, 1.0, 0.0);          // cols = x W
        Mat y = outs.get(batch * lenOut);
        Kernels.broadcastRows(bias.value(), y);
        Im2col.scatterAdd(cols, len, y, lenOut, batch, cout, k, stride, pad); // col2im
        lastInput = x;
        lastCols = cols;
        lastBatch = batch;
        return y;
    }

    @Override
    public Mat backward(Mat dy, boolean paramGrads, boolean inputGrad) {
        Mat x = lastInput;
        int len = x.rows / lastBatch;
        Mat dcols = lastCols; // the forward's columns are dead after forward: reuse them for the gradient
        Im2col.gather(dy, dy.rows / lastBatch, dcols, len, lastBatch, cout, k, stride, pad);
        if (paramGrads) {
            Mat.gemm(x, true, dcols, false, weight.grad(), 1.0, 1.0);             // dW += x^T dcols
            Mat.gemm(ones.get(dy.rows), false, dy, false, bias.grad(), 1.0, 1.0); // db += 1^T dy
        }
        if (!inputGrad) {
            return null;
        }
        Mat dx = inGrads.get(x.rows);
        Mat.gemm(dcols, false, weight.value(), true, dx, 1.0, 0.0);               // dx = dcols W^T
        return dx;
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }
}
