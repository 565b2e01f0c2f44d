package org.armature.nn;

/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1, with PyTorch's bias-corrected epsilon placement) over a
 * {@link ParamGroup}, with optional decoupled weight decay (AdamW, Loshchilov &amp; Hutter 2019) and optional
 * global gradient-norm clipping (Pascanu et al. 2013). Defaults: beta1 0.9, beta2 0.999, eps 1e-8 (paper and
 * PyTorch defaults).
 *
 * <p>{@link #step()} applies the gradients and clears them in the same pass.
 */
public final class Adam {

    /** Kingma &amp; Ba 2015, Section 2 defaults (also PyTorch's). */
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPS = 1e-8;

    private final ParamGroup group;
    private double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final double maxGradNorm;
    private final double[] m;
    private final double[] v;
    private float[] mf;
    private float[] vf;
    private float[] pf;
    private float[] gf;
    private static final long FLOAT_BASE = Mat.U.arrayBaseOffset(float[].class);
    private long t;

    public Adam(ParamGroup group, double lr) {
        this(group, lr, 0.0, Double.POSITIVE_INFINITY);
    }

    /** Default betas and eps, with decoupled weight decay and gradient-norm clipping (see below). */
    public Adam(ParamGroup group, double lr, double weightDecay, double maxGradNorm) {
        this(group, lr, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, weightDecay, maxGradNorm);
    }

    /**
     * @param weightDecay decoupled decay: {@code p -= lr * weightDecay * p} each step (0 = plain Adam)
     * @param maxGradNorm clip the global L2 norm of the gradients to this value first (infinity = off)
     */
    public Adam(ParamGroup group, double lr, double beta1, double beta2, double eps, double weightDecay,
                double maxGradNorm) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        }
        this.group = group;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.maxGradNorm = maxGradNorm;
        this.m = new double[group.size()];
        this.v = new double[group.size()];
    }

    public ParamGroup group() {
        return group;
    }

    public double learningRate() {
        return lr;
    }

    public void setLearningRate(double lr) {
        this.lr = lr;
    }

    /** One Adam step with the accumulated gradients, which are then zeroed. */
    public void step() {
        Mat p = group.values().toHost();
        Mat g = group.grads().toHost();
        int n = group.size();
        double clip = 1.0;
        boolean gradientsOnHeap = false; // gf holds this step's gradients (copied for the clipping norm)
        if (maxGradNorm != Double.POSITIVE_INFINITY) {
            double s;
            if (!g.isDouble()) {
                // from a heap copy (stepFloat copies the gradients there anyway), eight independent double sums: a
                // single running sum over off-heap memory was one dependent add per parameter (0.17 ms of a
                // residual update's 9 ms at 2 x 2 x 256 critics)
                copyGradients(g, n);
                s = sumOfSquares(gf, n);
                gradientsOnHeap = true;
            } else {
                s = 0;
                for (int i = 0; i < n; i++) {
                    double gi = g.get(i);
                    s += gi * gi;
                }
            }
            double norm = Math.sqrt(s);
            if (norm > maxGradNorm) {
                clip = maxGradNorm / (norm + 1e-6); // as torch.nn.utils.clip_grad_norm_
            }
        }
        t++;
        double bc1 = 1.0 - Math.pow(beta1, t);
        double bc2 = 1.0 - Math.pow(beta2, t);
        double stepSize = lr / bc1;
        double sqrtBc2 = Math.sqrt(bc2);
        double decay = 1.0 - lr * weightDecay;
        if (!p.isDouble()) {
            stepFloat(p, g, n, (float) clip, (float) stepSize, (float) (1.0 / sqrtBc2), (float) decay,
                    gradientsOnHeap);
            return;
        }
        for (int i = 0; i < n; i++) {
            double gi = g.get(i) * clip;
            double mi = beta1 * m[i] + (1 - beta1) * gi;
            double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            double pi = p.get(i);
            if (weightDecay != 0) {
                pi *= decay;
            }
            p.set(i, pi - stepSize * mi / (Math.sqrt(vi) / sqrtBc2 + eps));
            g.set(i, 0.0);
        }
        p.hostWritten();
        g.hostWritten();
    }

    /**
     * float32 path (the hot case). Loops over off-heap memory through Unsafe are never vectorised by C2, so the
     * parameters and gradients are copied into heap arrays (two memcpys), updated in one branch-free loop that C2
     * vectorises (AVX: square root and division included), and copied back; the gradients are cleared with a
     * memset. Measured at 17/6/2x256/batch 256: 0.77 ms -> see BENCHMARKS.md per SAC update. With
     * {@code decay == 1} and {@code clip == 1} the multiplications are exact, so results equal the unfused form.
     */
    private void stepFloat(Mat p, Mat g, int n, float clip, float stepSize, float invSqrtBc2, float decay,
                           boolean gradientsOnHeap) {
        if (mf == null) {
            mf = new float[n];
            vf = new float[n];
            for (int i = 0; i < n; i++) {
                mf[i] = (float) m[i];
                vf[i] = (float) v[i];
            }
        }
        if (pf == null) {
            pf = new float[n];
        }
        long bytes = 4L * n;
        Mat.U.copyMemory(null, p.address(), pf, FLOAT_BASE, bytes);
        if (!gradientsOnHeap) { // else the clipping norm copied them already
            copyGradients(g, n);
        }
        adamLoop(pf, gf, mf, vf, n, clip, (float) beta1, (float) beta2, (float) (1 - beta1), (float) (1 - beta2),
                stepSize, invSqrtBc2, (float) eps, decay);
        Mat.U.copyMemory(pf, FLOAT_BASE, null, p.address(), bytes);
        Mat.U.setMemory(g.address(), bytes, (byte) 0);
        p.hostWritten();
        g.hostWritten();
    }

    /** The gradients into {@code gf} (float path). */
    private void copyGradients(Mat g, int n) {
        if (gf == null || gf.length < n) {
            gf = new float[n];
        }
        Mat.U.copyMemory(null, g.address(), gf, FLOAT_BASE, 4L * n);
    }

    private static double sumOfSquares(float[] a, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            double a0 = a[i], a1 = a[i + 1], a2 = a[i + 2], a3 = a[i + 3];
            double a4 = a[i + 4], a5 = a[i + 5], a6 = a[i + 6], a7 = a[i + 7];
            s0 += a0 * a0;
            s1 += a1 * a1;
            s2 += a2 * a2;
            s3 += a3 * a3;
            s4 += a4 * a4;
            s5 += a5 * a5;
            s6 += a6 * a6;
            s7 += a7 * a7;
        }
        double s = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
        for (; i < n; i++) {
            double ai = a[i];
            s += ai * ai;
        }
        return s;
    }

    /** Kingma &amp; Ba 2015, Algorithm 1 (bias corrections folded into stepSize and invSqrtBc2), on heap arrays. */
    private static void adamLoop(float[] p, float[] g, float[] m, float[] v, int n, float clip, float b1, float b2,
                                 float ob1, float ob2, float stepSize, float invSqrtBc2, float eps, float decay) {
        for (int i = 0; i < n; i++) {
            float gi = g[i] * clip;
            float mi = b1 * m[i] + ob1 * gi;
            float vi = b2 * v[i] + ob2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] = p[i] * decay - stepSize * mi / ((float) Math.sqrt(vi) * invSqrtBc2 + eps);
        }
    }

    /** Optimiser state for checkpoints: first and second moments and the step count. */
    public State state() {
        if (mf != null) {
            double[] ms = new double[mf.length];
            double[] vs = new double[vf.length];
            for (int i = 0; i < ms.length; i++) {
                ms[i] = mf[i];
                vs[i] = vf[i];
            }
            return new State(ms, vs, t);
        }
        return new State(m.clone(), v.clone(), t);
    }

    public void restore(State s) {
        if (s.m().length != m.length || s.v().length != v.length) {
            throw new IllegalArgumentException("Adam state has " + s.m().length + " entries, optimiser has "
                    + m.length);
        }
        System.arraycopy(s.m(), 0, m, 0, m.length);
        System.arraycopy(s.v(), 0, v, 0, v.length);
        mf = null;
        vf = null;
        t = s.t();
    }

    /** Adam's moments and step count. */
    public record State(double[] m, double[] v, long t) {
    }
}
