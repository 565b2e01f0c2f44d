package org.armature.offline;

import java.util.SplittableRandom;

/** Every transition equally likely (the standard offline-RL minibatch). */
public final class UniformSampler implements TransitionSampler {

    private final int size;
    private final SplittableRandom rng;

    public UniformSampler(int size, long seed) {
        if (size <= 0) {
            throw new IllegalArgumentException("cannot sample from an empty dataset");
        }
        this.size = size;
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public void sample(int[] indices) {
        for (int i = 0; i < indices.length; i++) {
            indices[i] = rng.nextInt(size);
        }
    }

    @Override
    public String describe() {
        return "uniform";
    }
}
