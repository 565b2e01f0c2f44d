package org.armature.agents.data;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.armature.agents.data.OfflineDataset;
import org.armature.agents.data.Trajectories;
import org.armature.nn.Rng;

/**
 * Trajectory-weighted sampling (Hong et al., ICLR 2023, "Harnessing Mixed Offline Reinforcement Learning Datasets via
 * Trajectory Weighting"). Trajectory i is drawn with probability ∝ exp(Ĝ_i / α), then one of its transitions
 * uniformly, so a trajectory's weight is spread evenly over its transitions.
 * <ul>
 *   <li>RW (return-weighted): Ĝ_i is the trajectory's return min–max normalised to [0, 1] over the dataset.</li>
 *   <li>AW (advantage-weighted): Ĝ_i is the normalised advantage G_i − V̂(s₀ᵢ), with V̂ a linear regression
 *       (ordinary least squares, Commons Math) of return on the initial state. Initial-state dimensions that are
 *       constant over the dataset are left out of the regression; with fewer episodes than regressors + 2 the
 *       baseline falls back to the mean return, which makes AW equal RW (see {@link #note()}).</li>
 * </ul>
 * α = 0.1 is the paper's default temperature. Draws use Walker's alias method over trajectories: O(1) per sample.
 */
public final class TrajectoryWeighting implements TransitionDraw {

    /** Hong et al. (2023), Sec. 4: temperature α = 0.1 for both RW and AW. */
    public static final double DEFAULT_ALPHA = 0.1;

    private final String description;
    private final String note;
    private final int[] starts;
    private final int[] lengths;
    private final double[] probabilities;
    private final double[] aliasProbability;
    private final int[] alias;

    private TrajectoryWeighting(String description, String note, Trajectories tr, double[] score, double alpha) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("sampler temperature alpha must be > 0, got " + alpha);
        }
        int n = tr.count();
        if (n == 0) {
            throw new IllegalArgumentException("cannot sample from an empty dataset");
        }
        this.description = description;
        this.note = note;
        this.starts = new int[n];
        this.lengths = new int[n];
        double[] normalised = Trajectories.minMaxNormalise(score);
        double[] w = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            starts[i] = tr.start(i);
            lengths[i] = tr.length(i);
            // subtract the max exponent (1/alpha) for numerical range; the ratio is unchanged
            w[i] = Math.exp((normalised[i] - 1.0) / alpha);
            sum += w[i];
        }
        this.probabilities = new double[n];
        for (int i = 0; i < n; i++) {
            probabilities[i] = w[i] / sum;
        }
        this.aliasProbability = new double[n];
        this.alias = new int[n];
        buildAlias(probabilities, aliasProbability, alias);
    }

    public static TrajectoryWeighting returnWeighted(OfflineDataset d, double alpha) {
        Trajectories tr = d.trajectories();
        return new TrajectoryWeighting("rw(alpha=" + alpha + ")", "", tr, tr.returns(), alpha);
    }

    public static TrajectoryWeighting advantageWeighted(OfflineDataset d, double alpha) {
        Trajectories tr = d.trajectories();
        double[] g = tr.returns();
        StringBuilder note = new StringBuilder();
        double[] v = initialStateValues(d, tr, note);
        double[] adv = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            adv[i] = g[i] - v[i];
        }
        return new TrajectoryWeighting("aw(alpha=" + alpha + ")", note.toString(), tr, adv, alpha);
    }

    /** V̂(s₀) for every trajectory: OLS of return on the initial state, or the mean return when that is impossible. */
    static double[] initialStateValues(OfflineDataset d, Trajectories tr, StringBuilder note) {
        int n = tr.count();
        int od = d.observationDim();
        double[] g = tr.returns();
        List<Integer> columns = new ArrayList<>();
        for (int j = 0; j < od; j++) {
            float first = d.observations()[tr.start(0) * od + j];
            for (int e = 1; e < n; e++) {
                if (d.observations()[tr.start(e) * od + j] != first) {
                    columns.add(j);
                    break;
                }
            }
        }
        double mean = 0;
        for (double x : g) {
            mean += x;
        }
        mean /= n;
        double[] v = new double[n];
        java.util.Arrays.fill(v, mean);
        if (columns.isEmpty() || n < columns.size() + 2) {
            note.append("V(s0) = mean return (").append(n).append(" trajectories, ").append(columns.size())
                    .append(" varying initial-state dims: too few for a regression); AW equals RW here");
            return v;
        }
        double[][] x = new double[n][columns.size()];
        for (int e = 0; e < n; e++) {
            for (int c = 0; c < columns.size(); c++) {
                x[e][c] = d.observations()[tr.start(e) * od + columns.get(c)];
            }
        }
        try {
            OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
            ols.newSampleData(g, x);
            double[] beta = ols.estimateRegressionParameters();
            for (int e = 0; e < n; e++) {
                double y = beta[0];
                for (int c = 0; c < columns.size(); c++) {
                    y += beta[c + 1] * x[e][c];
                }
                v[e] = y;
            }
            note.append("V(s0) = OLS on ").append(columns.size()).append(" initial-state dims, R^2 = ")
                    .append(String.format("%.3f", ols.calculateRSquared()));
        } catch (IllegalArgumentException ex) { // includes SingularMatrixException
            java.util.Arrays.fill(v, mean);
            note.append("V(s0) = mean return (initial states are collinear: ").append(ex.getMessage())
                    .append("); AW equals RW here");
        }
        return v;
    }

    /** Vose's alias method: O(n) construction, O(1) draws. */
    private static void buildAlias(double[] p, double[] prob, int[] alias) {
        int n = p.length;
        double[] scaled = new double[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int ns = 0;
        int nl = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = p[i] * n;
            if (scaled[i] < 1.0) {
                small[ns++] = i;
            } else {
                large[nl++] = i;
            }
        }
        while (ns > 0 && nl > 0) {
            int s = small[--ns];
            int l = large[--nl];
            prob[s] = scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1.0;
            if (scaled[l] < 1.0) {
                small[ns++] = l;
            } else {
                large[nl++] = l;
            }
        }
        while (nl > 0) {
            int l = large[--nl];
            prob[l] = 1.0;
            alias[l] = l;
        }
        while (ns > 0) {
            int s = small[--ns];
            prob[s] = 1.0;
            alias[s] = s;
        }
    }

    @Override
    public int next(Rng stream) {
        int k = stream.nextInt(probabilities.length);
        int traj = stream.nextDouble() < aliasProbability[k] ? k : alias[k];
        return starts[traj] + stream.nextInt(lengths[traj]);
    }

    /** Probability of drawing each trajectory. */
    public double[] trajectoryProbabilities() {
        return probabilities.clone();
    }

    /** How the AW baseline was fitted (empty for RW). */
    public String note() {
        return note;
    }

    @Override
    public String describe() {
        return description;
    }
}
