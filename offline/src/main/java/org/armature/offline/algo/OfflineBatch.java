package org.armature.offline.algo;

import org.armature.nn.Mat;
import org.nd4j.linalg.api.buffer.DataType;

/** A preallocated minibatch, filled in place from {@link TrainingData} by transition indices. */
public final class OfflineBatch {

    public final int size;
    public final Mat observations;
    public final Mat actions;
    public final Mat rewards;
    public final Mat nextObservations;
    public final Mat notDone;
    public final int[] indices;

    public OfflineBatch(int size, int observationDim, int actionDim) {
        this.size = size;
        this.observations = Mat.zeros(DataType.FLOAT, size, observationDim);
        this.actions = Mat.zeros(DataType.FLOAT, size, actionDim);
        this.rewards = Mat.zeros(DataType.FLOAT, size, 1);
        this.nextObservations = Mat.zeros(DataType.FLOAT, size, observationDim);
        this.notDone = Mat.zeros(DataType.FLOAT, size, 1);
        this.indices = new int[size];
    }

    /** Copies the transitions named in {@link #indices} into the matrices. */
    public void fill(TrainingData d) {
        int od = d.observationDim;
        int ad = d.actionDim;
        observations.toHost();
        actions.toHost();
        rewards.toHost();
        nextObservations.toHost();
        notDone.toHost();
        for (int r = 0; r < size; r++) {
            int i = indices[r];
            observations.put(r * od, d.observations, i * od, od);
            nextObservations.put(r * od, d.nextObservations, i * od, od);
            actions.put(r * ad, d.actions, i * ad, ad);
            rewards.set(r, d.rewards[i]);
            notDone.set(r, d.notDone[i]);
        }
        observations.hostWritten();
        actions.hostWritten();
        rewards.hostWritten();
        nextObservations.hostWritten();
        notDone.hostWritten();
    }
}
