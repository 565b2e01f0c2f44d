package org.armature.nn;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Tanh-squashed diagonal Gaussian policy head (SAC, Haarnoja et al. 2018, Appendix C), on the output of a network
 * with {@code 2 * actionDim} columns: {@code [mu | raw]}.
 *
 * <pre>
 *   log_std = LOG_STD_MIN + (LOG_STD_MAX - LOG_STD_MIN) * (tanh(raw) + 1) / 2     (CleanRL's bounded log-std)
 *   u       = mu + exp(log_std) * eps,   eps ~ N(0, I)                         (reparameterisation)
 *   a       = tanh(u) * scale + center                                         (scaled to the action box)
 *   log pi(a|s) = sum_j [ -eps_j^2/2 - log_std_j - log(2 pi)/2 - log scale_j - log(1 - tanh(u_j)^2) ]
 * </pre>
 * The log-determinant uses the exact, overflow-free identity {@code log(1 - tanh(u)^2) = 2 (log 2 - u -
 * softplus(-2u))} (no {@code + 1e-6} fudge), so log-probabilities are exact densities of the scaled action.
 * {@link #backward} gives the gradient w.r.t. {@code [mu | raw]} for upstream gradients on the action and on the
 * log-probability, with {@code eps} held fixed (pathwise derivative).
 *
 * <p>{@link #affineClamped} builds the head with CORL's ({@code cql.py} {@code TanhGaussianPolicy}, after rlkit)
 * log-std map instead: {@code log_std = clamp(m * raw + c, -20, 2)} with two learnable scalars, the multiplier
 * {@code m} (initially 1) and the offset {@code c} (initially -1), listed in {@link #params()}; their gradients
 * accumulate in {@link #backward} (zero where the clamp is active, as {@code torch.clamp}).
 */
public final class SquashedGaussianHead {

    /** CleanRL sac_continuous_action.py LOG_STD_MIN / LOG_STD_MAX. */
    public static final double LOG_STD_MIN = -5.0;
    public static final double LOG_STD_MAX = 2.0;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double LOG2 = Math.log(2);
    /** CORL {@code ReparameterizedTanhGaussian} log_std_min / log_std_max. */
    public static final double CORL_LOG_STD_MIN = -20.0;
    public static final double CORL_LOG_STD_MAX = 2.0;

    private final int actionDim;
    private final double[] scale;
    private final double[] center;
    private final double logScaleSum;
    private final BatchBuffers actions;
    private final BatchBuffers logProbs;
    private final BatchBuffers epsBuf;
    private final BatchBuffers uBuf;
    private final BatchBuffers logStdBuf;
    private final BatchBuffers rawTanhBuf;
    private final BatchBuffers inGrads;
    private Mat lastEps;
    private Mat lastU;
    private Mat lastLogStd;
    private Mat lastRawTanh;
    /** Null for CleanRL's bounded map; CORL's learnable multiplier and offset otherwise. */
    private final Param logStdMultiplier;
    private final Param logStdOffset;
    private final BatchBuffers rawBuf;
    private Mat lastRaw;

    /** The head with CleanRL's bounded log-std map (no parameters of its own). */
    public SquashedGaussianHead(float[] low, float[] high, DataType dtype) {
        this(low, high, dtype, false, 0, 0);
    }

    /**
     * The head with CORL's map {@code log_std = clamp(m * raw + c, -20, 2)}, {@code m} and {@code c} learnable and
     * initialised to {@code multiplierInit} / {@code offsetInit} (CORL: 1 and -1).
     */
    public static SquashedGaussianHead affineClamped(float[] low, float[] high, DataType dtype, double multiplierInit,
                                                     double offsetInit) {
        return new SquashedGaussianHead(low, high, dtype, true, multiplierInit, offsetInit);
    }

    private SquashedGaussianHead(float[] low, float[] high, DataType dtype, boolean affine, double multiplierInit,
                                 double offsetInit) {
        this.actionDim = low.length;
        this.scale = new double[actionDim];
        this.center = new double[actionDim];
        double ls = 0;
        for (int j = 0; j < actionDim; j++) {
            scale[j] = (high[j] - (double) low[j]) / 2.0;
            center[j] = (high[j] + (double) low[j]) / 2.0;
            if (!(scale[j] > 0) || Double.isInfinite(scale[j])) {
                throw new IllegalArgumentException("squashed Gaussian head needs a bounded action box, dim " + j
                        + " is [" + low[j] + ", " + high[j] + "]");
            }
            ls += Math.log(scale[j]);
        }
        this.logScaleSum = ls;
        this.actions = new BatchBuffers(dtype, actionDim);
        this.logProbs = new BatchBuffers(dtype, 1);
        this.epsBuf = new BatchBuffers(dtype, actionDim);
        this.uBuf = new BatchBuffers(dtype, actionDim);
        this.logStdBuf = new BatchBuffers(dtype, actionDim);
        this.rawTanhBuf = new BatchBuffers(dtype, actionDim);
        this.inGrads = new BatchBuffers(dtype, 2 * actionDim);
        if (affine) {
            logStdMultiplier = new Param("log_std_multiplier", dtype, 1, 1);
            logStdOffset = new Param("log_std_offset", dtype, 1, 1);
            logStdMultiplier.value().set(0, multiplierInit);
            logStdMultiplier.value().hostWritten();
            logStdOffset.value().set(0, offsetInit);
            logStdOffset.value().hostWritten();
            rawBuf = new BatchBuffers(dtype, actionDim);
        } else {
            logStdMultiplier = null;
            logStdOffset = null;
            rawBuf = null;
        }
    }

    /** The head's own trainable parameters: none for the bounded map; multiplier and offset for CORL's. */
    public java.util.List<Param> params() {
        return logStdMultiplier == null ? java.util.List.of() : java.util.List.of(logStdMultiplier, logStdOffset);
    }

    /** Current {@code {multiplier, offset}} of CORL's map (null for the bounded map). */
    public double[] logStdAffine() {
        return logStdMultiplier == null ? null
                : new double[]{logStdMultiplier.value().toHost().get(0), logStdOffset.value().toHost().get(0)};
    }

    /** CORL's map with its clamp range [−20, 2]. */
    public static double affineClampedLogStd(double raw, double multiplier, double offset) {
        return affineClampedLogStd(raw, multiplier, offset, CORL_LOG_STD_MIN, CORL_LOG_STD_MAX);
    }

    /** {@code clamp(multiplier * raw + offset, min, max)} (shared with bundle inference). */
    public static double affineClampedLogStd(double raw, double multiplier, double offset, double min, double max) {
        double z = multiplier * raw + offset;
        return z < min ? min : Math.min(z, max);
    }

    public int actionDim() {
        return actionDim;
    }

    /** Input width expected from the network: {@code 2 * actionDim}. */
    public int inputSize() {
        return 2 * actionDim;
    }

    /** CleanRL's bounded map (shared with bundle inference). */
    public static double logStd(double raw) {
        return LOG_STD_MIN + 0.5 * (LOG_STD_MAX - LOG_STD_MIN) * (Kernels.tanh(raw) + 1.0);
    }

    /** log(1 - tanh(u)^2), exact and stable. */
    static double log1mTanhSq(double u) {
        return 2.0 * (LOG2 - u - Kernels.softplus(-2.0 * u));
    }

    /**
     * Draws reparameterised actions. Returns the action matrix ({@code B x A}, owned by the head); the
     * log-probabilities are in {@link #lastLogProb()}. Noise comes from {@code rng} (or is {@code fixedEps} when
     * non-null, for tests).
     */
    public Mat sample(Mat in, Rng rng, Mat fixedEps) {
        int rows = in.rows;
        int a = actionDim;
        if (in.cols != 2 * a) {
            throw new IllegalArgumentException("head expects " + 2 * a + " inputs, got " + in.cols);
        }
        Mat act = actions.get(rows);
        Mat lp = logProbs.get(rows);
        Mat eps = epsBuf.get(rows);
        Mat u = uBuf.get(rows);
        Mat logStd = logStdBuf.get(rows);
        Mat rawTanh = rawTanhBuf.get(rows);
        boolean affine = logStdMultiplier != null;
        Mat rawKept = affine ? rawBuf.get(rows) : null;
        double[] mc = affine ? logStdAffine() : null;
        in.toHost();
        if (fixedEps != null) {
            eps.copyFrom(fixedEps);
        }
        for (int r = 0; r < rows; r++) {
            double logp = 0;
            for (int j = 0; j < a; j++) {
                double mu = in.get(r * 2 * a + j);
                double raw = in.get(r * 2 * a + a + j);
                double rt;
                double ls;
                if (affine) {
                    // rt holds d log_std / d z: 1 inside the clamp range, 0 where it clamps
                    ls = affineClampedLogStd(raw, mc[0], mc[1]);
                    double z = mc[0] * raw + mc[1];
                    rt = z == ls ? 1.0 : 0.0;
                    rawKept.set(r * a + j, raw);
                } else {
                    rt = Kernels.tanh(raw);
                    ls = LOG_STD_MIN + 0.5 * (LOG_STD_MAX - LOG_STD_MIN) * (rt + 1.0);
                }
                double e = fixedEps != null ? eps.get(r * a + j) : rng.nextGaussian();
                double uu = mu + Math.exp(ls) * e;
                int k = r * a + j;
                eps.set(k, e);
                u.set(k, uu);
                logStd.set(k, ls);
                rawTanh.set(k, rt);
                act.set(k, Kernels.tanh(uu) * scale[j] + center[j]);
                logp += -0.5 * e * e - ls - HALF_LOG_2PI - log1mTanhSq(uu);
            }
            lp.set(r, logp - logScaleSum);
        }
        act.hostWritten();
        lp.hostWritten();
        eps.hostWritten();
        u.hostWritten();
        logStd.hostWritten();
        rawTanh.hostWritten();
        if (affine) {
            rawKept.hostWritten();
        }
        lastRaw = rawKept;
        lastEps = eps;
        lastU = u;
        lastLogStd = logStd;
        lastRawTanh = rawTanh;
        return act;
    }

    /** Log-probabilities ({@code B x 1}) of the last {@link #sample}. */
    public Mat lastLogProb() {
        return logProbs.get(lastU.rows);
    }

    /**
     * Gradient w.r.t. the head input {@code [mu | raw]} of a loss with upstream gradients {@code dAction}
     * ({@code B x A}, may be null) and {@code dLogProb} ({@code B x 1}, may be null), for the last sample.
     */
    public Mat backward(Mat dAction, Mat dLogProb) {
        int rows = lastU.rows;
        int a = actionDim;
        Mat dIn = inGrads.get(rows);
        if (dAction != null) {
            dAction.toHost();
        }
        if (dLogProb != null) {
            dLogProb.toHost();
        }
        double span = 0.5 * (LOG_STD_MAX - LOG_STD_MIN);
        boolean affine = logStdMultiplier != null;
        double multiplier = affine ? logStdMultiplier.value().toHost().get(0) : 0.0;
        double gMultiplier = 0;
        double gOffset = 0;
        for (int r = 0; r < rows; r++) {
            double gl = dLogProb == null ? 0.0 : dLogProb.get(r);
            for (int j = 0; j < a; j++) {
                int k = r * a + j;
                double uu = lastU.get(k);
                double t = Kernels.tanh(uu);
                double ga = dAction == null ? 0.0 : dAction.get(k);
                // d logpi / du = 2 tanh(u)  (from -log(1 - tanh^2 u)); d a / du = scale (1 - tanh^2 u)
                double du = ga * scale[j] * (1.0 - t * t) + gl * 2.0 * t;
                double sigma = Math.exp(lastLogStd.get(k));
                // u = mu + sigma eps: du/dmu = 1, du/dlog_std = sigma eps; logpi has a direct -log_std term
                double dLogStd = du * sigma * lastEps.get(k) - gl;
                double rt = lastRawTanh.get(k);
                dIn.set(r * 2 * a + j, du);
                if (affine) {
                    double dz = dLogStd * rt; // rt is the clamp's pass-through mask here
                    dIn.set(r * 2 * a + a + j, dz * multiplier);
                    gMultiplier += dz * lastRaw.get(k);
                    gOffset += dz;
                } else {
                    dIn.set(r * 2 * a + a + j, dLogStd * span * (1.0 - rt * rt));
                }
            }
        }
        dIn.hostWritten();
        if (affine) {
            Mat gm = logStdMultiplier.grad().toHost();
            gm.set(0, gm.get(0) + gMultiplier);
            gm.hostWritten();
            Mat go = logStdOffset.grad().toHost();
            go.set(0, go.get(0) + gOffset);
            go.hostWritten();
        }
        return dIn;
    }

    /** Deterministic (mean) action {@code tanh(mu) * scale + center} for a batch. */
    public Mat deterministic(Mat in) {
        int rows = in.rows;
        int a = actionDim;
        Mat act = actions.get(rows);
        in.toHost();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < a; j++) {
                act.set(r * a + j, Kernels.tanh(in.get(r * 2 * a + j)) * scale[j] + center[j]);
            }
        }
        return act.hostWritten();
    }

    /** Batch-1 deterministic action from a network output row. */
    public void deterministic(float[] in, float[] out) {
        for (int j = 0; j < actionDim; j++) {
            out[j] = (float) (Kernels.tanh(in[j]) * scale[j] + center[j]);
        }
    }

    /** Batch-1 sampled action from a network output row. */
    public void sample(float[] in, Rng rng, float[] out) {
        boolean affine = logStdMultiplier != null; // read the scalars without allocating (per-step path)
        double m = affine ? logStdMultiplier.value().toHost().get(0) : 0.0;
        double c = affine ? logStdOffset.value().toHost().get(0) : 0.0;
        for (int j = 0; j < actionDim; j++) {
            double raw = in[actionDim + j];
            double ls = affine ? affineClampedLogStd(raw, m, c) : logStd(raw);
            double uu = in[j] + Math.exp(ls) * rng.nextGaussian();
            out[j] = (float) (Kernels.tanh(uu) * scale[j] + center[j]);
        }
    }
}
