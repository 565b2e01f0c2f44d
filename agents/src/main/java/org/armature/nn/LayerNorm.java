package org.armature.nn;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Layer normalisation over the feature dimension (Ba, Kiros &amp; Hinton 2016):
 * {@code y = (x - mean) / sqrt(var + eps) * gamma + beta}, biased variance, gamma = 1 and beta = 0 at start
 * (PyTorch {@code nn.LayerNorm} defaults, eps = 1e-5).
 */
public final class LayerNorm implements Layer {

    /** PyTorch nn.LayerNorm default. */
    public static final double DEFAULT_EPS = 1e-5;

    private final int size;
    private final double eps;
    private final Param gamma;
    private final Param beta;
    private final BatchBuffers outs;
    private final BatchBuffers xhats;
    private final BatchBuffers invStds;
    private final BatchBuffers inGrads;
    private Mat lastXhat;
    private Mat lastInvStd;

    public LayerNorm(int size, double eps, DataType dtype) {
        this.size = size;
        this.eps = eps;
        this.gamma = new Param("gamma", dtype, 1, size);
        this.beta = new Param("beta", dtype, 1, size);
        gamma.value().fill(1.0);
        this.outs = new BatchBuffers(dtype, size);
        this.xhats = new BatchBuffers(dtype, size);
        this.invStds = new BatchBuffers(DataType.DOUBLE, 1);
        this.inGrads = new BatchBuffers(dtype, size);
    }

    public double eps() {
        return eps;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public Mat forward(Mat x, boolean training) {
        int rows = x.rows;
        Mat y = outs.get(rows);
        Mat xh = xhats.get(rows);
        Mat inv = invStds.get(rows);
        x.toHost();
        Mat g = gamma.value().toHost();
        Mat b = beta.value().toHost();
        for (int r = 0; r < rows; r++) {
            int o = r * size;
            double mean = 0;
            for (int c = 0; c < size; c++) {
                mean += x.get(o + c);
            }
            mean /= size;
            double var = 0;
            for (int c = 0; c < size; c++) {
                double dlt = x.get(o + c) - mean;
                var += dlt * dlt;
            }
            var /= size;
            double is = 1.0 / Math.sqrt(var + eps);
            inv.set(r, is);
            for (int c = 0; c < size; c++) {
                double h = (x.get(o + c) - mean) * is;
                xh.set(o + c, h);
                y.set(o + c, h * g.get(c) + b.get(c));
            }
        }
        y.hostWritten();
        xh.hostWritten();
        inv.hostWritten();
        lastXhat = xh;
        lastInvStd = inv;
        return y;
    }

    @Override
    public Mat backward(Mat dy, boolean paramGrads, boolean inputGrad) {
        int rows = dy.rows;
        Mat xh = lastXhat;
        Mat inv = lastInvStd;
        dy.toHost();
        Mat g = gamma.value().toHost();
        if (paramGrads) {
            Mat gg = gamma.grad().toHost();
            Mat bg = beta.grad().toHost();
            for (int r = 0; r < rows; r++) {
                int o = r * size;
                for (int c = 0; c < size; c++) {
                    double d = dy.get(o + c);
                    gg.set(c, gg.get(c) + d * xh.get(o + c));
                    bg.set(c, bg.get(c) + d);
                }
            }
            gg.hostWritten();
            bg.hostWritten();
        }
        if (!inputGrad) {
            return null;
        }
        Mat dx = inGrads.get(rows);
        for (int r = 0; r < rows; r++) {
            int o = r * size;
            double meanD = 0;
            double meanDx = 0;
            for (int c = 0; c < size; c++) {
                double dh = dy.get(o + c) * g.get(c);
                meanD += dh;
                meanDx += dh * xh.get(o + c);
            }
            meanD /= size;
            meanDx /= size;
            double is = inv.get(r);
            for (int c = 0; c < size; c++) {
                double dh = dy.get(o + c) * g.get(c);
                dx.set(o + c, is * (dh - meanD - xh.get(o + c) * meanDx));
            }
        }
        dx.hostWritten();
        return dx;
    }

    @Override
    public List<Param> params() {
        return List.of(gamma, beta);
    }

    @Override
    public LayerSpec spec() {
        return new LayerSpec("layer_norm", size, size, null, eps);
    }
}
