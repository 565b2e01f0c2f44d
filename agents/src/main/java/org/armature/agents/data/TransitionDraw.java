package org.armature.agents.data;

import org.armature.nn.Rng;

/**
 * Which transition of a dataset a {@link DatasetSampler} puts into the next batch row: uniform, or trajectory-weighted
 * ({@link TrajectoryWeighting}). Knows nothing about algorithms.
 */
public interface TransitionDraw {

    /** The index of the next transition, drawn from {@code stream} (the sampler's stream). */
    int next(Rng stream);

    /** Short description for logs and run configs, e.g. {@code rw(alpha=0.1)}. */
    String describe();

    /** Every transition of a dataset of {@code size} equally likely (the standard offline-RL minibatch). */
    static TransitionDraw uniform(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("cannot sample from an empty dataset");
        }
        return new TransitionDraw() {
            @Override
            public int next(Rng stream) {
                return stream.nextInt(size);
            }

            @Override
            public String describe() {
                return "uniform";
            }
        };
    }
}
