package org.armature.agents;

import org.armature.nn.FastMlp;
import org.armature.nn.Kernels;
import org.armature.nn.SquashedGaussianHead;

/**
 * A policy loaded from a network bundle ({@link LoadedPolicy}: observation normalisation, history and chunk queue), a
 * plain-Java MLP and the action head; a chunked bundle holds its last action when it decides less often
 * ({@code decisionInterval}, {@link PolicyBundles.Spec#interval}). Deterministic {@link #act} is the mean action;
 * {@link #sample} draws from the squashed Gaussian (deterministic heads return the mean).
 */
public final class BundlePolicy extends LoadedPolicy {

    private final FastMlp net;
    private final boolean gaussian;
    private final float[] out;

    BundlePolicy(PolicyBundles.Spec spec, FastMlp net) {
        super(spec, net.inputSize(), spec.interval());
        this.net = net;
        this.gaussian = PolicyBundles.SQUASHED_GAUSSIAN.equals(spec.policy().type());
        if (!gaussian && !PolicyBundles.DETERMINISTIC_TANH.equals(spec.policy().type())) {
            throw new IllegalArgumentException("unknown policy type '" + spec.policy().type() + "', expected "
                    + PolicyBundles.SQUASHED_GAUSSIAN + " or " + PolicyBundles.DETERMINISTIC_TANH);
        }
        int extra = extraInputs(spec);
        if (net.inputSize() != history * obsDim + extra) {
            throw new IllegalArgumentException("network takes " + net.inputSize() + " inputs but " + history
                    + " observation frame(s) of " + obsDim + " dims" + (extra > 0 ? " and the base action" : "")
                    + " make " + (history * obsDim + extra));
        }
        // a noise-space head outputs its base's sampler noise: NoiseSpacePolicy checks that size against the base
        boolean noiseHead = spec.composition() != null && PolicyBundles.NOISE_SPACE.equals(spec.composition().kind());
        // a Gaussian chunk: the means of every action first, then their log stds (SAC over a flattened sequence)
        int expectedOut = gaussian ? 2 * predicted * actDim : predicted * actDim;
        if (!noiseHead && net.outputSize() != expectedOut) {
            throw new IllegalArgumentException("network gives " + net.outputSize() + " outputs, a " + spec.policy().type()
                    + " with " + actDim + " action dims and chunks of " + predicted + " needs " + expectedOut);
        }
        this.out = new float[net.outputSize()];
    }

    /**
     * Normalises one observation value as the bundle says: min–max to [−1, 1] (a dimension of zero range is shifted,
     * not scaled), mean/std with clipping, or none.
     */
    public static double normalize(PolicyBundles.Normalization n, int i, double x) {
        if (n == null) {
            return x;
        }
        if (n.isMinMax()) {
            double range = n.high()[i] - (double) n.low()[i];
            return range > 0 ? 2 * (x - n.low()[i]) / range - 1 : x - n.low()[i];
        }
        return Math.max(-n.clip(), Math.min(n.clip(), (x - n.mean()[i]) / n.std()[i]));
    }

    /** Inputs after the observation frames: a residual network also sees the base action. */
    private static int extraInputs(PolicyBundles.Spec spec) {
        return spec.composition() != null && PolicyBundles.RESIDUAL.equals(spec.composition().kind())
                ? spec.actionSpace().low().length : 0;
    }

    @Override
    protected void forward() {
        net.forward(input, out);
    }

    /** Number of network outputs. */
    int outputs() {
        return out.length;
    }

    /** Output {@code k} of the last forward pass, squashed by tanh (in [−1, 1]). */
    double squashed(int k) {
        return Kernels.tanh(out[k]);
    }

    @Override
    protected void chunkAction(int c, float[] action) {
        for (int j = 0; j < actDim; j++) {
            action[j] = (float) (Kernels.tanh(out[c * actDim + j]) * scale[j] + center[j]);
        }
    }

    @Override
    public float[] sample(float[] observation) {
        if (!gaussian || predicted > 1) { // chunks play their means
            return act(observation);
        }
        pushObservation(observation);
        forward();
        float[] a = new float[actDim];
        PolicyBundles.AffineLogStd affine = spec.policy().logStd();
        for (int j = 0; j < actDim; j++) {
            double raw = out[actDim + j];
            double ls = affine == null ? SquashedGaussianHead.logStd(raw) : SquashedGaussianHead.affineClampedLogStd(raw,
                    affine.multiplier(), affine.offset(), affine.min(), affine.max());
            double u = out[j] + Math.exp(ls) * rng.nextGaussian();
            a[j] = (float) (Kernels.tanh(u) * scale[j] + center[j]);
        }
        return a;
    }
}
