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
    public int outChannels() {
        return channels;
    }

    @Override
    public int outputLength(int inputLength) {
        return inputLength;
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
            // float32: heap copies and an exp accurate to float precision (Math.exp is most of this layer's time,
            // ~20 ns per call on the dev box, against ~3 ns for expForFloat)
            if (ys.length < n) {
                ys = new float[n];
                ds = new float[n];
            }
            x.get(0, ys, 0, n);
            for (int i = 0; i < n; i++) {
                floatValueAndDerivative(ys[i], ys, ds, i);
            }
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
        for (int i = 0; i < n; i++) {
            dx.set(i, dy.get(i) * dydx.get(i));
        }
        dx.hostWritten();
        return dx;
    }

    private float[] ys = new float[0];
    private float[] ds = new float[0];

    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2 = 0.6931471805599453;

    /**
     * {@code e^x} to within 6e-9 relative for {@code x <= 20} (0 below −87, where float results are 0 anyway):
     * {@code 2^k · e^r} with {@code k = rint(x / ln 2)}, {@code |r| <= ln 2 / 2} and the degree-7 Taylor polynomial of
     * {@code e^r} (remainder below {@code 0.35^8 / 8! = 5e-9}). Float-path only; the float64 path keeps
     * {@link Math#exp} for the gradient checks.
     */
    static double expForFloat(double x) {
        if (x < -87.0) {
            return 0.0;
        }
        double k = Math.rint(x * LOG2E);
        double r = x - k * LN2;
        double p = 1 + r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720
                + r * (1.0 / 5040)))))));
        return p * Double.longBitsToDouble(((long) k + 1023L) << 52);
    }

    /** {@code x · tanh(softplus(x))} ({@link Kernels#mish}). */
    public static double value(double x) {
        return Kernels.mish(x);
    }

    /** {@code d/dx [x · tanh(softplus(x))]} ({@link Kernels#mishDerivative}). */
    public static double derivative(double x) {
        return Kernels.mishDerivative(x);
    }

    /**
     * The float path of both Mish layers (this one and {@link Activation}'s): {@code y[i] = mish(x)} and
     * {@code d[i] = mish'(x)} for {@code x = v}, from one float-accurate exponential.
     */
    static void floatValueAndDerivative(double v, float[] y, float[] d, int i) {
        if (v > LINEAR_ABOVE) {
            y[i] = (float) v;
            d[i] = 1f;
            return;
        }
        double e = expForFloat(v);
        double w = e * (e + 2);
        double r = 1.0 / ((w + 2) * (1 + e)); // one division for tanh(softplus(v)) and sigmoid(v) = e / (1 + e)
        double t = w * (1 + e) * r;           // tanh(softplus(v)) = w / (w + 2)
        y[i] = (float) (v * t);
        d[i] = (float) (t + v * (1 - t * t) * e * (w + 2) * r);
    }
}
