package org.armature.offline;

/**
 * Chooses which transitions of a dataset go into the next minibatch. Samplers know nothing about algorithms and
 * algorithms nothing about samplers: every algorithm takes every sampler ({@code --sampler uniform|rw|aw}).
 */
public interface TransitionSampler {

    /** Fills {@code indices} with transition indices (drawn with replacement from the sampler's seeded stream). */
    void sample(int[] indices);

    /** Short description for logs and run configs, e.g. {@code rw(alpha=0.1)}. */
    String describe();

    /** Builds the sampler named on the command line: {@code uniform}, {@code rw} or {@code aw}. */
    static TransitionSampler create(String kind, OfflineDataset dataset, double alpha, long seed) {
        return switch (kind.toLowerCase()) {
            case "uniform" -> new UniformSampler(dataset.size(), seed);
            case "rw" -> TrajectoryWeightedSampler.returnWeighted(dataset, alpha, seed);
            case "aw" -> TrajectoryWeightedSampler.advantageWeighted(dataset, alpha, seed);
            default -> throw new IllegalArgumentException("unknown sampler '" + kind + "', expected uniform, rw or aw");
        };
    }
}
