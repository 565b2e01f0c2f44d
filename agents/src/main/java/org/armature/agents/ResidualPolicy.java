package org.armature.agents;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A frozen base policy with a per-step residual correction on top (ResFiT, Ankile et al. 2025):
 * {@code a = clip(a_base + scale · tanh(f(obs, a_base)), −1, 1)} in normalised action units, mapped back to the action
 * box. The residual network sees its own normalised observation history and the base action normalised to [−1, 1]. A
 * chunked base keeps its own action queue; the residual corrects every action played. With a zero last layer (how
 * ResFiT starts training) the policy acts exactly as the base.
 */
public final class ResidualPolicy implements Policy {

    private final Policy base;
    private final BundlePolicy residual;
    private final double scale;
    private final int actDim;
    private final float[] baseAction;
    private final float[] center;
    private final float[] halfRange;

    public ResidualPolicy(Policy base, BundlePolicy residual, double scale) {
        if (base.observationDim() != residual.observationDim() || base.actionDim() != residual.actionDim()) {
            throw new IllegalArgumentException("the residual network maps " + residual.observationDim() + " -> "
                    + residual.actionDim() + " but its base policy " + base.observationDim() + " -> "
                    + base.actionDim());
        }
        if (residual.chunkLength() != 1) {
            throw new IllegalArgumentException("a residual network corrects one action per step, not chunks of "
                    + residual.chunkLength());
        }
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("residual scale must be a finite number >= 0, got " + scale);
        }
        this.base = base;
        this.residual = residual;
        this.scale = scale;
        this.actDim = base.actionDim();
        this.baseAction = new float[actDim];
        this.center = new float[actDim];
        this.halfRange = new float[actDim];
        PolicyBundles.Space box = residual.spec().actionSpace();
        for (int j = 0; j < actDim; j++) {
            center[j] = (box.high()[j] + box.low()[j]) / 2f;
            halfRange[j] = (box.high()[j] - box.low()[j]) / 2f;
        }
    }

    /**
     * The residual network of the composite bundle in {@code bundleDir} on top of a base the caller supplies instead
     * of the bundle's own {@code base/} (a base served elsewhere, or a stand-in whose cost is to be left out, as in
     * {@code armature bench residual}).
     */
    public static ResidualPolicy onBase(Policy base, Path bundleDir) throws IOException {
        PolicyBundles.Spec s = PolicyBundles.readSpec(bundleDir);
        if (s.composition() == null || !PolicyBundles.RESIDUAL.equals(s.composition().kind())) {
            throw new IOException(bundleDir + ": expected a composite bundle with composition kind '"
                    + PolicyBundles.RESIDUAL + "'");
        }
        return (ResidualPolicy) PolicyBundles.onBase(bundleDir, s, base);
    }

    @Override
    public void act(float[] observation, float[] action) {
        base.act(observation, baseAction);
        residual.pushObservation(observation);
        float[] in = residual.input; // the frames, then the base action
        int off = in.length - actDim;
        for (int j = 0; j < actDim; j++) {
            in[off + j] = (baseAction[j] - center[j]) / halfRange[j];
        }
        residual.forward();
        for (int j = 0; j < actDim; j++) {
            double u = in[off + j] + scale * residual.squashed(j);
            action[j] = (float) (Math.max(-1.0, Math.min(1.0, u)) * halfRange[j] + center[j]);
        }
    }

    @Override
    public void reset(long seed) {
        base.reset(seed);
        residual.reset(seed);
    }

    @Override
    public int observationHistory() {
        return Math.max(base.observationHistory(), residual.observationHistory());
    }

    @Override
    public int observationDim() {
        return base.observationDim();
    }

    @Override
    public int actionDim() {
        return actDim;
    }
}
