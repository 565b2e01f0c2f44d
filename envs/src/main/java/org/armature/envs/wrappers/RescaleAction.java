package org.armature.envs.wrappers;

import org.armature.envs.BoxSpace;
import org.armature.envs.Env;
import org.armature.envs.EnvSpec;
import org.armature.envs.Step;
import org.armature.envs.Wrapper;

/**
 * Affinely maps actions from [{@code min}, {@code max}]^n (default [-1, 1]) to the wrapped env's bounded action
 * space, as Gymnasium's {@code RescaleAction}.
 */
public final class RescaleAction extends Wrapper {

    private final float min;
    private final float max;
    private final float[] scaled;
    private final EnvSpec spec;

    public RescaleAction(Env env) {
        this(env, -1f, 1f);
    }

    public RescaleAction(Env env, float min, float max) {
        super(env);
        if (!(min < max)) {
            throw new IllegalArgumentException("RescaleAction: need min < max, got [" + min + ", " + max + "]");
        }
        if (!env.spec().actionSpace().isBounded()) {
            throw new IllegalArgumentException("RescaleAction: the action space of " + env.spec().id() + " is unbounded");
        }
        this.min = min;
        this.max = max;
        this.scaled = new float[env.spec().actionDim()];
        this.spec = env.spec().withActionSpace(BoxSpace.uniform(env.spec().actionDim(), min, max));
    }

    @Override
    public EnvSpec spec() {
        return spec;
    }

    @Override
    public Step step(float[] action) {
        org.armature.envs.AbstractEnv.checkAction(spec, action);
        BoxSpace inner = env.spec().actionSpace();
        for (int i = 0; i < scaled.length; i++) {
            float a = Math.max(min, Math.min(max, action[i]));
            float u = (a - min) / (max - min);
            scaled[i] = inner.low(i) + u * (inner.high(i) - inner.low(i));
        }
        return env.step(scaled);
    }
}
