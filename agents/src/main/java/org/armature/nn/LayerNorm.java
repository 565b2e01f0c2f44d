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

    // float32 fast path: blocks of rows are copied into heap arrays (bulk copies) and each row into row arrays, where
    // the element-wise loops run: C2 vectorises a loop over heap arrays only when every array is read and written at
    // the same index (it cannot rule out that the arrays alias, so h[o + c] next to gamma[c] stays scalar), and never
    // over off-heap memory. The row reductions stay scalar, in double precision. Before, with whole-batch buffers and
    // offset indices, the layer took about 1.4 ns per value forward and 2.7 backward (256 x 256, this machine;
    // scripts/bench/LayerNormSpeed.java).
    private static final int BLOCK_ROWS = 8;
    private float[] xs = new float[0];
    private float[] hs = new float[0];
    private float[] ys = new float[0];
    private float[] gs = new float[0];
    private float[] bs = new float[0];
    private float[] invs = new float[0];
    private float[] ggs = new float[0];
    private float[] bgs = new float[0];
    private float[] row0 = new float[0];
    private float[] row1 = new float[0];
    private float[] row2 = new float[0];
    private float[] row3 = new float[0];

    private void forwardFloat(Mat x, Mat y, Mat xh, Mat inv, int rows) {
        int block = BLOCK_ROWS * size;
        xs = Kernels.atLeast(xs, block);
        hs = Kernels.atLeast(hs, block);
        ys = Kernels.atLeast(ys, block);
        invs = Kernels.atLeast(invs, rows);
        gs = Kernels.atLeast(gs, size);
        bs = Kernels.atLeast(bs, size);
        gamma.value().toHost().get(0, gs, 0, size);
        beta.value().toHost().get(0, bs, 0, size);
        float[] xr = row0 = Kernels.atLeast(row0, size);
        float[] hr = row1 = Kernels.atLeast(row1, size);
        float[] yr = row2 = Kernels.atLeast(row2, size);
        float[] g = gs;
        float[] b = bs;
        int n = size;
        for (int r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
            int nr = Math.min(BLOCK_ROWS, rows - r0);
            int m = nr * size;
            x.get(r0 * size, xs, 0, m);
            for (int r = 0; r < nr; r++) {
                int o = r * size;
                System.arraycopy(xs, o, xr, 0, n);
                float mean = (float) (sum(xr, 0, n) / n);
                for (int c = 0; c < n; c++) {
                    float dev = xr[c] - mean;
                    hr[c] = dev;
                    yr[c] = dev * dev;
                }
                float is = (float) (1.0 / Math.sqrt(sum(yr, 0, n) / n + eps));
                invs[r0 + r] = is;
                for (int c = 0; c < n; c++) {
                    float h = hr[c] * is;
                    hr[c] = h;
                    yr[c] = h * g[c] + b[c];
                }
                System.arraycopy(hr, 0, hs, o, n);
                System.arraycopy(yr, 0, ys, o, n);
            }
            y.put(r0 * size, ys, 0, m);
            xh.put(r0 * size, hs, 0, m);
        }
        inv.put(0, invs, 0, rows);
        y.hostWritten();
        xh.hostWritten();
        inv.hostWritten();
    }

    // Row sums with eight independent float accumulators, combined in double: a single running sum is one dependent
    // add per element (C2 does not reorder floating-point reductions), eight break the chain. Each partial sum covers
    // size / 8 values, so float partials lose nothing measurable against the double total. The products summed
    // (squared deviations, dy · gamma, dy · gamma · x̂) are formed first in a vectorised loop.

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

    private Mat backwardFloat(Mat dy, boolean paramGrads, boolean inputGrad, int rows) {
        int block = BLOCK_ROWS * size;
        float[] ds = ys = Kernels.atLeast(ys, block);  // the forward's buffers are free now: dy,
        float[] dxs = xs = Kernels.atLeast(xs, block); // dx
        hs = Kernels.atLeast(hs, block);
        lastInvStd.get(0, invs = Kernels.atLeast(invs, rows), 0, rows);
        gamma.value().toHost().get(0, gs = Kernels.atLeast(gs, size), 0, size);
        ggs = Kernels.atLeast(ggs, size);
        bgs = Kernels.atLeast(bgs, size);
        Mat gg = gamma.grad().toHost();
        Mat bg = beta.grad().toHost();
        if (paramGrads) {
            gg.get(0, ggs, 0, size);
            bg.get(0, bgs, 0, size);
        }
        Mat dx = inputGrad ? inGrads.get(rows) : null;
        float[] dr = row0 = Kernels.atLeast(row0, size);
        float[] hr = row1 = Kernels.atLeast(row1, size);
        float[] dxr = row2 = Kernels.atLeast(row2, size);
        float[] dhh = row3 = Kernels.atLeast(row3, size);
        float[] g = gs;
        float[] gammaGrads = ggs;
        float[] betaGrads = bgs;
        int n = size;
        for (int r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
            int nr = Math.min(BLOCK_ROWS, rows - r0);
            int m = nr * size;
            dy.get(r0 * size, ds, 0, m);
            lastXhat.get(r0 * size, hs, 0, m);
            for (int r = 0; r < nr; r++) {
                int o = r * size;
                System.arraycopy(ds, o, dr, 0, n);
                System.arraycopy(hs, o, hr, 0, n);
                if (paramGrads) {
                    for (int c = 0; c < n; c++) {
                        gammaGrads[c] += dr[c] * hr[c];
                        betaGrads[c] += dr[c];
                    }
                }
                if (dx == null) {
                    continue;
                }
                for (int c = 0; c < n; c++) {
                    float dh = dr[c] * g[c];
                    dxr[c] = dh;
                    dhh[c] = dh * hr[c];
                }
                float md = (float) (sum(dxr, 0, n) / n);
                float mdx = (float) (sum(dhh, 0, n) / n);
                float is = invs[r0 + r];
                for (int c = 0; c < n; c++) {
                    dxr[c] = is * (dxr[c] - md - hr[c] * mdx);
                }
                System.arraycopy(dxr, 0, dxs, o, n);
            }
            if (dx != null) {
                dx.put(r0 * size, dxs, 0, m);
            }
        }
        if (paramGrads) {
            gg.put(0, ggs, 0, size);
            bg.put(0, bgs, 0, size);
            gg.hostWritten();
            bg.hostWritten();
        }
        if (dx == null) {
            return null;
        }
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
