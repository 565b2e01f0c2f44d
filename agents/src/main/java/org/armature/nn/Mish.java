package org.armature.nn;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Mish, {@code x · tanh(softplus(x))} (Misra 2019), element-wise over any {@code rows x channels} matrix, as a
 * {@link SequenceLayer} (Diffusion Policy's activation). With {@code n = e^x}, {@code tanh(log(1 + n)) =
 * n(n + 2) / (n(n + 2) + 2)}: one {@code exp} per element forward and backward, where the {@link Activation} form
 * {@code tanh(softplus(x))} needs three transcendental calls. The derivative is
 * {@code tanh(sp) + x · (1 − tanh²(sp)) · σ(x)} with {@code σ(x) = n / (1 + n)}. Above {@code x = 20} the function
 * is {@code x} to double precision (PyTorch's softplus threshold). Forward keeps the derivative (computed from the
 * same {@code exp}), so backward is a product.
 */
public final class Mish implements SequenceLayer {

    private static final double LINEAR_ABOVE = 20.0;

    private final int channels;
    private final BatchBuffers outs;
    private final BatchBuffers inGrads;
    private final BatchBuffers derivatives;
    private Mat lastDerivative;

    public Mish(int channels, DataType dtype) {
        this.channels = channels;
        this.outs = new BatchBuffers(dtype, channels);
        this.inGrads = new BatchBuffers(dtype, channels);
        this.derivatives = new BatchBuffers(dtype, channels);
    }

    @Override
    public int inChannels() {
        return channels;
    }

    @Override
    public Mat forward(Mat x, int batch) {
        if (x.cols != channels) {
            throw new IllegalArgumentException("Mish expects " + channels + " channels, got " + x.cols);
        }
        Mat y = outs.get(x.rows);
        Mat dydx = derivatives.get(x.rows);
        x.toHost();
        int n = x.length();
        if (!x.isDouble()) {
            // float32: heap copies and the vectorised kernel (floatValuesAndDerivatives)
            ys = Kernels.atLeast(ys, n);
            ds = Kernels.atLeast(ds, n);
            scratch = Kernels.atLeast(scratch, n);
            x.get(0, ys, 0, n);
            floatValuesAndDerivatives(ys, ds, scratch, n);
            y.put(0, ys, 0, n);
            dydx.put(0, ds, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                double v = x.get(i);
                if (v > LINEAR_ABOVE) {
                    y.set(i, v);
                    dydx.set(i, 1.0);
                    continue;
                }
                y.set(i, value(v));
                dydx.set(i, derivative(v));
            }
        }
        y.hostWritten();
        dydx.hostWritten();
        lastDerivative = dydx;
        return y;
    }

    @Override
    public Mat backward(Mat dy, boolean paramGrads, boolean inputGrad) {
        if (!inputGrad) {
            return null;
        }
        Mat dydx = lastDerivative;
        Mat dx = inGrads.get(dy.rows);
        dy.toHost();
        int n = dy.length();
        if (!dy.isDouble()) {
            ys = Kernels.atLeast(ys, n);
            ds = Kernels.atLeast(ds, n);
            dy.get(0, ys, 0, n);
            dydx.get(0, ds, 0, n);
            for (int i = 0; i < n; i++) {
                ys[i] *= ds[i];
            }
            dx.put(0, ys, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                dx.set(i, dy.get(i) * dydx.get(i));
            }
        }
        dx.hostWritten();
        return dx;
    }

    private float[] ys = new float[0];
    private float[] ds = new float[0];
    private float[] scratch = new float[0];

    /** {@code x · tanh(softplus(x))} ({@link Kernels#mish}). */
    public static double value(double x) {
        return Kernels.mish(x);
    }

    /** {@code d/dx [x · tanh(softplus(x))]} ({@link Kernels#mishDerivative}). */
    public static double derivative(double x) {
        return Kernels.mishDerivative(x);
    }

