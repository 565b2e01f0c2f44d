package org.armature.nn;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Group normalisation (Wu &amp; He 2018) on channels-last sequences ({@link SequenceLayer}): the {@code C} channels
 * are split into {@code groups} consecutive groups and every sequence is normalised per group over all its steps
 * and the group's channels, {@code y = (x − mean) / √(var + eps) · gamma[c] + beta[c]} (biased variance). PyTorch's
 * {@code nn.GroupNorm} defaults: eps 1e-5, per-channel affine with gamma 1, beta 0. Diffusion Policy's
 * {@code Conv1dBlock} uses 8 groups.
 */
public final class GroupNorm implements SequenceLayer {

    /** PyTorch nn.GroupNorm default. */
    public static final double DEFAULT_EPS = 1e-5;

    private final int channels;
    private final int groups;
    private final int groupSize;
    private final double eps;
    private final Param gamma;
    private final Param beta;
    private final BatchBuffers outs;
    private final BatchBuffers xhats;
    private final BatchBuffers invStds;
    private final BatchBuffers inGrads;
    private final double[] sum;
    private final double[] sumSq;
    private final double[] g;
    private final double[] shift;
    private final double[] gammaGrad;
    private final double[] betaGrad;
    private final double[] seqDy;
    private final double[] seqDyXhat;
    private Mat lastXhat;
    private Mat lastInvStd;
    private int lastBatch;

    public GroupNorm(int groups, int channels, DataType dtype) {
        this(groups, channels, DEFAULT_EPS, dtype);
    }

    public GroupNorm(int groups, int channels, double eps, DataType dtype) {
        if (groups <= 0 || channels <= 0 || channels % groups != 0) {
            throw new IllegalArgumentException("GroupNorm: " + channels + " channels are not divisible into " + groups
                    + " groups");
        }
        this.channels = channels;
        this.groups = groups;
        this.groupSize = channels / groups;
        this.eps = eps;
        this.gamma = new Param("weight", dtype, 1, channels);
        this.beta = new Param("bias", dtype, 1, channels);
        gamma.value().fill(1.0);
        this.outs = new BatchBuffers(dtype, channels);
        this.xhats = new BatchBuffers(dtype, channels);
        this.invStds = new BatchBuffers(DataType.DOUBLE, groups);
        this.inGrads = new BatchBuffers(dtype, channels);
        this.sum = new double[groups];
        this.sumSq = new double[groups];
        this.g = new double[channels];
        this.shift = new double[channels];
        this.gammaGrad = new double[channels];
        this.betaGrad = new double[channels];
        this.seqDy = new double[channels];
        this.seqDyXhat = new double[channels];
        this.channelA = new double[channels];
        this.channelB = new double[channels];
    }

    public Param gamma() {
        return gamma;
    }

    public Param beta() {
        return beta;
    }

    @Override
    public int inChannels() {
        return channels;
    }

    @Override
    public Mat forward(Mat x, int batch) {
        if (x.cols != channels || x.rows % batch != 0) {
            throw new IllegalArgumentException("GroupNorm expects (batch · L) x " + channels + " with batch " + batch
                    + ", got " + x.rows + "x" + x.cols);
        }
        int len = x.rows / batch;
        double n = (double) len * groupSize;
        Mat y = outs.get(x.rows);
        Mat xh = xhats.get(x.rows);
        Mat inv = invStds.get(batch);
        x.toHost();
        Mat gm = gamma.value().toHost();
        Mat bt = beta.value().toHost();
        for (int c = 0; c < channels; c++) {
            g[c] = gm.get(c);
            shift[c] = bt.get(c);
        }
        if (!x.isDouble()) {
            forwardFloat(x, y, xh, inv, batch, len, n);
            lastXhat = xh;
            lastInvStd = inv;
            lastBatch = batch;
            return y;
        }
        for (int b = 0; b < batch; b++) {
            int r0 = b * len * channels;
            int r1 = r0 + len * channels;
            java.util.Arrays.fill(sum, 0);
            java.util.Arrays.fill(sumSq, 0);
            // two passes (mean, then centred squares): a one-pass Σx² − n·mean² loses the variance of nearly
            // constant groups (one channel over four steps) to cancellation
            for (int o = r0; o < r1; o += channels) {
                for (int q = 0, c = 0; q < groups; q++) {
                    double s1 = 0;
                    for (int e = c + groupSize; c < e; c++) {
                        s1 += x.get(o + c);
                    }
                    sum[q] += s1;
                }
            }
            for (int q = 0; q < groups; q++) {
                sum[q] /= n; // now the mean
            }
            for (int o = r0; o < r1; o += channels) {
                for (int q = 0, c = 0; q < groups; q++) {
                    double mean = sum[q];
                    double s2 = 0;
                    for (int e = c + groupSize; c < e; c++) {
                        double d = x.get(o + c) - mean;
                        s2 += d * d;
                    }
                    sumSq[q] += s2;
                }
            }
            for (int q = 0; q < groups; q++) {
                sumSq[q] = 1.0 / Math.sqrt(sumSq[q] / n + eps); // now 1 / std
                inv.set(b * groups + q, sumSq[q]);
            }
            for (int o = r0; o < r1; o += channels) {
                for (int q = 0, c = 0; q < groups; q++) {
                    double mean = sum[q];
                    double is = sumSq[q];
                    for (int e = c + groupSize; c < e; c++) {
                        double h = (x.get(o + c) - mean) * is;
                        xh.set(o + c, h);
                        y.set(o + c, h * g[c] + shift[c]);
                    }
                }
            }
        }
        y.hostWritten();
        xh.hostWritten();
        inv.hostWritten();
        lastXhat = xh;
        lastInvStd = inv;
        lastBatch = batch;
        return y;
    }

