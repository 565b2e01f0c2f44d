package org.armature.agents.data;

import java.util.SplittableRandom;

import org.armature.nn.Rng;

/**
 * Which transition of a dataset a {@link DatasetSampler} puts into the next batch row: uniform, or trajectory-weighted
 * ({@link TrajectoryWeighting}). Knows nothing about algorithms.
 */
public interface TransitionDraw {

    /** The index of the next transition. */
    int next(Rng stream);

    /** Short description for logs and run configs, e.g. {@code rw(alpha=0.1)}. */
    String describe();

    /** Every transition of a dataset of {@code size} equally likely (the standard offline-RL minibatch). */
    static TransitionDraw uniform(int size, long seed) {
        if (size <= 0) {
            throw new IllegalArgumentException("cannot sample from an empty dataset");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        return new TransitionDraw() {
            @Override
            public int next(Rng stream) {
                return rng.nextInt(size);
            }

            @Override
            public String describe() {
                return "uniform";
            }
        };
    }
}
