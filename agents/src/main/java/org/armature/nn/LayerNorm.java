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
        if (!x.isDouble()) {
            forwardFloat(x, y, xh, inv, rows);
            lastXhat = xh;
            lastInvStd = inv;
            return y;
        }
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

    // float32 fast path: the rows are copied into heap arrays (bulk copies), the element-wise loops run there, where
    // C2 vectorises them (it does not vectorise loops over off-heap memory); reductions stay in double precision
    private float[] xs = new float[0];
    private float[] hs = new float[0];
    private float[] ys = new float[0];
    private float[] gs = new float[0];
    private float[] bs = new float[0];
    private float[] invs = new float[0];
    private float[] ggs = new float[0];
    private float[] bgs = new float[0];

    private static float[] fit(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }

    private void forwardFloat(Mat x, Mat y, Mat xh, Mat inv, int rows) {
        int n = rows * size;
        xs = fit(xs, n);
        hs = fit(hs, n);
        ys = fit(ys, n);
        invs = fit(invs, rows);
        gs = fit(gs, size);
        bs = fit(bs, size);
        x.get(0, xs, 0, n);
        gamma.value().toHost().get(0, gs, 0, size);
        beta.value().toHost().get(0, bs, 0, size);
        for (int r = 0; r < rows; r++) {
            int o = r * size;
            float mean = (float) (sum(xs, o, size) / size);
            float is = (float) (1.0 / Math.sqrt(squaredDeviations(xs, o, size, mean) / size + eps));
            invs[r] = is;
            for (int c = 0; c < size; c++) {
                float h = (xs[o + c] - mean) * is;
                hs[o + c] = h;
                ys[o + c] = h * gs[c] + bs[c];
            }
        }
        y.put(0, ys, 0, n);
        xh.put(0, hs, 0, n);
        inv.put(0, invs, 0, rows);
        y.hostWritten();
        xh.hostWritten();
        inv.hostWritten();
    }

    // Row reductions with eight independent float accumulators, combined in double: a single running sum is one
    // dependent add per element (C2 does not reorder floating-point reductions), eight break the chain. Each partial
    // sum covers size / 8 values, so float partials lose nothing measurable against the double total.

    private static double sum(float[] a, int o, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int c = 0;
        for (; c + 8 <= n; c += 8) {
            int i = o + c;
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
            s4 += a[i + 4];
            s5 += a[i + 5];
            s6 += a[i + 6];
            s7 += a[i + 7];
        }
        double t = (double) s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
        for (; c < n; c++) {
            t += a[o + c];
        }
        return t;
    }

    private static double squaredDeviations(float[] a, int o, int n, float mean) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int c = 0;
        for (; c + 8 <= n; c += 8) {
            int i = o + c;
            float d0 = a[i] - mean, d1 = a[i + 1] - mean, d2 = a[i + 2] - mean, d3 = a[i + 3] - mean;
            float d4 = a[i + 4] - mean, d5 = a[i + 5] - mean, d6 = a[i + 6] - mean, d7 = a[i + 7] - mean;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
            s4 += d4 * d4;
            s5 += d5 * d5;
            s6 += d6 * d6;
            s7 += d7 * d7;
        }
        double t = (double) s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
        for (; c < n; c++) {
            float d = a[o + c] - mean;
            t += d * d;
        }
        return t;
    }

    /** Σ_c d[o + c] · g[c]. */
    private static double dotWeights(float[] d, int o, float[] g, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int c = 0;
        for (; c + 4 <= n; c += 4) {
            s0 += d[o + c] * g[c];
            s1 += d[o + c + 1] * g[c + 1];
            s2 += d[o + c + 2] * g[c + 2];
            s3 += d[o + c + 3] * g[c + 3];
        }
        double t = (double) s0 + s1 + s2 + s3;
        for (; c < n; c++) {
            t += d[o + c] * g[c];
        }
        return t;
    }

    /** Σ_c d[o + c] · g[c] · h[o + c]. */
    private static double dotWeightsAndHat(float[] d, float[] h, int o, float[] g, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int c = 0;
        for (; c + 4 <= n; c += 4) {
            s0 += d[o + c] * g[c] * h[o + c];
            s1 += d[o + c + 1] * g[c + 1] * h[o + c + 1];
            s2 += d[o + c + 2] * g[c + 2] * h[o + c + 2];
            s3 += d[o + c + 3] * g[c + 3] * h[o + c + 3];
        }
        double t = (double) s0 + s1 + s2 + s3;
        for (; c < n; c++) {
            t += d[o + c] * g[c] * h[o + c];
        }
        return t;
    }

    private Mat backwardFloat(Mat dy, boolean paramGrads, boolean inputGrad, int rows) {
        int n = rows * size;
        float[] ds = fit(ys, n); // the forward's output buffer is free now: reuse it for dy
        ys = ds;
        xs = fit(xs, n);
        float[] dxs = xs; // the forward's input copy is free too
        dy.get(0, ds, 0, n);
        lastXhat.get(0, hs = fit(hs, n), 0, n);
        lastInvStd.get(0, invs = fit(invs, rows), 0, rows);
        gamma.value().toHost().get(0, gs = fit(gs, size), 0, size);
        if (paramGrads) {
            ggs = fit(ggs, size);
            bgs = fit(bgs, size);
            Mat gg = gamma.grad().toHost();
            Mat bg = beta.grad().toHost();
            gg.get(0, ggs, 0, size);
            bg.get(0, bgs, 0, size);
            for (int r = 0; r < rows; r++) {
                int o = r * size;
                for (int c = 0; c < size; c++) {
                    ggs[c] += ds[o + c] * hs[o + c];
                    bgs[c] += ds[o + c];
                }
            }
            gg.put(0, ggs, 0, size);
            bg.put(0, bgs, 0, size);
            gg.hostWritten();
            bg.hostWritten();
        }
        if (!inputGrad) {
            return null;
        }
        Mat dx = inGrads.get(rows);
        for (int r = 0; r < rows; r++) {
            int o = r * size;
            float md = (float) (dotWeights(ds, o, gs, size) / size);
            float mdx = (float) (dotWeightsAndHat(ds, hs, o, gs, size) / size);
            float is = invs[r];
            for (int c = 0; c < size; c++) {
                dxs[o + c] = is * (ds[o + c] * gs[c] - md - hs[o + c] * mdx);
            }
        }
        dx.put(0, dxs, 0, n);
        dx.hostWritten();
        return dx;
    }

    @Override
    public Mat backward(Mat dy, boolean paramGrads, boolean inputGrad) {
        int rows = dy.rows;
        Mat xh = lastXhat;
        Mat inv = lastInvStd;
        dy.toHost();
        if (!dy.isDouble()) {
            return backwardFloat(dy, paramGrads, inputGrad, rows);
        }
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
