package org.armature.envs.wrappers;

import org.armature.envs.Env;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.envs.Wrapper;

/**
 * Truncates episodes after {@code maxEpisodeSteps} steps (Gymnasium's {@code TimeLimit}): the last step has
 * {@code truncated = true}; {@code terminated} is left as the task reported it, so a step that both terminates and
 * hits the limit carries both flags.
 */
public final class TimeLimit extends Wrapper {

    private final int maxEpisodeSteps;
    private int elapsedSteps;

    public TimeLimit(Env env, int maxEpisodeSteps) {
        super(env);
        if (maxEpisodeSteps <= 0) {
            throw new IllegalArgumentException("TimeLimit: maxEpisodeSteps must be positive, got " + maxEpisodeSteps);
        }
        this.maxEpisodeSteps = maxEpisodeSteps;
    }

    public int maxEpisodeSteps() {
        return maxEpisodeSteps;
    }

    @Override
    public Reset reset(long seed) {
        elapsedSteps = 0;
        return env.reset(seed);
    }

    @Override
    public Reset reset() {
        elapsedSteps = 0;
        return env.reset();
    }

    @Override
    public Step step(float[] action) {
        Step s = env.step(action);
        elapsedSteps++;
        if (elapsedSteps >= maxEpisodeSteps && !s.truncated()) {
            s = s.withTruncated(true);
        }
        return s;
    }
}