    private static final float LOG2E = 1.44269504f;
    /** ln 2 in two parts (Cody and Waite): the high part has 12 significant bits, so {@code k · LN2_HI} is exact. */
    private static final float LN2_HI = 0.693145752f;
    private static final float LN2_LO = 1.42860677e-6f;
    /** 1.5 · 2^23: {@code (v + ROUND) − ROUND} rounds a float of magnitude below 2^22 to the nearest integer. */
    private static final float ROUND = 12582912f;
    private static final float CLAMP_LOW = -40f;
    private static final float CLAMP_HIGH = (float) LINEAR_ABOVE;
    private static final int BLOCK = 2048;

    /**
     * The float32 path of both Mish layers (this one and {@link Activation}'s): on entry {@code xy[0, n)} holds the
     * inputs; on exit it holds {@code mish(x)} and {@code d[0, n)} holds {@code mish'(x)}; {@code scratch} (at least
     * {@code n} floats) is overwritten.
     *
     * <p>Written as three loops per block of {@value #BLOCK} values so that HotSpot's C2 vectorises two of them
     * (a single loop with the whole computation is too large for its unroller and runs scalar, about 12–20 ns per
     * value; these run at about 1.5 ns, {@code scripts/bench/MishSpeed.java}):
     * <ol>
     *   <li>range reduction {@code e^c = 2^k · e^r} with {@code c = clamp(x, −40, 20)}, {@code k = rint(c / ln 2)}
     *       by the {@code 1.5 · 2^23} rounding trick, {@code |r| ≤ ln 2 / 2}, and the degree-7 Taylor polynomial of
     *       {@code e^r} (truncation below 5.2e-9 relative);</li>
     *   <li>the scaling by {@code 2^k}, built from its bit pattern (scalar: C2 does not vectorise the bit cast);</li>
     *   <li>with {@code w = e(e + 2)}: {@code tanh(softplus(x)) = t = w / (w + 2)}, {@code 1 − t = 2 / (w + 2)},
     *       {@code σ(x) = e / (1 + e)}, {@code y = x · t} and {@code y' = t + x (1 − t)(1 + t) σ(x)}.</li>
     * </ol>
     * Every operation is in float32: the values are within 3e-7 relative of the exact ones (a few ulp), the
     * derivative within 3e-7 relative plus 1e-7 absolute (it crosses zero near {@code x = −1.19}, where its two
     * terms cancel). The clamp keeps the arithmetic away from subnormal numbers and huge products: below −40, where
     * {@code |mish(x)| < 2e-16}, value and derivative are those at −40 (below 2e-16 in magnitude); above 20 they are
     * {@code x} and 1 to float precision (PyTorch's softplus threshold), for any finite or infinite x; NaN stays NaN.
     */
    static void floatValuesAndDerivatives(float[] xy, float[] d, float[] scratch, int n) {
        for (int from = 0; from < n; from += BLOCK) {
            int to = Math.min(n, from + BLOCK);
            for (int i = from; i < to; i++) {
                float c = Math.max(CLAMP_LOW, Math.min(CLAMP_HIGH, xy[i]));
                float k = (c * LOG2E + ROUND) - ROUND;
                float r = (c - k * LN2_HI) - k * LN2_LO;
                d[i] = 1f + r * (1f + r * (0.5f + r * (1f / 6 + r * (1f / 24 + r * (1f / 120 + r * (1f / 720
                        + r * (1f / 5040)))))));
                scratch[i] = k;
            }
            for (int i = from; i < to; i++) {
                d[i] *= Float.intBitsToFloat(((int) scratch[i] + 127) << 23);
            }
            for (int i = from; i < to; i++) {
                float v = Math.max(CLAMP_LOW, xy[i]); // x, except below −40
                float c = Math.min(CLAMP_HIGH, v);     // clamp(x, −40, 20), as e was computed from
                float e = d[i];
                float w = e * (e + 2f);
                float g = 1f / (w + 2f);
                float t = w * g;
                xy[i] = v * t;
                d[i] = t + c * (2f * g) * (1f + t) * (e / (1f + e));
            }
        }
    }
}
