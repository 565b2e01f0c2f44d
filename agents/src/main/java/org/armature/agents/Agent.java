package org.armature.agents;

/**
 * An online off-policy {@link Learner}: it also chooses exploration actions for the training rollouts. Everything
 * else (updates, statistics, state, bundle export) is the learner interface every algorithm shares.
 */
public interface Agent extends Learner {

    /** Exploration action for training rollouts, written into {@code out}. */
    void explore(float[] observation, float[] out);
}
