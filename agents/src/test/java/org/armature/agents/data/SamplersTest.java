package org.armature.agents.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.armature.agents.Batch;
import org.armature.nn.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

public class SamplersTest {

    /** Episodes with given lengths and per-step reward; the first observation dim holds {@code initialState}. */
    public static OfflineDataset episodes(int[] lengths, double[] returns, double[] initialState) {
        DatasetBuilder b = new DatasetBuilder(2, 1, true);
        for (int e = 0; e < lengths.length; e++) {
            int t = lengths[e];
            float[] o = new float[(t + 1) * 2];
            o[0] = (float) initialState[e];
            o[1] = 1;
            float[] r = new float[t];
            java.util.Arrays.fill(r, (float) (returns[e] / t));
            boolean[] te = new boolean[t];
            te[t - 1] = true;
            b.addEpisode(o, new float[t], r, te, new boolean[t], Map.of());
        }
        return b.build(null);
    }

    private static int[] draws(TransitionDraw draw, int n) {
        int[] idx = new int[n];
        Rng rng = new Rng(5);
        for (int i = 0; i < n; i++) {
            idx[i] = draw.next(rng);
        }
        return idx;
    }

    @Test
    void returnWeightedMatchesExpOfNormalisedReturnAndSpreadsOverTransitions() {
        // returns 0, 5, 10 -> normalised 0, 0.5, 1 -> weights e^0, e^5, e^10 (alpha 0.1)
        OfflineDataset d = episodes(new int[]{10, 20, 40}, new double[]{0, 5, 10}, new double[]{0, 0, 0});
        TrajectoryWeighting s = TrajectoryWeighting.returnWeighted(d, 0.1);
        double z = 1 + Math.exp(5) + Math.exp(10);
        double[] p = s.trajectoryProbabilities();
        assertEquals(1 / z, p[0], 1e-12);
        assertEquals(Math.exp(5) / z, p[1], 1e-12);
        assertEquals(Math.exp(10) / z, p[2], 1e-12);
        int[] idx = draws(s, 200_000);
        int[] perTraj = new int[3];
        int[] firstHalfOfLast = new int[2];
        Trajectories tr = d.trajectories();
        for (int i : idx) {
            int e = tr.episodeOf(i);
            perTraj[e]++;
            if (e == 2) {
                firstHalfOfLast[i - tr.start(2) < 20 ? 0 : 1]++;
            }
        }
        assertEquals(p[2], perTraj[2] / 200_000.0, 0.005);
        assertEquals(p[1], perTraj[1] / 200_000.0, 0.005);
        // uniform within a trajectory
        assertEquals(0.5, firstHalfOfLast[0] / (double) perTraj[2], 0.01);
    }

    @Test
    void uniformSamplerCoversAllTransitionsEvenly() {
        int[] idx = draws(TransitionDraw.uniform(10), 100_000);
        int[] c = new int[10];
        for (int i : idx) {
            c[i]++;
        }
        for (int x : c) {
            assertEquals(0.1, x / 100_000.0, 0.005);
        }
    }

    @Test
    void advantageWeightingRemovesWhatTheInitialStateExplains() {
        // return = 10 * s0 exactly for three trajectories, plus one trajectory 3 above its baseline
        double[] s0 = {0, 0.2, 0.4, 0.6, 0.8, 1.0};
        double[] g = {0, 2, 4, 6 + 3, 8, 10};
        OfflineDataset d = episodes(new int[]{5, 5, 5, 5, 5, 5}, g, s0);
        TrajectoryWeighting aw = TrajectoryWeighting.advantageWeighted(d, 0.1);
        TrajectoryWeighting rw = TrajectoryWeighting.returnWeighted(d, 0.1);
        double[] pa = aw.trajectoryProbabilities();
        double[] pr = rw.trajectoryProbabilities();
        int bestAw = 0;
        int bestRw = 0;
        for (int i = 1; i < 6; i++) {
            bestAw = pa[i] > pa[bestAw] ? i : bestAw;
            bestRw = pr[i] > pr[bestRw] ? i : bestRw;
        }
        assertEquals(5, bestRw, "RW prefers the highest return");
        assertEquals(3, bestAw, "AW prefers the trajectory that beat its initial-state baseline");
        assertTrue(aw.note().contains("OLS"), aw.note());
    }

    @Test
    void advantageWeightingFallsBackToMeanWithConstantInitialStates() {
        OfflineDataset d = episodes(new int[]{3, 3}, new double[]{1, 2}, new double[]{0.5, 0.5});
        TrajectoryWeighting aw = TrajectoryWeighting.advantageWeighted(d, 0.1);
        TrajectoryWeighting rw = TrajectoryWeighting.returnWeighted(d, 0.1);
        assertEquals(rw.trajectoryProbabilities()[1], aw.trajectoryProbabilities()[1], 1e-12);
        assertTrue(aw.note().contains("mean return"), aw.note());
    }

    @Test
    void samplersAreDeterministicPerSeedAndNamedErrorsOtherwise() {
        OfflineDataset d = episodes(new int[]{4, 6}, new double[]{1, 2}, new double[]{0, 1});
        TrainingData data = new TrainingData(d, Normalization.of(d, org.armature.envs.BoxSpace.uniform(1, -1, 1),
                false), 1.0, 0.0);
        Batch a = new Batch(50, 2, 1, DataType.FLOAT);
        Batch b = new Batch(50, 2, 1, DataType.FLOAT);
        DatasetSampler.create("rw", data, 0.99, 0.1).sample(a, new Rng(1));
        DatasetSampler.create("rw", data, 0.99, 0.1).sample(b, new Rng(1));
        for (int i = 0; i < 50; i++) {
            assertEquals(a.observations.get(2 * i), b.observations.get(2 * i));
            assertEquals(a.rewards.get(i), b.rewards.get(i));
            // every episode ends terminal: discount 0 there, gamma elsewhere
            double disc = a.discounts.get(i);
            assertTrue(disc == 0.0 || disc == 0.99, "discount " + disc);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetSampler.create("per", data, 0.99, 0.1));
        assertTrue(e.getMessage().contains("uniform, rw or aw"));
        assertThrows(IllegalArgumentException.class, () -> DatasetSampler.create("rw", data, 0.99, 0));
    }
}
