package org.armature.agents;

import org.armature.nn.FastMlp;
import org.armature.nn.Kernels;
import org.armature.nn.Rng;
import org.armature.nn.SquashedGaussianHead;

/**
 * A policy loaded from a bundle: observation normalisation, a plain-Java MLP and the action head. Deterministic
 * {@link #act} is the mean action; {@link #sample} draws from the squashed Gaussian (deterministic heads return
 * the mean). Not thread-safe: one instance per control thread.
 */
public final class BundlePolicy implements Policy {

    private final PolicyBundles.Spec spec;
    private final FastMlp net;
    private final int obsDim;
    private final int actDim;
    private final boolean gaussian;
    private final double[] scale;
    private final double[] center;
    private final float[] normObs;
    private final float[] out;
    private Rng rng = new Rng(0);

    BundlePolicy(PolicyBundles.Spec spec, FastMlp net) {
        this.spec = spec;
        this.net = net;
        this.obsDim = spec.observationSpace().low().length;
        this.actDim = spec.actionSpace().low().length;
        this.gaussian = PolicyBundles.SQUASHED_GAUSSIAN.equals(spec.policy().type());
        if (!gaussian && !PolicyBundles.DETERMINISTIC_TANH.equals(spec.policy().type())) {
            throw new IllegalArgumentException("unknown policy type '" + spec.policy().type() + "', expected "
                    + PolicyBundles.SQUASHED_GAUSSIAN + " or " + PolicyBundles.DETERMINISTIC_TANH);
        }
        if (net.inputSize() != obsDim) {
            throw new IllegalArgumentException("network takes " + net.inputSize() + " inputs but the observation space has "
                    + obsDim + " dims");
        }
        int expectedOut = gaussian ? 2 * actDim : actDim;
        if (net.outputSize() != expectedOut) {
            throw new IllegalArgumentException("network gives " + net.outputSize() + " outputs, a " + spec.policy().type()
                    + " with " + actDim + " action dims needs " + expectedOut);
        }
        this.scale = new double[actDim];
        this.center = new double[actDim];
        for (int j = 0; j < actDim; j++) {
            float lo = spec.actionSpace().low()[j];
            float hi = spec.actionSpace().high()[j];
            scale[j] = (hi - (double) lo) / 2;
            center[j] = (hi + (double) lo) / 2;
        }
        this.normObs = new float[obsDim];
        this.out = new float[net.outputSize()];
    }

    public PolicyBundles.Spec spec() {
        return spec;
    }

    @Override
    public int observationDim() {
        return obsDim;
    }

    @Override
    public int actionDim() {
        return actDim;
    }

    @Override
    public int chunkLength() {
        return Math.max(1, spec.chunkLength());
    }

    @Override
    public void reset(long seed) {
        rng = new Rng(seed);
    }

    private void forward(float[] observation) {
        if (observation.length != obsDim) {
            throw new IllegalArgumentException("policy expects observations of " + obsDim + " values, got "
                    + observation.length);
        }
        PolicyBundles.Normalization n = spec.observationNormalization();
        if (n == null) {
            System.arraycopy(observation, 0, normObs, 0, obsDim);
        } else {
            for (int i = 0; i < obsDim; i++) {
                double v = (observation[i] - n.mean()[i]) / n.std()[i];
                normObs[i] = (float) Math.max(-n.clip(), Math.min(n.clip(), v));
            }
        }
        net.forward(normObs, out);
    }

    @Override
    public float[] act(float[] observation) {
        float[] a = new float[actDim];
        act(observation, a);
        return a;
    }

    @Override
    public void act(float[] observation, float[] action) {
        forward(observation);
        for (int j = 0; j < actDim; j++) {
            action[j] = (float) (Kernels.tanh(out[j]) * scale[j] + center[j]);
        }
    }

    @Override
    public float[] sample(float[] observation) {
        if (!gaussian) {
            return act(observation);
        }
        forward(observation);
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
