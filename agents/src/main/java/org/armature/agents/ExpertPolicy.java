package org.armature.agents;

import org.armature.envs.EnvSpec;
import org.armature.envs.experts.Expert;
import org.armature.envs.experts.Experts;

/** A scripted expert of {@code org.armature.envs.experts} seen as a {@link Policy} (reset re-seeds its noise). */
public final class ExpertPolicy implements Policy {

    private final Expert expert;
    private final int observationDim;
    private final int actionDim;

    public ExpertPolicy(Expert expert, EnvSpec spec) {
        this.expert = expert;
        this.observationDim = spec.observationDim();
        this.actionDim = spec.actionDim();
    }

    /** The registered expert of {@code spec}'s env with Gaussian action noise {@code noiseStd} (action units). */
    public static ExpertPolicy of(EnvSpec spec, double noiseStd, long seed) {
        return new ExpertPolicy(Experts.make(spec.id(), noiseStd, seed), spec);
    }

    @Override
    public float[] act(float[] observation) {
        return expert.act(observation);
    }

    @Override
    public void reset(long seed) {
        expert.reset(seed);
    }

    @Override
    public int observationDim() {
        return observationDim;
    }

    @Override
    public int actionDim() {
        return actionDim;
    }
}
