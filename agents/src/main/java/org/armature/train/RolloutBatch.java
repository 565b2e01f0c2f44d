package org.armature.train;

import java.io.Serializable;

/**
 * Consecutive env steps of one rollout worker, as transitions for the learner's replay buffer, with the episodes
 * that ended in them and the version (learner updates) of the policy weights that acted. A plain serialisable class
 * (not a record) so that cluster members can send it.
 */
public final class RolloutBatch implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Ended by a terminal state (no bootstrapping). */
    public static final byte TERMINATED = 1;
    /** Ended by a time limit (bootstrapping allowed). */
    public static final byte TRUNCATED = 2;

    public final int worker;
    /** Learner updates behind the weights that chose these actions ({@code -1}: uniform random warm-up actions). */
    public final long policyVersion;
    public final int steps;
    public final int observationDim;
    public final int actionDim;
    /** {@code steps × observationDim}, row-major; likewise the others. */
    public final float[] observations;
    public final float[] actions;
    public final float[] rewards;
    /** Per step: 0, {@link #TERMINATED} or {@link #TRUNCATED}. */
    public final byte[] ends;
    /** For the last step of an episode, its true final observation (not the next episode's reset observation). */
    public final float[] nextObservations;
    /** Return and length of each episode that ended in this batch, in order. */
    public final double[] episodeReturns;
    public final int[] episodeLengths;
    /** Wall seconds the worker spent stepping (inference included). */
    public final double stepSeconds;

    public RolloutBatch(int worker, long policyVersion, int steps, int observationDim, int actionDim,
                        float[] observations, float[] actions, float[] rewards, byte[] ends, float[] nextObservations,
                        double[] episodeReturns, int[] episodeLengths, double stepSeconds) {
        this.worker = worker;
        this.policyVersion = policyVersion;
        this.steps = steps;
        this.observationDim = observationDim;
        this.actionDim = actionDim;
        this.observations = observations;
        this.actions = actions;
        this.rewards = rewards;
        this.ends = ends;
        this.nextObservations = nextObservations;
        this.episodeReturns = episodeReturns;
        this.episodeLengths = episodeLengths;
        this.stepSeconds = stepSeconds;
    }
}