    // float32 path: each sequence (len x channels values) on heap arrays. The group sums stay scalar, in double, as in
    // the float64 path; the element-wise loops read per-channel values (mean, 1/std, gamma, beta, ...) from arrays
    // that repeat them for every step, so that each loop reads and writes all its arrays at the same index and C2
    // vectorises it (it does not vectorise loops over off-heap memory, nor loops mixing x[o + c] with gamma[c]).
    private float[] fx = new float[0];
    private float[] fh = new float[0];
    private float[] fy = new float[0];
    private float[] repA = new float[0];
    private float[] repB = new float[0];
    private float[] repC = new float[0];
    private float[] repD = new float[0];

    /** {@code rep[t · C + c] = perChannel[c]} for every step t below len. */
    private void repeat(double[] perChannel, float[] row, float[] rep, int len) {
        for (int c = 0; c < channels; c++) {
            row[c] = (float) perChannel[c];
        }
        for (int t = 0; t < len; t++) {
            System.arraycopy(row, 0, rep, t * channels, channels);
        }
    }

    private float[] channelRow = new float[0];
    /** Per-channel values of the float path (group mean and 1/std repeated over the group's channels). */
    private final double[] channelA;
    private final double[] channelB;

    private void forwardFloat(Mat x, Mat y, Mat xh, Mat inv, int batch, int len, double n) {
        int m = len * channels;
        float[] xs = fx = Kernels.atLeast(fx, m);
        float[] hs = fh = Kernels.atLeast(fh, m);
        float[] ys = fy = Kernels.atLeast(fy, m);
        float[] means = repA = Kernels.atLeast(repA, m);
        float[] invs = repB = Kernels.atLeast(repB, m);
        float[] gs = repC = Kernels.atLeast(repC, m);
        float[] bs = repD = Kernels.atLeast(repD, m);
        float[] row = channelRow = Kernels.atLeast(channelRow, channels);
        repeat(g, row, gs, len);
        repeat(shift, row, bs, len);
        double[] channelMean = channelA;
        double[] channelInv = channelB;
        for (int b = 0; b < batch; b++) {
            x.get(b * m, xs, 0, m);
            java.util.Arrays.fill(sum, 0);
            java.util.Arrays.fill(sumSq, 0);
            // two passes (mean, then centred squares), as in the float64 path
            for (int o = 0; o < m; o += channels) {
                for (int q = 0, c = 0; q < groups; q++) {
                    double s1 = 0;
                    for (int e = c + groupSize; c < e; c++) {
                        s1 += xs[o + c];
                    }
                    sum[q] += s1;
                }
            }
            for (int q = 0; q < groups; q++) {
                sum[q] /= n;
            }
            for (int o = 0; o < m; o += channels) {
                for (int q = 0, c = 0; q < groups; q++) {
                    double mean = sum[q];
                    double s2 = 0;
                    for (int e = c + groupSize; c < e; c++) {
                        double d = xs[o + c] - mean;
                        s2 += d * d;
                    }
                    sumSq[q] += s2;
                }
            }
            for (int q = 0, c = 0; q < groups; q++) {
                double is = 1.0 / Math.sqrt(sumSq[q] / n + eps);
                inv.set(b * groups + q, is);
                for (int e = c + groupSize; c < e; c++) {
                    channelMean[c] = sum[q];
                    channelInv[c] = is;
                }
            }
            repeat(channelMean, row, means, len);
            repeat(channelInv, row, invs, len);
            for (int i = 0; i < m; i++) {
                float h = (xs[i] - means[i]) * invs[i];
                hs[i] = h;
                ys[i] = h * gs[i] + bs[i];
            }
            xh.put(b * m, hs, 0, m);
            y.put(b * m, ys, 0, m);
        }
        y.hostWritten();
        xh.hostWritten();
        inv.hostWritten();
    }

