package org.armature.nn;

/**
 * Element-wise host kernels over {@link Mat}s (see {@link Mat} for why these are Java loops and not ND4J ops).
 * Every kernel makes its inputs host-current first and tags its outputs afterwards.
 */
public final class Kernels {

    /**
     * {@code a} when it holds at least {@code n} values, else a new array of {@code n}: the grow-only heap buffers of
     * the float32 paths that copy off-heap matrices to the heap, where C2 vectorises their loops.
     */
    public static float[] atLeast(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }

    private Kernels() {
    }

    /** {@code y[r, :] = b} for every row (a memory copy per row). */
    public static void broadcastRows(Mat b, Mat y) {
        b.toHost();
        y.toHost();
        long width = (long) y.cols * (y.isDouble() ? 8 : 4);
        long src = b.address();
        long dst = y.address();
        for (int r = 0; r < y.rows; r++) {
            Mat.U.copyMemory(src, dst + r * width, width);
        }
        y.hostWritten();
    }

    /** Copies {@code src} into columns {@code [col0, col0 + src.cols)} of {@code dst} (same rows). */
    public static void copyColumns(Mat src, Mat dst, int col0) {
        src.toHost();
        dst.toHost();
        int rows = src.rows;
        int sc = src.cols;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < sc; c++) {
                dst.set(r * dst.cols + col0 + c, src.get(r * sc + c));
            }
        }
        dst.hostWritten();
    }

    /** Copies columns {@code [col0, col0 + dst.cols)} of {@code src} into {@code dst}. */
    public static void sliceColumns(Mat src, int col0, Mat dst) {
        src.toHost();
        dst.toHost();
        int rows = dst.rows;
        int dc = dst.cols;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < dc; c++) {
                dst.set(r * dc + c, src.get(r * src.cols + col0 + c));
            }
        }
        dst.hostWritten();
    }

    /**
     * tanh in double precision, within 3e-13 relative of {@link Math#tanh} (measured over N(0, 9) inputs) and about
     * 3x faster on JDK 17, where {@code Math.tanh} is not an intrinsic (45 ns vs 16 ns per call here): the policy
     * heads call it several times per action dimension and batch row.
     */
    public static double tanh(double x) {
        double ax = Math.abs(x);
        double t;
        if (ax < 1e-4) {
            t = ax - ax * ax * ax / 3.0;           // Taylor; the next term is 2x^5/15 < 2e-21
        } else if (ax > 20) {
            t = 1.0;                               // 1 - tanh(20) < 1e-17
        } else {
            double e = Math.exp(-2.0 * ax);        // tanh(|x|) = (1 - e^{-2|x|}) / (1 + e^{-2|x|})
            t = (1.0 - e) / (1.0 + e);
        }
        return Math.copySign(t, x);
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
    }

    /**
     * Mish {@code x tanh(softplus(x))} (Misra 2019) with one exponential: with {@code e = exp(x)},
     * {@code tanh(log(1 + e)) = ((1 + e)² − 1) / ((1 + e)² + 1) = n / (n + 2)}, {@code n = e (e + 2)}. Above 20 it is
     * x to double precision (1 − tanh(softplus(20)) < 1e-17).
     */
    public static double mish(double x) {
        if (x > 20) {
            return x;
        }
        double e = Math.exp(x);
        double n = e * (e + 2);
        return x * n / (n + 2);
    }

    /** d mish / dx {@code = t + x (1 − t²) σ(x)} with {@code t = tanh(softplus(x))}, from one exponential. */
    public static double mishDerivative(double x) {
        if (x > 20) {
            return 1;
        }
        double e = Math.exp(x);
        double n = e * (e + 2);
        double t = n / (n + 2);
        return t + x * (1 - t * t) * (e / (1 + e));
    }

    /** log(1 + e^x) without overflow. */
    public static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    /** {@code out = a + b} element-wise (out may be a or b). */
    public static void add(Mat a, Mat b, Mat out) {
        a.toHost();
        b.toHost();
        out.toHost();
        int n = out.length();
        if (!a.isDouble() && !b.isDouble() && !out.isDouble()) {
            // float32: heap copies in blocks, where C2 vectorises the sum (off-heap loops stay scalar)
            float[][] bufs = ADD_BUFFERS.get();
            float[] u = bufs[0];
            float[] w = bufs[1];
            for (int from = 0; from < n; from += ADD_BLOCK) {
                int k = Math.min(ADD_BLOCK, n - from);
                a.get(from, u, 0, k);
                b.get(from, w, 0, k);
                for (int i = 0; i < k; i++) {
                    u[i] += w[i];
                }
                out.put(from, u, 0, k);
            }
        } else {
            for (int i = 0; i < n; i++) {
                out.set(i, a.get(i) + b.get(i));
            }
        }
        out.hostWritten();
    }

    private static final int ADD_BLOCK = 4096;
    private static final ThreadLocal<float[][]> ADD_BUFFERS =
            ThreadLocal.withInitial(() -> new float[][]{new float[ADD_BLOCK], new float[ADD_BLOCK]});
}
