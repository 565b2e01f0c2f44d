package org.armature.offline.metrics;

import org.apache.datasketches.hll.HllSketch;
import org.armature.agents.data.OfflineDataset;

/**
 * Counts unique state–action pairs for SACo (Schweighofer et al., "A Dataset Perspective on Offline Reinforcement
 * Learning"): every dimension of the concatenated (s, a) vector is cut into {@code bins} equal bins between fixed
 * bounds (values outside are put in the edge bins), and the distinct bin tuples are counted with a HyperLogLog
 * sketch (Apache DataSketches, lg K = 18: about 0.2% relative standard error), as the paper does with 100 bins.
 *
 * <p>The bounds must be the same for the dataset and its reference for the ratio to mean anything; they are taken
 * from the reference run (per-dimension min and max of its states and actions).
 */
public final class StateActionCoverage {

    /** Schweighofer et al.'s discretisation: 100 bins per dimension. */
    public static final int DEFAULT_BINS = 100;
    static final int LG_K = 18;

    private final float[] low;
    private final float[] high;
    private final int bins;

    public StateActionCoverage(float[] low, float[] high, int bins) {
        if (low.length != high.length) {
            throw new IllegalArgumentException("bounds have different lengths");
        }
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        this.low = low.clone();
        this.high = high.clone();
        this.bins = bins;
    }

    /** Per-dimension min and max of the states and actions of {@code reference}. */
    public static StateActionCoverage boundsOf(OfflineDataset reference, int bins) {
        int od = reference.observationDim();
        int ad = reference.actionDim();
        float[] lo = new float[od + ad];
        float[] hi = new float[od + ad];
        java.util.Arrays.fill(lo, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < reference.size(); i++) {
            for (int j = 0; j < od; j++) {
                float v = reference.observations()[i * od + j];
                lo[j] = Math.min(lo[j], v);
                hi[j] = Math.max(hi[j], v);
            }
            for (int j = 0; j < ad; j++) {
                float v = reference.actions()[i * ad + j];
                lo[od + j] = Math.min(lo[od + j], v);
                hi[od + j] = Math.max(hi[od + j], v);
            }
        }
        return new StateActionCoverage(lo, hi, bins);
    }

    /** Estimated number of distinct discretised (s, a) pairs in {@code d}. */
    public double uniqueStateActions(OfflineDataset d) {
        int od = d.observationDim();
        int ad = d.actionDim();
        if (od + ad != low.length) {
            throw new IllegalArgumentException("dataset has " + (od + ad) + " state+action dims, the bounds have "
                    + low.length);
        }
        HllSketch sketch = new HllSketch(LG_K);
        int[] key = new int[od + ad];
        for (int i = 0; i < d.size(); i++) {
            for (int j = 0; j < od; j++) {
                key[j] = bin(d.observations()[i * od + j], j);
            }
            for (int j = 0; j < ad; j++) {
                key[od + j] = bin(d.actions()[i * ad + j], od + j);
            }
            sketch.update(key);
        }
        return sketch.getEstimate();
    }

    private int bin(float v, int dim) {
        float lo = low[dim];
        float hi = high[dim];
        if (!(hi > lo)) {
            return 0;
        }
        int b = (int) Math.floor((v - lo) / (hi - lo) * bins);
        return Math.max(0, Math.min(bins - 1, b));
    }
}
