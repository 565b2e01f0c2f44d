package org.armature.agents;

import org.armature.nn.Rng;

/**
 * Fills minibatches. Algorithms take any sampler (uniform replay, n-step replay, demonstration/online mixtures,
 * offline datasets), so what is learned from and how it is learned stay independent.
 */
public interface Sampler {

    /** Overwrites every row of {@code batch}, drawing randomness only from {@code rng}. */
    void sample(Batch batch, Rng rng);

    /** Number of transitions available (0 means sampling is not yet possible). */
    long size();
}
