package org.armature.agents.residual;

import org.armature.agents.Policy;
import org.armature.envs.BoxSpace;
import org.armature.envs.Env;
import org.armature.envs.EnvSpec;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.envs.Wrapper;

/**
 * Runs a frozen base policy beside the env and appends its action to every observation: the wrapped observation is
 * {@code [obs, a_base(obs)]} (env units), so a residual agent sees what the base would do and every stored transition
 * carries the base action at its first state and, in its next observation, at the state a (possibly n-step) target
 * bootstraps from. Actions pass through unchanged: the agent chooses the executed action itself. The base is reset
 * with the episode's seed at every {@link #reset(long)}, which also clears a chunked base's action queue (the
 * reference code kept a stale queue across episodes).
 */
public final class BaseActionObservation extends Wrapper {

    private final Policy base;
    private final EnvSpec spec;
    private final int obsDim;
    private final int actDim;
    private final float[] baseAction;

    public BaseActionObservation(Env env, Policy base) {
        super(env);
        EnvSpec s = env.spec();
        if (base.observationDim() != s.observationDim() || base.actionDim() != s.actionDim()) {
            throw new IllegalArgumentException("the base policy maps " + base.observationDim() + " -> "
                    + base.actionDim() + " values but " + s.id() + " has observations of " + s.observationDim()
                    + " and actions of " + s.actionDim());
        }
        this.base = base;
        this.obsDim = s.observationDim();
        this.actDim = s.actionDim();
        this.baseAction = new float[actDim];
        float[] lo = new float[obsDim + actDim];
        float[] hi = new float[obsDim + actDim];
        for (int i = 0; i < obsDim; i++) {
            lo[i] = s.observationSpace().low(i);
            hi[i] = s.observationSpace().high(i);
        }
        for (int j = 0; j < actDim; j++) {
            lo[obsDim + j] = s.actionSpace().low(j);
            hi[obsDim + j] = s.actionSpace().high(j);
        }
        this.spec = s.withObservationSpace(new BoxSpace(lo, hi));
    }

    /** The frozen base policy. */
    public Policy base() {
        return base;
    }

    @Override
    public EnvSpec spec() {
        return spec;
    }

    @Override
    public Reset reset(long seed) {
        base.reset(seed);
        Reset r = env.reset(seed);
        return new Reset(augment(r.observation()), r.info());
    }

    @Override
    public Reset reset() {
        throw new UnsupportedOperationException("a base policy runs on seeded episodes: call reset(seed)");
    }

    @Override
    public Step step(float[] action) {
        Step s = env.step(action);
        return s.withObservation(augment(s.observation()));
    }

    private float[] augment(float[] observation) {
        base.act(observation, baseAction);
        float[] out = new float[obsDim + actDim];
        System.arraycopy(observation, 0, out, 0, obsDim);
        System.arraycopy(baseAction, 0, out, obsDim, actDim);
        return out;
    }
}
