package org.armature.agents.data;

import java.util.Arrays;

/**
 * The episodes of a dataset: contiguous ranges {@code [start(e), end(e))} of transitions, with their undiscounted
 * returns. An episode ends at a transition flagged {@code terminals} or {@code timeouts}, or at the end of the data.
 */
public final class Trajectories {

    private final int[] starts;
    private final int[] ends;
    private final double[] returns;

    private Trajectories(int[] starts, int[] ends, double[] returns) {
        this.starts = starts;
        this.ends = ends;
        this.returns = returns;
    }

    static Trajectories of(OfflineDataset d) {
        int n = d.size();
        boolean[] term = d.terminals();
        boolean[] to = d.timeouts();
        float[] rew = d.rewards();
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (term[i] || to[i] || i == n - 1) {
                count++;
            }
        }
        int[] s = new int[count];
        int[] e = new int[count];
        double[] g = new double[count];
        int k = 0;
        int start = 0;
        double ret = 0;
        for (int i = 0; i < n; i++) {
            ret += rew[i];
            if (term[i] || to[i] || i == n - 1) {
                s[k] = start;
                e[k] = i + 1;
                g[k] = ret;
                k++;
                start = i + 1;
                ret = 0;
            }
        }
        return new Trajectories(s, e, g);
    }

    public int count() {
        return starts.length;
    }

    public int start(int episode) {
        return starts[episode];
    }

    /** Exclusive end index. */
    public int end(int episode) {
        return ends[episode];
    }

    public int length(int episode) {
        return ends[episode] - starts[episode];
    }

    public double episodeReturn(int episode) {
        return returns[episode];
    }

    public double[] returns() {
        return returns.clone();
    }

    public int[] lengths() {
        int[] l = new int[starts.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = ends[i] - starts[i];
        }
        return l;
    }

    /** Index of the episode containing transition {@code i}. */
    public int episodeOf(int transition) {
        int k = Arrays.binarySearch(starts, transition);
        return k >= 0 ? k : -k - 2;
    }

    /** Min–max normalisation to [0, 1]; all zeros when every value is equal. */
    public static double[] minMaxNormalise(double[] x) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double[] out = new double[x.length];
        if (hi > lo) {
            for (int i = 0; i < x.length; i++) {
                out[i] = (x[i] - lo) / (hi - lo);
            }
        }
        return out;
    }
}
