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
        for (int i = 0; i < n; i++) {
            double v = x.get(i);
            if (v > LINEAR_ABOVE) {
                y.set(i, v);
                dydx.set(i, 1.0);
                continue;
            }
            double e = Math.exp(v);
            double w = e * (e + 2);
            double t = w / (w + 2);                                  // tanh(softplus(v))
            y.set(i, v * t);
            dydx.set(i, t + v * (1 - t * t) * e / (1 + e));
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

    /** {@code x · tanh(softplus(x))}. */
    public static double value(double x) {
        if (x > LINEAR_ABOVE) {
            return x;
        }
        double e = Math.exp(x);
        double w = e * (e + 2);
        return x * w / (w + 2);
    }

    /** {@code d/dx [x · tanh(softplus(x))]}. */
    public static double derivative(double x) {
        if (x > LINEAR_ABOVE) {
            return 1.0;
        }
        double e = Math.exp(x);
        double w = e * (e + 2);
        double t = w / (w + 2);
        return t + x * (1 - t * t) * e / (1 + e);
    }
}
