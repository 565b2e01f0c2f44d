package org.armature.agents.data;

import org.armature.agents.data.OfflineDataset;
import org.armature.envs.BoxSpace;

/**
 * What the learner sees instead of raw data, saved with the policy so deployment applies the same maps.
 * <ul>
 *   <li>Observations: {@code (s − mean) / std} with the dataset's per-dimension mean and std + 1e-3 (CORL
 *       {@code compute_mean_std(..., eps=1e-3)}, used by TD3+BC, IQL and CQL with {@code normalize=True}); identity
 *       when disabled.</li>
 *   <li>Actions: mapped from the env's action box to [−1, 1] ({@code (a − center) / scale}), the range every CORL
 *       actor's tanh output covers (D4RL actions already live in [−1, 1], so there it is the identity).</li>
 * </ul>
 */
public record Normalization(float[] observationMean, float[] observationStd, float[] actionCenter,
                            float[] actionScale) {

    /** CORL {@code compute_mean_std} epsilon. */
    public static final double STD_EPS = 1e-3;

    public static Normalization of(OfflineDataset d, BoxSpace actionSpace, boolean normalizeObservations) {
        int od = d.observationDim();
        int ad = d.actionDim();
        float[] mean = new float[od];
        float[] std = new float[od];
        java.util.Arrays.fill(std, 1f);
        if (normalizeObservations) {
            double[] m = new double[od];
            double[] s = new double[od];
            float[] o = d.observations();
            int n = d.size();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < od; j++) {
                    m[j] += o[i * od + j];
                }
            }
            for (int j = 0; j < od; j++) {
                m[j] /= n;
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < od; j++) {
                    double dv = o[i * od + j] - m[j];
                    s[j] += dv * dv;
                }
            }
            for (int j = 0; j < od; j++) {
                mean[j] = (float) m[j];
                std[j] = (float) (Math.sqrt(s[j] / n) + STD_EPS);
            }
        }
        float[] center = new float[ad];
        float[] scale = new float[ad];
        for (int j = 0; j < ad; j++) {
            float lo = actionSpace.low(j);
            float hi = actionSpace.high(j);
            if (Float.isInfinite(lo) || Float.isInfinite(hi)) {
                throw new IllegalArgumentException("offline actors need a bounded action space; dim " + j + " is ["
                        + lo + ", " + hi + "]");
            }
            center[j] = (hi + lo) / 2f;
            scale[j] = (hi - lo) / 2f;
        }
        return new Normalization(mean, std, center, scale);
    }

    /**
     * Diffusion Policy's limits normaliser: observations and actions mapped to [−1, 1] by the dataset's per-dimension
     * min and max ({@code (x − mid) / half-range}); a dimension of zero range is shifted to 0 at its value, not scaled.
     */
    public static Normalization minMax(OfflineDataset d) {
        float[][] obs = midHalf(d.observations(), d.size(), d.observationDim());
        float[][] act = midHalf(d.actions(), d.size(), d.actionDim());
        return new Normalization(obs[0], obs[1], act[0], act[1]);
    }

    private static float[][] midHalf(float[] x, int n, int dim) {
        float[] lo = new float[dim];
        float[] hi = new float[dim];
        java.util.Arrays.fill(lo, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                lo[j] = Math.min(lo[j], x[i * dim + j]);
                hi[j] = Math.max(hi[j], x[i * dim + j]);
            }
        }
        float[] mid = new float[dim];
        float[] half = new float[dim];
        for (int j = 0; j < dim; j++) {
            mid[j] = (float) ((hi[j] + (double) lo[j]) / 2);
            double h = (hi[j] - (double) lo[j]) / 2;
            half[j] = h > 0 ? (float) h : 1f;
        }
        return new float[][]{mid, half};
    }

    /**
     * The observation map as a bundle's min_max normaliser {@code [low, high]} (for {@link #minMax} normalisations; a
     * zero-range dimension becomes {@code [x − 1, x + 1]}, which the bundle's formula turns into the same shift).
     */
    public float[][] observationRange() {
        return range(observationMean, observationStd);
    }

    /** The action map as [low, high] (for {@link #minMax} normalisations). */
    public float[][] actionRange() {
        return range(actionCenter, actionScale);
    }

    private static float[][] range(float[] mid, float[] half) {
        float[] lo = new float[mid.length];
        float[] hi = new float[mid.length];
        for (int j = 0; j < mid.length; j++) {
            lo[j] = mid[j] - half[j];
            hi[j] = mid[j] + half[j];
        }
        return new float[][]{lo, hi};
    }

    public void observation(float[] src, int srcOff, float[] dst, int dstOff) {
        for (int j = 0; j < observationMean.length; j++) {
            dst[dstOff + j] = (src[srcOff + j] - observationMean[j]) / observationStd[j];
        }
    }

    public void action(float[] src, int srcOff, float[] dst, int dstOff) {
        for (int j = 0; j < actionCenter.length; j++) {
            float a = (src[srcOff + j] - actionCenter[j]) / actionScale[j];
            dst[dstOff + j] = Math.max(-1f, Math.min(1f, a));
        }
    }

    /** Normalised action in [−1, 1] to the env's action box. */
    public void unscaleAction(float[] normalised, float[] out) {
        for (int j = 0; j < actionCenter.length; j++) {
            out[j] = normalised[j] * actionScale[j] + actionCenter[j];
        }
    }
}
