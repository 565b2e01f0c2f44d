package org.armature.offline.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;
import org.armature.agents.data.DatasetBuilder;
import org.armature.offline.data.Corruption;
import org.armature.offline.data.DatasetInfo;
import org.armature.offline.data.Mixer;
import org.armature.offline.data.ReplayExport;
import org.armature.offline.metrics.DatasetMetrics;
import org.armature.offline.metrics.ReferenceScores;
import org.armature.offline.metrics.StateActionCoverage;
import org.junit.jupiter.api.Test;

class DatasetToolsTest {

    /** Episodes with given lengths and per-step reward; the first observation dim holds {@code initialState}. */
    private static OfflineDataset episodes(int[] lengths, double[] returns, double[] initialState) {
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


    @Test
    void replayExportKeepsEachStreamsEpisodesContiguous() {
        // two streams, interleaved: stream 0 runs episodes of 3 steps (terminal), stream 1 one episode of 5 (time-out)
        org.armature.agents.ReplayBuffer rb = new org.armature.agents.ReplayBuffer(12, 1, 1, 2, java.util.Map.of());
        for (int t = 0; t < 5; t++) {
            rb.add(new float[]{t}, new float[]{0}, 10 + t, new float[]{t + 1}, t == 2, false);
            rb.add(new float[]{100 + t}, new float[]{1}, 20 + t, new float[]{101 + t}, false, t == 4);
        }
        OfflineDataset d = ReplayExport.toDataset(rb, 0, DatasetMetadata.of("X", "replay", 0L, null));
        assertEquals(10, d.size());
        assertArrayEquals(new float[]{10, 11, 12, 13, 14, 20, 21, 22, 23, 24}, d.rewards());
        assertArrayEquals(new boolean[]{false, false, true, false, false, false, false, false, false, false},
                d.terminals());
        // stream 0's second episode is unfinished and gets closed by a time-out; stream 1 timed out at its end
        assertArrayEquals(new boolean[]{false, false, false, false, true, false, false, false, false, true},
                d.timeouts());
        assertEquals(3, d.episodeCount());
        assertEquals(101f, d.nextObservations()[5]);
        // the first 6 transitions ever added: 3 per stream
        OfflineDataset head = ReplayExport.toDataset(rb, 6, DatasetMetadata.empty());
        assertArrayEquals(new float[]{10, 11, 12, 20, 21, 22}, head.rewards());
        // after wrapping (12 slots), the oldest transitions are gone
        for (int t = 5; t < 9; t++) {
            rb.add(new float[]{t}, new float[]{0}, 10 + t, new float[]{t + 1}, false, false);
            rb.add(new float[]{100 + t}, new float[]{1}, 20 + t, new float[]{101 + t}, false, false);
        }
        assertEquals(12, ReplayExport.toDataset(rb, 0, DatasetMetadata.empty()).size());
        assertThrows(IllegalArgumentException.class, () -> ReplayExport.toDataset(rb, 4, DatasetMetadata.empty()));
    }

    @Test
    void infoReportsReturnsAndPositiveSidedVariance() {
        OfflineDataset d = episodes(new int[]{2, 2, 2, 2}, new double[]{0, 0, 0, 4},
                new double[]{0, 0, 0, 0});
        DatasetInfo info = DatasetInfo.of(d);
        assertEquals(4, info.episodes());
        assertEquals(8, info.transitions());
        assertEquals(1.0, info.returnMean(), 1e-6);
        assertEquals(4.0, info.returnMax(), 1e-6);
        // normalised returns 0,0,0,1: mean 0.25, only the last one lies above: (0.75^2)/4
        assertEquals(0.75 * 0.75 / 4, info.positiveSidedVariance(), 1e-9);
        assertEquals(3.0 * 3.0 / 4, info.positiveSidedVarianceRaw(), 1e-5);
        assertTrue(info.format().contains("positive-sided variance"));
    }

    @Test
    void mixTakesWholeEpisodesByFraction() {
        OfflineDataset low = episodes(new int[]{3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3},
                new double[19], new double[19]);
        double[] hi = new double[5];
        java.util.Arrays.fill(hi, 9);
        OfflineDataset high = episodes(new int[]{5, 5, 5, 5, 5}, hi, new double[5]);
        OfflineDataset m = Mixer.mix(List.of(new Mixer.Part("high", high, 0.05), new Mixer.Part("low", low, 0.95)),
                0, 1);
        // total limited by low: 19 / 0.95 = 20 episodes -> 1 high + 19 low
        assertEquals(20, m.episodeCount());
        assertEquals(5 + 19 * 3, m.size());
        long highCount = java.util.Arrays.stream(m.trajectories().returns()).filter(g -> g > 8).count();
        assertEquals(1, highCount);
        assertTrue(m.metadata().collectionPolicy().startsWith("mix("));
        assertThrows(IllegalArgumentException.class, () -> Mixer.mix(List.of(new Mixer.Part("a", low, 0.5),
                new Mixer.Part("b", high, 0.4)), 0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mixer.mix(
                List.of(new Mixer.Part("high", high, 0.5), new Mixer.Part("low", low, 0.5)), 20, 1));
        assertTrue(e.getMessage().contains("high has 5 episodes"), e.getMessage());
    }

    @Test
    void corruptionTouchesTheRequestedFractionAndKindOnly() {
        OfflineDataset d = D4rlHdf5Test.sample(5);
        for (Corruption.Kind kind : Corruption.Kind.values()) {
            OfflineDataset c = Corruption.corrupt(d, kind, 0.25, 1.0, 3);
            boolean[] mask = (boolean[]) c.infos().get("corrupted");
            int k = 0;
            for (boolean b : mask) {
                k += b ? 1 : 0;
            }
            assertEquals(4, k, kind + ": 25% of 16 transitions");
            for (int i = 0; i < d.size(); i++) {
                boolean obsSame = java.util.Arrays.equals(slice(d.observations(), i, 3), slice(c.observations(), i, 3));
                boolean nextSame = java.util.Arrays.equals(slice(d.nextObservations(), i, 3),
                        slice(c.nextObservations(), i, 3));
                boolean actSame = java.util.Arrays.equals(slice(d.actions(), i, 2), slice(c.actions(), i, 2));
                boolean rewSame = d.rewards()[i] == c.rewards()[i];
                assertEquals(!mask[i] || kind != Corruption.Kind.STATES, obsSame, kind + " obs " + i);
                assertEquals(!mask[i] || kind != Corruption.Kind.DYNAMICS, nextSame, kind + " next " + i);
                assertEquals(!mask[i] || kind != Corruption.Kind.ACTIONS, actSame, kind + " act " + i);
                assertEquals(!mask[i] || kind != Corruption.Kind.REWARDS, rewSame, kind + " rew " + i);
                if (kind == Corruption.Kind.REWARDS) {
                    assertTrue(Math.abs(c.rewards()[i]) <= 30f);
                }
                if (kind == Corruption.Kind.ACTIONS) {
                    for (float a : slice(c.actions(), i, 2)) {
                        assertTrue(a >= -1 && a <= 1);
                    }
                }
            }
            assertTrue(c.metadata().extra().get("corruption").contains(kind.name().toLowerCase()));
        }
        // the source is untouched and a different seed picks different transitions
        assertArrayEquals(D4rlHdf5Test.sample(5).rewards(), d.rewards());
        assertNotEquals(java.util.Arrays.toString((boolean[]) Corruption.corrupt(d, Corruption.Kind.REWARDS, 0.25, 1,
                3).infos().get("corrupted")), java.util.Arrays.toString((boolean[]) Corruption.corrupt(d,
                Corruption.Kind.REWARDS, 0.25, 1, 4).infos().get("corrupted")));
        assertThrows(IllegalArgumentException.class, () -> Corruption.parseKind("noise"));
        assertThrows(IllegalArgumentException.class, () -> Corruption.corrupt(d, Corruption.Kind.STATES, 1.5, 1, 1));
    }

    private static float[] slice(float[] x, int i, int dim) {
        return java.util.Arrays.copyOfRange(x, i * dim, (i + 1) * dim);
    }

    @Test
    void sacoCountsDistinctBinsAndTqNormalisesReturns() {
        // reference: 200 transitions spread over [0, 1]; dataset: 20 copies of one state-action
        DatasetBuilder rb = new DatasetBuilder(1, 1, true);
        float[] o = new float[201];
        float[] a = new float[200];
        for (int i = 0; i <= 200; i++) {
            o[i] = i / 200f;
        }
        for (int i = 0; i < 200; i++) {
            a[i] = (i % 2) / 1f;
        }
        boolean[] te = new boolean[200];
        te[199] = true;
        rb.addEpisode(o, a, new float[200], te, new boolean[200], null);
        OfflineDataset ref = rb.build(null);
        StateActionCoverage cov = StateActionCoverage.boundsOf(ref, 100);
        // 100 state bins x 2 action bins, but state bin and action parity are tied: ~200 pairs -> 100 bins x 2
        double refUnique = cov.uniqueStateActions(ref);
        assertEquals(200, refUnique, 3);
        OfflineDataset one = episodes(new int[]{20}, new double[]{5}, new double[]{0.5});
        OfflineDataset narrow = new OfflineDataset(1, 1, new float[20], new float[20], new float[20],
                one.terminals(), one.timeouts(), null, null, null);
        assertEquals(1, cov.uniqueStateActions(narrow), 0.01);
        ReferenceScores.Reference r = new ReferenceScores.Reference("X", -10, 90, "test");
        DatasetMetrics m = DatasetMetrics.compute(ref.withMetadata(DatasetMetadata.empty()), r, ref, "ref", 100);
        assertEquals(0.1, m.trajectoryQuality(), 1e-9); // mean return 0 -> (0 + 10) / 100
        assertEquals(1.0, m.stateActionCoverage(), 1e-9);
        assertEquals(50.0, r.normalise(40), 1e-9);
    }
}
