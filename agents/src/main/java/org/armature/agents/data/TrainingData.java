package org.armature.agents.data;

import org.armature.agents.data.OfflineDataset;

/**
 * A dataset prepared for gradient steps: next observations present (derived as {@code d4rl.qlearning_dataset}
 * does when the file has none), observations normalised, actions in [−1, 1], rewards scaled, and
 * {@code notDone = 1 − terminal} (time-outs bootstrap). Arrays are flat and row-major.
 */
public final class TrainingData {

    public final OfflineDataset dataset;
    public final Normalization normalization;
    public final int size;
    public final int observationDim;
    public final int actionDim;
    public final float[] observations;
    public final float[] actions;
    public final float[] rewards;
    public final float[] nextObservations;
    public final float[] notDone;

    /**
     * @param rewardScale multiplies every reward (1 for raw rewards)
     * @param rewardBias  added after scaling
     */
    public TrainingData(OfflineDataset source, Normalization norm, double rewardScale, double rewardBias) {
        OfflineDataset d = source.withNextObservations();
        this.dataset = d;
        this.normalization = norm;
        this.size = d.size();
        this.observationDim = d.observationDim();
        this.actionDim = d.actionDim();
        int od = observationDim;
        int ad = actionDim;
        observations = new float[size * od];
        nextObservations = new float[size * od];
        actions = new float[size * ad];
        rewards = new float[size];
        notDone = new float[size];
        for (int i = 0; i < size; i++) {
            norm.observation(d.observations(), i * od, observations, i * od);
            norm.observation(d.nextObservations(), i * od, nextObservations, i * od);
            norm.action(d.actions(), i * ad, actions, i * ad);
            rewards[i] = (float) (d.rewards()[i] * rewardScale + rewardBias);
            notDone[i] = d.terminals()[i] ? 0f : 1f;
        }
    }

    /**
     * CORL's {@code modify_reward} for locomotion (IQL): scale rewards by {@code 1000 / (max return − min return)}
     * over the dataset's episodes, so returns span about 1000 whatever the task's reward units.
     */
    public static double returnRangeScale(OfflineDataset d) {
        double[] g = d.trajectories().returns();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : g) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return hi > lo ? 1000.0 / (hi - lo) : 1.0;
    }
}
