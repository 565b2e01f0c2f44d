package org.armature.envs.wrappers;

import java.util.HashMap;
import java.util.Map;

import org.armature.envs.Env;
import org.armature.envs.EnvSpec;
import org.armature.envs.Step;
import org.armature.envs.Wrapper;

/**
 * One decision every {@code k} control steps: the policy supplies a whole k-step action sequence (flattened,
 * {@code k * actionDim} values, step-major), which is executed open-loop. The reward is the sum over the executed
 * steps; execution stops early when the episode ends. {@code info} is the last step's info plus
 * {@code decision_steps} (how many steps ran), {@code step_rewards} (a double[] of the per-step rewards) and
 * {@code step_observations} (a float[][] of the observation after each executed step, the last one the decision's
 * own), which sequence-RL methods and the Frequency-Averaged Score need.
 */
public final class DecisionInterval extends Wrapper {

    /** Info key: primitive control steps a decision ran (training loops count env steps in these). */
    public static final String DECISION_STEPS = "decision_steps";
    /** Info key: the per-step rewards of a decision, a double[]. */
    public static final String STEP_REWARDS = "step_rewards";
    /** Info key: the observation after each executed step of a decision, a float[][] (row i after step i). */
    public static final String STEP_OBSERVATIONS = "step_observations";

    private final int k;
    private final int actionDim;
    private final float[] sub;
    private final EnvSpec spec;

    public DecisionInterval(Env env, int k) {
        super(env);
        if (k < 1) {
            throw new IllegalArgumentException("DecisionInterval: k must be >= 1, got " + k);
        }
        this.k = k;
        EnvSpec s = env.spec();
        this.actionDim = s.actionDim();
        this.sub = new float[actionDim];
        int limit = s.maxEpisodeSteps() == 0 ? 0 : (s.maxEpisodeSteps() + k - 1) / k;
        this.spec = s.withActionSpace(s.actionSpace().repeat(k)).withControlDt(s.controlDtSeconds() * k)
                .withMaxEpisodeSteps(limit);
    }

    public int decisionInterval() {
        return k;
    }

    @Override
    public EnvSpec spec() {
        return spec;
    }

    @Override
    public Step step(float[] actionSequence) {
        if (actionSequence == null || actionSequence.length != k * actionDim) {
            throw new IllegalArgumentException(spec.id() + ": DecisionInterval expects an action sequence of " + k
                    + " x " + actionDim + " = " + (k * actionDim) + " floats, got "
                    + (actionSequence == null ? "null" : actionSequence.length));
        }
        double total = 0;
        double[] rewards = new double[k];
        float[][] observations = new float[k][];
        Step s = null;
        int executed = 0;
        for (int i = 0; i < k; i++) {
            System.arraycopy(actionSequence, i * actionDim, sub, 0, actionDim);
            s = env.step(sub);
            rewards[i] = s.reward();
            observations[i] = s.observation().clone();
            total += s.reward();
            executed++;
            if (s.done()) {
                break;
            }
        }
        Map<String, Object> info = new HashMap<>(s.info());
        info.put(DECISION_STEPS, executed);
        info.put(STEP_REWARDS, java.util.Arrays.copyOf(rewards, executed));
        info.put(STEP_OBSERVATIONS, java.util.Arrays.copyOf(observations, executed));
        return new Step(s.observation(), total, s.terminated(), s.truncated(), info);
    }
}
