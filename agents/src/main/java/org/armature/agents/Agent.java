package org.armature.agents;

import org.armature.envs.BoxSpace;
import org.armature.nn.Rng;

/**
 * An online off-policy {@link Learner}: it also chooses exploration actions for the training rollouts. Everything
 * else (updates, statistics, state, bundle export) is the learner interface every algorithm shares.
 */
public interface Agent extends Learner {

    /** Exploration action for training rollouts, written into {@code out}. */
    void explore(float[] observation, float[] out);

    /**
     * True for an agent that decides once per several control steps (its action is a sequence, played by
     * {@code DecisionInterval}) but learns from every control step: the training loop stores each decision's primitive
     * transitions (from the wrapper's {@code step_observations} and {@code step_rewards}) in a replay buffer of the
     * task's action size, and makes {@code updates_per_step} updates per control step.
     */
    default boolean learnsFromControlSteps() {
        return false;
    }

    /**
     * Action before learning starts ({@code learning_starts}), drawn from the loop's stream {@code rng}: uniform over
     * the action box (CleanRL); a residual agent plays its base's action with a little noise instead.
     */
    default void warmupAction(float[] observation, BoxSpace box, Rng rng, float[] out) {
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) (box.low(j) + (box.high(j) - (double) box.low(j)) * rng.nextDouble());
        }
    }
}
