package org.armature.envs;

import org.armature.sim.Scene;

/** Base class for wrappers: delegates everything to the wrapped env; subclasses override what they change. */
public abstract class Wrapper implements Env {

    protected final Env env;

    protected Wrapper(Env env) {
        this.env = env;
    }

    public Env inner() {
        return env;
    }

    @Override
    public EnvSpec spec() {
        return env.spec();
    }

    @Override
    public Reset reset(long seed) {
        return env.reset(seed);
    }

    @Override
    public Reset reset() {
        return env.reset();
    }

    @Override
    public Step step(float[] action) {
        return env.step(action);
    }

    @Override
    public Scene scene() {
        return env.scene();
    }

    @Override
    public Env unwrapped() {
        return env.unwrapped();
    }

    /** Finds the first wrapper (or the env itself) of the given type in this chain, or null. */
    public static <T> T find(Env env, Class<T> type) {
        Env e = env;
        while (true) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
            if (e instanceof Wrapper w) {
                e = w.env;
            } else {
                return null;
            }
        }
    }

    @Override
    public void close() {
        env.close();
    }
}