    private void backwardFloat(Mat dy, Mat xh, Mat inv, Mat dx, int batch, int len, double n) {
        int m = len * channels;
        float[] ds = fx = Kernels.atLeast(fx, m);
        float[] hs = fh = Kernels.atLeast(fh, m);
        float[] dxs = fy = Kernels.atLeast(fy, m);
        float[] gs = repA = Kernels.atLeast(repA, m);
        float[] invs = repB = Kernels.atLeast(repB, m);
        float[] m1s = repC = Kernels.atLeast(repC, m);
        float[] m2s = repD = Kernels.atLeast(repD, m);
        float[] row = channelRow = Kernels.atLeast(channelRow, channels);
        repeat(g, row, gs, len);
        double[] channelInv = channelA;
        for (int b = 0; b < batch; b++) {
            dy.get(b * m, ds, 0, m);
            xh.get(b * m, hs, 0, m);
            java.util.Arrays.fill(seqDy, 0);
            java.util.Arrays.fill(seqDyXhat, 0);
            for (int o = 0; o < m; o += channels) {
                for (int c = 0; c < channels; c++) {
                    double d = ds[o + c];
                    seqDyXhat[c] += d * hs[o + c];
                    seqDy[c] += d;
                }
            }
            for (int c = 0; c < channels; c++) {
                gammaGrad[c] += seqDyXhat[c];
                betaGrad[c] += seqDy[c];
            }
            if (dx == null) {
                continue;
            }
            // dx = (dxhat − mean(dxhat) − xhat · mean(dxhat · xhat)) / std with dxhat = dy · gamma, means per group;
            // the per-channel values go to seqDy (m1), seqDyXhat (m2) and channelInv once the group sums are read
            for (int q = 0, c = 0; q < groups; q++) {
                double s1 = 0;
                double s2 = 0;
                int c0 = c;
                for (int e = c + groupSize; c < e; c++) {
                    s1 += g[c] * seqDy[c];
                    s2 += g[c] * seqDyXhat[c];
                }
                double is = inv.get(b * groups + q);
                for (c = c0; c < c0 + groupSize; c++) {
                    seqDy[c] = s1 / n;
                    seqDyXhat[c] = s2 / n;
                    channelInv[c] = is;
                }
            }
            repeat(seqDy, row, m1s, len);
            repeat(seqDyXhat, row, m2s, len);
            repeat(channelInv, row, invs, len);
            for (int i = 0; i < m; i++) {
                dxs[i] = invs[i] * (ds[i] * gs[i] - m1s[i] - hs[i] * m2s[i]);
            }
            dx.put(b * m, dxs, 0, m);
        }
    }

    @Override
    public Mat backward(Mat dy, boolean paramGrads, boolean inputGrad) {
        Mat xh = lastXhat;
        Mat inv = lastInvStd;
        int batch = lastBatch;
        int len = dy.rows / batch;
        double n = (double) len * groupSize;
        dy.toHost();
        Mat gm = gamma.value().toHost();
        for (int c = 0; c < channels; c++) {
            g[c] = gm.get(c);
        }
        java.util.Arrays.fill(gammaGrad, 0);
        java.util.Arrays.fill(betaGrad, 0);
        Mat dx = inputGrad ? inGrads.get(dy.rows) : null;
        if (!dy.isDouble()) {
            backwardFloat(dy, xh, inv, dx, batch, len, n);
        }
        for (int b = 0; b < batch && dy.isDouble(); b++) {
            int r0 = b * len * channels;
            int r1 = r0 + len * channels;
            // per channel, over this sequence: Σ dy and Σ dy · xhat (the parameter gradients' terms, and per group
            // the two means the input gradient needs)
            java.util.Arrays.fill(seqDy, 0);
            java.util.Arrays.fill(seqDyXhat, 0);
            for (int o = r0; o < r1; o += channels) {
                for (int c = 0; c < channels; c++) {
                    double d = dy.get(o + c);
                    seqDyXhat[c] += d * xh.get(o + c);
                    seqDy[c] += d;
                }
            }
            for (int c = 0; c < channels; c++) {
                gammaGrad[c] += seqDyXhat[c];
                betaGrad[c] += seqDy[c];
            }
            if (!inputGrad) {
                continue;
            }
            // dx = (dxhat − mean(dxhat) − xhat · mean(dxhat · xhat)) / std with dxhat = dy · gamma, means per group
            for (int q = 0, c = 0; q < groups; q++) {
                double s1 = 0;
                double s2 = 0;
                for (int e = c + groupSize; c < e; c++) {
                    s1 += g[c] * seqDy[c];
                    s2 += g[c] * seqDyXhat[c];
                }
                sum[q] = s1;
                sumSq[q] = s2;
            }
            for (int o = r0; o < r1; o += channels) {
                for (int q = 0, c = 0; q < groups; q++) {
                    double m1 = sum[q] / n;
                    double m2 = sumSq[q] / n;
                    double is = inv.get(b * groups + q);
                    for (int e = c + groupSize; c < e; c++) {
                        dx.set(o + c, is * (dy.get(o + c) * g[c] - m1 - xh.get(o + c) * m2));
                    }
                }
            }
        }
        if (paramGrads) {
            Mat gg = gamma.grad().toHost();
            Mat bg = beta.grad().toHost();
            for (int c = 0; c < channels; c++) {
                gg.set(c, gg.get(c) + gammaGrad[c]);
                bg.set(c, bg.get(c) + betaGrad[c]);
            }
            gg.hostWritten();
            bg.hostWritten();
        }
        if (dx != null) {
            dx.hostWritten();
        }
        return dx;
    }

    @Override
    public List<Param> params() {
        return List.of(gamma, beta);
    }
}
