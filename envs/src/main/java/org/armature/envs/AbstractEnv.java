package org.armature.envs;

import java.util.SplittableRandom;

/**
 * Shared plumbing for tasks: the seeded random stream, action validation (length, NaN/inf) and clipping into a
 * preallocated buffer. Subclasses implement {@link #resetTask(SplittableRandom)} and {@link #stepTask(float[])}.
 */
public abstract class AbstractEnv implements Env {

    private SplittableRandom rng = new SplittableRandom(0);
    private final float[] clippedAction;
    private long clippedActionCount;
    private boolean needsReset = true;

    protected AbstractEnv(int actionDim) {
        this.clippedAction = new float[actionDim];
    }

    @Override
    public final Reset reset(long seed) {
        rng = new SplittableRandom(seed);
        return reset();
    }

    @Override
    public final Reset reset() {
        needsReset = false;
        return resetTask(rng);
    }

    @Override
    public final Step step(float[] action) {
        if (needsReset) {
            throw new IllegalStateException(spec().id() + ": step() called before reset()");
        }
        checkAction(spec(), action);
        clippedActionCount += spec().actionSpace().clip(action, clippedAction);
        return stepTask(clippedAction);
    }

    /** Throws a one-line {@link IllegalArgumentException} for a null, wrong-length or non-finite action. */
    public static void checkAction(EnvSpec spec, float[] action) {
        int n = spec.actionDim();
        if (action == null) {
            throw new IllegalArgumentException(spec.id() + ": action is null, expected " + n + " floats");
        }
        if (action.length != n) {
            throw new IllegalArgumentException(spec.id() + ": action has length " + action.length + ", expected " + n);
        }
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(action[i])) {
                throw new IllegalArgumentException(spec.id() + ": action[" + i + "] is " + action[i]
                        + ", expected a finite number in [" + spec.actionSpace().low(i) + ", "
                        + spec.actionSpace().high(i) + "]");
            }
        }
    }

    /** Standard normal draw by Box-Muller from {@code rng} (deterministic for a seeded stream). */
    public static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Number of action components clipped into the action space since construction. */
    public long clippedActionCount() {
        return clippedActionCount;
    }

    /** The env's random stream (seeded by {@link #reset(long)}). */
    protected SplittableRandom rng() {
        return rng;
    }

    /** Starts a new episode; randomness must come only from {@code rng}. */
    protected abstract Reset resetTask(SplittableRandom rng);

    /** Advances one control step with an action already validated and clipped (a reused buffer: copy to keep). */
    protected abstract Step stepTask(float[] action);
}
