package org.armature.envs.wrappers;

import org.armature.envs.Env;
import org.armature.envs.Step;
import org.armature.envs.Wrapper;

/**
 * Repeats each action {@code repeat} times, summing the rewards; stops early when the episode ends. The spec's
 * control dt and episode limit are scaled accordingly.
 */
public final class ActionRepeat extends Wrapper {

    private final int repeat;

    public ActionRepeat(Env env, int repeat) {
        super(env);
        if (repeat < 1) {
            throw new IllegalArgumentException("ActionRepeat: repeat must be >= 1, got " + repeat);
        }
        this.repeat = repeat;
    }

    @Override
    public org.armature.envs.EnvSpec spec() {
        var s = env.spec();
        int limit = s.maxEpisodeSteps() == 0 ? 0 : (s.maxEpisodeSteps() + repeat - 1) / repeat;
        return s.withControlDt(s.controlDtSeconds() * repeat).withMaxEpisodeSteps(limit);
    }

    @Override
    public Step step(float[] action) {
        double total = 0;
        Step s = null;
        for (int i = 0; i < repeat; i++) {
            s = env.step(action);
            total += s.reward();
            if (s.done()) {
                break;
            }
        }
        return s.withReward(total);
    }
}
