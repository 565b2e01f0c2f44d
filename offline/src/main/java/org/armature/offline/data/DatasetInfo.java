package org.armature.offline.data;

import java.util.Arrays;

import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;
import org.armature.agents.data.Trajectories;

/**
 * Summary of a dataset as printed by {@code armature dataset info}: sizes, episodes, the distribution of episode
 * returns and its positive-sided variance.
 *
 * <p>Positive-sided variance (Hong et al., ICLR 2023, "Harnessing Mixed Offline RL Datasets via Trajectory
 * Weighting"): with episode returns min–max normalised to [0, 1], {@code PSV = E[ max(Ĝ − E[Ĝ], 0)^2 ]}. It measures
 * how far the few good trajectories lie above the average; the paper reports that the gain available from
 * trajectory re-weighting grows with it. {@code positiveSidedVarianceRaw} is the same on unnormalised returns.
 */
public record DatasetInfo(int transitions, int episodes, int observationDim, int actionDim, int terminals,
                          int timeouts, boolean hasNextObservations, double meanEpisodeLength, int minEpisodeLength,
                          int maxEpisodeLength, double returnMean, double returnStd, double returnMin,
                          double returnP10, double returnP25, double returnMedian, double returnP75,
                          double returnP90, double returnMax, double positiveSidedVariance,
                          double positiveSidedVarianceRaw, int[] returnHistogram, DatasetMetadata metadata) {

    public static final int HISTOGRAM_BINS = 10;

    public static DatasetInfo of(OfflineDataset d) {
        Trajectories tr = d.trajectories();
        int n = tr.count();
        double[] g = tr.returns();
        int[] len = tr.lengths();
        int term = 0;
        int to = 0;
        for (int i = 0; i < d.size(); i++) {
            term += d.terminals()[i] ? 1 : 0;
            to += d.timeouts()[i] ? 1 : 0;
        }
        double[] sorted = g.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(g).average().orElse(Double.NaN);
        double var = 0;
        for (double x : g) {
            var += (x - mean) * (x - mean);
        }
        double std = n > 1 ? Math.sqrt(var / n) : 0;
        int[] hist = new int[HISTOGRAM_BINS];
        double lo = n > 0 ? sorted[0] : 0;
        double hi = n > 0 ? sorted[n - 1] : 0;
        for (double x : g) {
            int b = hi > lo ? (int) Math.min(HISTOGRAM_BINS - 1, (x - lo) / (hi - lo) * HISTOGRAM_BINS) : 0;
            hist[b]++;
        }
        return new DatasetInfo(d.size(), n, d.observationDim(), d.actionDim(), term, to, d.hasNextObservations(),
                n > 0 ? (double) d.size() / n : 0, Arrays.stream(len).min().orElse(0),
                Arrays.stream(len).max().orElse(0), mean, std, lo, quantile(sorted, 0.1), quantile(sorted, 0.25),
                quantile(sorted, 0.5), quantile(sorted, 0.75), quantile(sorted, 0.9), hi,
                positiveSidedVariance(Trajectories.minMaxNormalise(g)), positiveSidedVariance(g), hist, d.metadata());
    }

    /** Linear-interpolated quantile of sorted values (numpy's default, as {@code torch.quantile}). */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, sorted.length - 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    /** {@code E[max(x − E[x], 0)^2]}. */
    public static double positiveSidedVariance(double[] x) {
        if (x.length == 0) {
            return Double.NaN;
        }
        double mean = Arrays.stream(x).average().orElseThrow();
        double s = 0;
        for (double v : x) {
            double dv = Math.max(v - mean, 0);
            s += dv * dv;
        }
        return s / x.length;
    }


    /** Human-readable report. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        DatasetMetadata m = metadata;
        sb.append(String.format("env_id             %s%n", m.envId() == null ? "(unknown)" : m.envId()));
        sb.append(String.format("collection_policy  %s%n", m.collectionPolicy() == null ? "(unknown)"
                : m.collectionPolicy()));
        if (m.collectionSeed() != null) {
            sb.append(String.format("collection_seed    %d%n", m.collectionSeed()));
        }
        if (m.armatureVersion() != null) {
            sb.append(String.format("armature_version   %s%n", m.armatureVersion()));
        }
        new java.util.TreeMap<>(m.extra()).forEach((k, v) -> sb.append(String.format("%-18s %s%n", k, v)));
        sb.append(String.format("transitions        %d (observation dim %d, action dim %d, next_observations %s)%n",
                transitions, observationDim, actionDim, hasNextObservations ? "yes" : "no"));
        sb.append(String.format("episodes           %d (terminals %d, timeouts %d; length mean %.1f, min %d, max %d)%n",
                episodes, terminals, timeouts, meanEpisodeLength, minEpisodeLength, maxEpisodeLength));
        sb.append(String.format("episode return     mean %.3f  std %.3f%n", returnMean, returnStd));
        sb.append(String.format("                   min %.3f  p10 %.3f  p25 %.3f  median %.3f  p75 %.3f  p90 %.3f  "
                + "max %.3f%n", returnMin, returnP10, returnP25, returnMedian, returnP75, returnP90, returnMax));
        sb.append(String.format("positive-sided variance  %.5f (returns min-max normalised), %.3f (raw)%n",
                positiveSidedVariance, positiveSidedVarianceRaw));
        sb.append("return histogram (").append(HISTOGRAM_BINS).append(" equal bins from min to max):\n");
        int max = Arrays.stream(returnHistogram).max().orElse(1);
        double w = (returnMax - returnMin) / HISTOGRAM_BINS;
        for (int b = 0; b < returnHistogram.length; b++) {
            int bar = max == 0 ? 0 : (int) Math.round(40.0 * returnHistogram[b] / max);
            sb.append(String.format("  [%10.2f, %10.2f) %6d %s%n", returnMin + b * w, returnMin + (b + 1) * w,
                    returnHistogram[b], "#".repeat(bar)));
        }
        return sb.toString();
    }
}
