package org.armature.envs.wrappers;

import org.armature.envs.Env;
import org.armature.envs.EnvSpec;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.envs.Wrapper;

/**
 * Observation = the last {@code length} observations concatenated, oldest first. At reset the history is filled with
 * copies of the first observation (as Diffusion Policy's observation horizon does).
 */
public final class ObservationHistory extends Wrapper {

    private final int length;
    private final int obsDim;
    private final float[] history;
    private final EnvSpec spec;

    public ObservationHistory(Env env, int length) {
        super(env);
        if (length < 1) {
            throw new IllegalArgumentException("ObservationHistory: length must be >= 1, got " + length);
        }
        this.length = length;
        EnvSpec s = env.spec();
        this.obsDim = s.observationDim();
        this.history = new float[length * obsDim];
        this.spec = s.withObservationSpace(s.observationSpace().repeat(length));
    }

    @Override
    public EnvSpec spec() {
        return spec;
    }

    @Override
    public Reset reset(long seed) {
        return fill(env.reset(seed));
    }

    @Override
    public Reset reset() {
        return fill(env.reset());
    }

    private Reset fill(Reset r) {
        for (int i = 0; i < length; i++) {
            System.arraycopy(r.observation(), 0, history, i * obsDim, obsDim);
        }
        return new Reset(history.clone(), r.info());
    }

    @Override
    public Step step(float[] action) {
        Step s = env.step(action);
        System.arraycopy(history, obsDim, history, 0, (length - 1) * obsDim);
        System.arraycopy(s.observation(), 0, history, (length - 1) * obsDim, obsDim);
        return s.withObservation(history.clone());
    }
}
