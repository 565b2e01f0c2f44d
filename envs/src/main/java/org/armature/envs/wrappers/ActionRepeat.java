package org.armature.envs.wrappers;

import org.armature.envs.Env;
import org.armature.envs.Step;
import org.armature.envs.Wrapper;

/**
 * Repeats each action {@code repeat} times, summing the rewards; stops early when the episode ends. The spec's
 * control dt and episode limit are scaled accordingly; {@code info} carries {@code decision_steps} (how many control
 * steps ran, which training loops count env steps in) as {@link DecisionInterval} does.
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
        int executed = 0;
        for (int i = 0; i < repeat; i++) {
            s = env.step(action);
            total += s.reward();
            executed++;
            if (s.done()) {
                break;
            }
        }
        java.util.Map<String, Object> info = new java.util.HashMap<>(s.info());
        info.put(DecisionInterval.DECISION_STEPS, executed);
        return new Step(s.observation(), total, s.terminated(), s.truncated(), info);
    }
}
