package org.armature.nn;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Fully connected layer {@code y = x W + b} with {@code W: in x out}, {@code b: 1 x out}.
 * Initialisation follows PyTorch's {@code nn.Linear.reset_parameters} (what CleanRL's SAC/TD3 use): W and b
 * uniform in {@code [-1/sqrt(in), 1/sqrt(in)]}.
 */
public final class Linear implements Layer {

    private final int in;
    private final int out;
    private final Param weight;
    private final Param bias;
    private final BatchBuffers outs;
    private final BatchBuffers inGrads;
    private Mat lastInput;
    private final BatchBuffers ones;

    public Linear(int in, int out, DataType dtype, Rng rng) {
        this.in = in;
        this.out = out;
        this.weight = new Param("weight", dtype, in, out);
        this.bias = new Param("bias", dtype, 1, out);
        this.outs = new BatchBuffers(dtype, out);
        this.inGrads = new BatchBuffers(dtype, in);
        this.ones = new BatchBuffers(n -> Mat.zeros(dtype, 1, n).fill(1.0));
        double bound = 1.0 / Math.sqrt(in); // PyTorch nn.Linear default init
        Mat w = weight.value();
        for (int i = 0; i < in * out; i++) {
            w.set(i, (2 * rng.nextDouble() - 1) * bound);
        }
        w.hostWritten();
        Mat b = bias.value();
        for (int j = 0; j < out; j++) {
            b.set(j, (2 * rng.nextDouble() - 1) * bound);
        }
        b.hostWritten();
    }

    /**
     * Re-initialises as {@code torch.nn.init.orthogonal_(weight, gain)} with a zero bias (the initialisation of
     * CORL's {@code orthogonal_init}, after Saxe et al. 2014): a Gaussian matrix is orthonormalised (Gram-Schmidt in
     * double precision, which is QR with a positive diagonal of R, PyTorch's sign convention), so W has orthonormal
     * columns when {@code in >= out} and orthonormal rows otherwise, times {@code gain}.
     */
    public void initOrthogonal(double gain, Rng rng) {
        int tall = Math.max(in, out);
        int wide = Math.min(in, out);
        double[][] q = new double[wide][tall]; // q[c] = column c of a tall x wide matrix
        for (int c = 0; c < wide; c++) {
            for (int r = 0; r < tall; r++) {
                q[c][r] = rng.nextGaussian();
            }
        }
        for (int c = 0; c < wide; c++) {
            for (int p = 0; p < c; p++) { // modified Gram-Schmidt
                double dot = 0;
                for (int r = 0; r < tall; r++) {
                    dot += q[p][r] * q[c][r];
                }
                for (int r = 0; r < tall; r++) {
                    q[c][r] -= dot * q[p][r];
                }
            }
            double norm = 0;
            for (int r = 0; r < tall; r++) {
                norm += q[c][r] * q[c][r];
            }
            norm = Math.sqrt(norm);
            for (int r = 0; r < tall; r++) {
                q[c][r] /= norm;
            }
        }
        Mat w = weight.value().toHost();
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < out; j++) {
                // W is in x out: the tall matrix itself when in >= out, its transpose otherwise
                w.set(i * out + j, gain * (in >= out ? q[j][i] : q[i][j]));
            }
        }
        w.hostWritten();
        Mat b = bias.value().toHost();
        for (int j = 0; j < out; j++) {
            b.set(j, 0.0);
        }
        b.hostWritten();
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int outputSize() {
        return out;
    }

    @Override
    public Mat forward(Mat x, boolean training) {
        if (x.cols != in) {
            throw new IllegalArgumentException("Linear expects " + in + " input features, got " + x.cols);
        }
        Mat y = outs.get(x.rows);
        Kernels.broadcastRows(bias.value(), y);                 // y[r, :] = b
        Mat.gemm(x, false, weight.value(), false, y, 1.0, 1.0); // y += x W
        lastInput = x;
        return y;
    }

    @Override
    public Mat backward(Mat dy, boolean paramGrads, boolean inputGrad) {
        Mat x = lastInput;
        if (paramGrads) {
            Mat.gemm(x, true, dy, false, weight.grad(), 1.0, 1.0); // dW += x^T dy
            Mat.gemm(ones.get(dy.rows), false, dy, false, bias.grad(), 1.0, 1.0); // db += 1^T dy
        }
        if (!inputGrad) {
            return null;
        }
        Mat dx = inGrads.get(dy.rows);
        Mat.gemm(dy, false, weight.value(), true, dx, 1.0, 0.0); // dx = dy W^T
        return dx;
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    @Override
    public LayerSpec spec() {
        return new LayerSpec("linear", in, out, null, null);
    }
}
