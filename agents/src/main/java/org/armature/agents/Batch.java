package org.armature.agents;

import java.util.LinkedHashMap;
import java.util.Map;

import org.armature.nn.Mat;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A preallocated minibatch of transitions, filled in place by a {@link Sampler}.
 *
 * <p>{@code discounts[i]} is the factor in front of the bootstrap value in the TD target,
 * {@code gamma^k * (1 - terminated)} for a k-step return, so one-step, n-step, terminal and time-out transitions
 * all use {@code y = rewards + discounts * V(nextObservations)}. Discounts are kept in double precision whatever the
 * batch's data type (they are only read on the host, and γ = 0.99 has no exact float). Extra per-transition arrays
 * (e.g. a frozen base policy's action for residual RL) travel in {@link #extras()}.
 */
public final class Batch {

    public final int size;
    public final Mat observations;
    public final Mat actions;
    public final Mat rewards;
    public final Mat nextObservations;
    public final Mat discounts;
    private final Map<String, Mat> extras = new LinkedHashMap<>();

    public Batch(int size, int obsDim, int actDim, DataType dtype) {
        this.size = size;
        this.observations = Mat.zeros(dtype, size, obsDim);
        this.actions = Mat.zeros(dtype, size, actDim);
        this.rewards = Mat.zeros(dtype, size, 1);
        this.nextObservations = Mat.zeros(dtype, size, obsDim);
        this.discounts = Mat.zeros(DataType.DOUBLE, size, 1);
    }

    /** Adds (or returns) an extra per-transition array of {@code width} values. */
    public Mat extra(String name, int width) {
        return extras.computeIfAbsent(name, k -> Mat.zeros(observations.dataType(), size, width));
    }

    public Map<String, Mat> extras() {
        return extras;
    }

    /** Brings the five transition arrays to the host, before a sampler writes rows into them. */
    public void toHost() {
        observations.toHost();
        actions.toHost();
        rewards.toHost();
        nextObservations.toHost();
        discounts.toHost();
    }

    /** Marks the five transition arrays as written on the host, after a sampler's writes. */
    public void hostWritten() {
        observations.hostWritten();
        actions.hostWritten();
        rewards.hostWritten();
        nextObservations.hostWritten();
        discounts.hostWritten();
    }
}
