package org.armature.offline.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.armature.agents.Batch;
import org.armature.agents.MixedSampler;
import org.armature.agents.ReplayBuffer;
import org.armature.agents.Sampler;
import org.armature.agents.data.DatasetBuilder;
import org.armature.agents.data.DatasetSampler;
import org.armature.agents.data.Normalization;
import org.armature.agents.data.OfflineDataset;
import org.armature.agents.data.TrainingData;
import org.armature.envs.BoxSpace;
import org.armature.nn.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * RLPD-style symmetric sampling on the one sampler contract: half of every batch from a D4RL-layout dataset read
 * from disk, half from an online replay buffer, through {@link MixedSampler}.
 */
class MixedDatasetReplayTest {

    @Test
    void halfOfEachBatchComesFromTheDatasetAndHalfFromTheReplayBuffer(@TempDir Path dir) {
        // demonstrations: observations in [0, 10), one terminal episode of 10 steps and one timed-out one of 5
        DatasetBuilder b = new DatasetBuilder(1, 1, true);
        b.addEpisode(range(0, 11), new float[10], fill(10, 1f), last(10), new boolean[10], Map.of());
        b.addEpisode(range(20, 26), new float[5], fill(5, 1f), new boolean[5], last(5), Map.of());
        Path file = D4rlHdf5.write(b.build(null), dir.resolve("demos.h5"));
        OfflineDataset demos = D4rlHdf5.read(file);
        TrainingData data = new TrainingData(demos, Normalization.of(demos, BoxSpace.uniform(1, -1, 1), false), 1.0,
                0.0);
        Sampler demoSampler = DatasetSampler.create("uniform", data, 0.99, 0.1);
        // online data: observations 100 and above, reward -1
        ReplayBuffer online = new ReplayBuffer(64, 1, 1, 1, Map.of());
        for (int t = 0; t < 30; t++) {
            online.add(new float[]{100 + t}, new float[]{0.5f}, -1, new float[]{101 + t}, false, t % 10 == 9);
        }
        MixedSampler mixed = new MixedSampler(demoSampler, online.sampler(1, 0.99), 0.5);
        Batch batch = new Batch(64, 1, 1, DataType.FLOAT);
        Rng rng = new Rng(3);
        int terminals = 0;
        for (int k = 0; k < 20; k++) {
            mixed.sample(batch, rng);
            for (int i = 0; i < 64; i++) {
                double o = batch.observations.get(i);
                double r = batch.rewards.get(i);
                double disc = batch.discounts.get(i);
                if (i < 32) {
                    assertTrue(o < 30, "row " + i + " should be a demonstration, got observation " + o);
                    assertEquals(1.0, r, 0.0);
                    boolean terminal = o == 9; // the last step of the terminated episode
                    assertEquals(terminal ? 0.0 : 0.99, disc, 0.0, "observation " + o);
                    terminals += terminal ? 1 : 0;
                    assertEquals(o + 1, batch.nextObservations.get(i), 0.0);
                } else {
                    assertTrue(o >= 100, "row " + i + " should be online data, got observation " + o);
                    assertEquals(-1.0, r, 0.0);
                    assertEquals(0.99, disc, 1e-12, "time-outs bootstrap");
                }
            }
        }
        assertTrue(terminals > 0, "the terminal transition was never drawn in 640 demonstration rows");
    }

    private static float[] range(int from, int toExclusive) {
        float[] x = new float[toExclusive - from];
        for (int i = 0; i < x.length; i++) {
            x[i] = from + i;
        }
        return x;
    }

    private static float[] fill(int n, float v) {
        float[] x = new float[n];
        java.util.Arrays.fill(x, v);
        return x;
    }

    private static boolean[] last(int n) {
        boolean[] x = new boolean[n];
        x[n - 1] = true;
        return x;
    }
}
