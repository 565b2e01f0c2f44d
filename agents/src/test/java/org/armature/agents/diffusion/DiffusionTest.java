package org.armature.agents.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.armature.agents.Batch;
import org.armature.agents.ChunkLayout;
import org.armature.agents.Policy;
import org.armature.agents.PolicyBundles;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.Normalization;
import org.armature.agents.data.OfflineDataset;
import org.armature.agents.data.TrainingData;
import org.armature.agents.data.WindowSampler;
import org.armature.envs.EnvSpec;
import org.armature.envs.Envs;
import org.armature.nn.Ema;
import org.armature.nn.Mat;
import org.armature.nn.ParamGroup;
import org.armature.nn.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** Noise schedule, samplers, EMA, learning-rate schedule, window sampling, learning and the bundle round trip. */
class DiffusionTest {

    @TempDir
    Path dir;

    @Test
    void squaredCosineScheduleMatchesItsDefinition() {
        NoiseSchedule s = new NoiseSchedule(100);
        double prod = 1;
        for (int t = 0; t < 100; t++) {
            double f0 = Math.pow(Math.cos((t / 100.0 + 0.008) / 1.008 * Math.PI / 2), 2);
            double f1 = Math.pow(Math.cos(((t + 1) / 100.0 + 0.008) / 1.008 * Math.PI / 2), 2);
            prod *= 1 - Math.min(1 - f1 / f0, 0.999);
            assertEquals(prod, s.alphaBar(t), 1e-15);
        }
        assertTrue(s.alphaBar(0) > 0.999 && s.alphaBar(99) < 1e-3, "alpha-bar spans clean to pure noise: " + s.alphaBar(0)
                + ", " + s.alphaBar(99));
        assertEquals(1.0, s.alphaBar(-1));
    }

    @Test
    void timestepSpacings() {
        NoiseSchedule s = new NoiseSchedule(100);
        assertArrayEquals(new int[]{99, 89, 79, 69, 59, 49, 39, 29, 19, 9}, s.timesteps(10, NoiseSchedule.Spacing.TRAILING));
        assertArrayEquals(new int[]{90, 80, 70, 60, 50, 40, 30, 20, 10, 0}, s.timesteps(10, NoiseSchedule.Spacing.LEADING));
        assertArrayEquals(new int[]{99, 88, 77, 66, 55, 44, 33, 22, 11, 0}, s.timesteps(10, NoiseSchedule.Spacing.LINSPACE));
        int[] all = s.timesteps(100, NoiseSchedule.Spacing.TRAILING);
        for (int i = 0; i < 100; i++) {
            assertEquals(99 - i, all[i]);
        }
        assertThrows(IllegalArgumentException.class, () -> s.timesteps(101, NoiseSchedule.Spacing.TRAILING));
    }

    /** With the true noise as the prediction, DDIM (η = 0) and the DDPM posterior mean both return the clean sample. */
    @Test
    void samplersRecoverTheCleanSampleFromAnOracleDenoiser() {
        NoiseSchedule s = new NoiseSchedule(100);
        Rng rng = new Rng(1);
        float[] x0 = new float[8];
        float[] eps = new float[8];
        for (int i = 0; i < 8; i++) {
            x0[i] = (float) (1.8 * rng.nextDouble() - 0.9);
            eps[i] = (float) rng.nextGaussian();
        }
        for (boolean ddim : new boolean[]{true, false}) {
            int[] ts = s.timesteps(ddim ? 10 : 100, NoiseSchedule.Spacing.TRAILING);
            float[] x = new float[8];
            s.addNoise(x0, eps, ts[0], x, 0, 8);
            float[] oracle = new float[8];
            float[] zero = new float[8];
            for (int k = 0; k < ts.length; k++) {
                int prev = k + 1 < ts.length ? ts[k + 1] : -1;
                double a = Math.sqrt(s.alphaBar(ts[k]));
                double b = Math.sqrt(1 - s.alphaBar(ts[k]));
                for (int i = 0; i < 8; i++) {
                    oracle[i] = (float) ((x[i] - a * x0[i]) / b); // the noise that is in x now
                }
                s.step(ddim, x, oracle, ts[k], prev, zero);
            }
            for (int i = 0; i < 8; i++) {
                assertEquals(x0[i], x[i], 2e-3, (ddim ? "ddim" : "ddpm") + " value " + i);
            }
        }
    }

    @Test
    void emaWarmUpAndLearningRateSchedule() {
        ParamGroup a = new ParamGroup(List.of(new org.armature.nn.Param("w", DataType.FLOAT, 1, 1)));
        ParamGroup b = new ParamGroup(List.of(new org.armature.nn.Param("w", DataType.FLOAT, 1, 1)));
        Ema ema = new Ema(a, b, 0.75, 0.9999);
        assertEquals(0, ema.decay(0));
        assertEquals(0, ema.decay(1));
        assertEquals(1 - Math.pow(2, -0.75), ema.decay(2), 1e-12);
        assertEquals(0.9999, ema.decay(100_000_000L), 1e-12);
        a.values().set(0, 1.0);
        ema.update();
        assertEquals(1.0, b.values().get(0), 0.0, "decay 0 copies");
        ema.update();
        a.values().set(0, 3.0);
        ema.update(); // decay 1 - 2^-0.75
        double d = 1 - Math.pow(2, -0.75);
        assertEquals(d * 1 + (1 - d) * 3, b.values().get(0), 1e-6);

        DiffusionBc.Config c = small(DenoiserSpec.MLP, 1, 1, 1);
        DiffusionBc learner = new DiffusionBc(1, 1, c, 1000, 0);
        assertEquals(0, learner.learningRate(0));
        assertEquals(c.learningRate() / 2, learner.learningRate(c.warmupSteps() / 2), 1e-12);
        assertEquals(c.learningRate(), learner.learningRate(c.warmupSteps()), 1e-12);
        assertEquals(c.learningRate() / 2, learner.learningRate(c.warmupSteps() + (1000 - c.warmupSteps()) / 2), 1e-9);
        assertTrue(learner.learningRate(999) < 1e-3 * c.learningRate());
    }

    private static DiffusionBc.Config small(String denoiser, int to, int tp, int ta) {
        return new DiffusionBc.Config(denoiser, "8,16", 64, 2, to, tp, ta, 100, "ddim", 10, "trailing", 3e-3, 0.95, 0.999,
                1e-6, 50, 0.75, 0.9999, -1);
    }

    /** Two episodes, observation = global index, action = 100 + index: windows show exactly what was sampled. */
    private static TrainingData indexed(int... lengths) {
        int n = 0;
        for (int l : lengths) {
            n += l;
        }
        float[] obs = new float[n];
        float[] act = new float[n];
        boolean[] term = new boolean[n];
        boolean[] timeout = new boolean[n];
        int i = 0;
        for (int l : lengths) {
            for (int k = 0; k < l; k++, i++) {
                obs[i] = i;
                act[i] = 100 + i;
            }
            timeout[i - 1] = true;
        }
        // next observations given: without them the dataset derives them and drops each episode's last step
        OfflineDataset d = new OfflineDataset(1, 1, obs, act, new float[n], term, timeout, obs.clone(),
                java.util.Map.of(), DatasetMetadata.empty());
        Normalization identity = new Normalization(new float[]{0}, new float[]{1}, new float[]{0}, new float[]{1000});
        return new TrainingData(d, identity, 1, 0);
    }

    @Test
    void windowsPadAtEpisodeEdgesAndNeverCrossEpisodes() {
        TrainingData data = indexed(5, 3);
        ChunkLayout layout = new ChunkLayout(2, 4, 2);
        WindowSampler s = new WindowSampler(data, layout, 0.99);
        // per episode L - Tp + Ta + To - 1 windows: 5 - 4 + 2 + 1 = 4 and 3 - 4 + 2 + 1 = 2
        assertEquals(6, s.size());
        Batch b = new Batch(400, 2, 4, DataType.FLOAT);
        s.sample(b, new Rng(0));
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (int r = 0; r < b.size; r++) {
            StringBuilder w = new StringBuilder();
            for (int k = 0; k < 2; k++) {
                w.append((int) b.observations.get(r, k)).append(' ');
            }
            w.append('|');
            for (int k = 0; k < 4; k++) {
                w.append(' ').append(Math.round(b.actions.get(r, k) * 1000) - 100);
            }
            seen.add(w.toString());
        }
        // windows start at -1..2 in episode [0, 5) and at 4..5 in episode [5, 8); both pad by repeating edge steps
        assertEquals(java.util.Set.of("0 0 | 0 0 1 2", "0 1 | 0 1 2 3", "1 2 | 1 2 3 4", "2 3 | 2 3 4 4",
                "5 5 | 5 5 6 7", "5 6 | 5 6 7 7"), seen);
        assertThrows(IllegalArgumentException.class, () -> new WindowSampler(indexed(2, 2), new ChunkLayout(1, 8, 1),
                0.99));
        assertThrows(IllegalArgumentException.class, () -> new ChunkLayout(2, 8, 8), "Tp must cover To - 1 + Ta");
    }

    /**
     * The reason for diffusion: actions that are +0.8 or −0.8 with equal probability in the same state. Mean-squared
     * regression would predict their mean (0); the diffusion policy samples both modes and nothing in between.
     */
    @Test
    void diffusionLearnsBothModesWhereRegressionAverages() {
        int n = 512;
        float[] obs = new float[n];
        float[] act = new float[n];
        boolean[] timeout = new boolean[n];
        Rng rng = new Rng(7);
        for (int i = 0; i < n; i++) {
            act[i] = rng.nextDouble() < 0.5 ? 0.8f : -0.8f;
            timeout[i] = true; // one-step episodes
        }
        OfflineDataset d = new OfflineDataset(1, 1, obs, act, new float[n], new boolean[n], timeout, obs.clone(),
                java.util.Map.of(), DatasetMetadata.empty());
        TrainingData data = new TrainingData(d, new Normalization(new float[]{0}, new float[]{1}, new float[]{0},
                new float[]{1}), 1, 0);
        DiffusionBc learner = new DiffusionBc(1, 1, small(DenoiserSpec.MLP, 1, 1, 1), 1500, 0);
        WindowSampler s = new WindowSampler(data, new ChunkLayout(1, 1, 1), 0.99);
        Batch b = new Batch(128, 1, 1, DataType.FLOAT);
        Rng loop = new Rng(1);
        for (int i = 0; i < 1500; i++) {
            s.sample(b, loop);
            learner.update(b);
        }
        int near = 0;
        int positive = 0;
        float[] out = new float[1];
        for (int k = 0; k < 200; k++) {
            learner.act(new float[]{0}, out);
            near += Math.abs(Math.abs(out[0]) - 0.8) < 0.15 ? 1 : 0;
            positive += out[0] > 0 ? 1 : 0;
        }
        assertTrue(near >= 170, near + " of 200 samples within 0.15 of a mode");
        assertTrue(positive > 50 && positive < 150, positive + " of 200 samples in the positive mode");
    }

    /** Training state → bundle → Policy.load gives the same chunks for the same noise, and the queue plays Ta actions. */
    @Test
    void bundleRoundTripAndChunkExecution() throws Exception {
        EnvSpec env;
        try (var e = Envs.make("PushT-v1")) {
            env = e.spec();
        }
        int od = env.observationDim();
        int ad = env.actionDim();
        DiffusionBc learner = new DiffusionBc(od, ad, small(DenoiserSpec.MLP, 2, 8, 4), 100, 3);
        Batch b = new Batch(16, 2 * od, 8 * ad, DataType.FLOAT);
        Rng rng = new Rng(5);
        for (int step = 0; step < 5; step++) {
            for (Mat m : new Mat[]{b.observations, b.actions}) {
                for (int i = 0; i < m.length(); i++) {
                    m.set(i, 2 * rng.nextDouble() - 1);
                }
                m.hostWritten();
            }
            learner.update(b);
        }
        float[] lo = new float[od];
        float[] hi = new float[od];
        for (int j = 0; j < od; j++) {
            lo[j] = -1 - j;
            hi[j] = 1 + j;
        }
        float[] alo = {-0.4f, -0.3f};
        float[] ahi = {0.4f, 0.5f};
        Path bundle = dir.resolve("bundle");
        PolicyBundles.write(bundle, learner, env, PolicyBundles.Normalization.minMax(lo, hi),
                PolicyBundles.Normalization.minMax(alo, ahi),
                PolicyBundles.Provenance.now("diffusion", "PushT-v1", 3, 0, 5), null, null);
        assertTrue(Files.isRegularFile(bundle.resolve("denoiser.params")));
        Policy p = Policy.load(bundle);
        assertTrue(p instanceof DiffusionPolicy);
        assertEquals(2, p.observationHistory());
        assertEquals(8, p.chunkLength());
        assertEquals(4, p.executedChunk());
        assertEquals(8 * ad, p.noiseDim());

        // same noise, same condition: the bundle's chunk equals the learner's EMA sampler's, un-normalised
        float[] o = new float[od];
        for (int j = 0; j < od; j++) {
            o[j] = (float) (0.3 * j - 1);
        }
        float[] noise = new float[8 * ad];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) rng.nextGaussian();
        }
        p.reset(11);
        float[][] chunk = p.actChunk(o, noise);
        float[] cond = new float[2 * od];
        for (int f = 0; f < 2; f++) {
            for (int j = 0; j < od; j++) {
                cond[f * od + j] = 2 * (o[j] - lo[j]) / (hi[j] - lo[j]) - 1;
            }
        }
        float[] expect = new float[8 * ad];
        learner.sampler(learner.averagedDenoiser()).sample(cond, noise, new Rng(0), expect);
        for (int c = 0; c < 8; c++) {
            for (int j = 0; j < ad; j++) {
                double want = expect[c * ad + j] * (ahi[j] - alo[j]) / 2 + (ahi[j] + alo[j]) / 2;
                assertEquals(want, chunk[c][j], 1e-5, "chunk[" + c + "][" + j + "]");
                assertTrue(chunk[c][j] >= alo[j] - 1e-6 && chunk[c][j] <= ahi[j] + 1e-6, "clipped to the data range");
            }
        }

        // the queue: a decision every Ta = 4 steps; reset with the same seed replays the same actions
        List<float[]> first = new ArrayList<>();
        p.reset(21);
        for (int t = 0; t < 8; t++) {
            first.add(p.act(o));
        }
        p.reset(21);
        for (int t = 0; t < 8; t++) {
            assertArrayEquals(first.get(t), p.act(o), "step " + t + " after reset");
        }

        // batch-1 acting allocates nothing once warm (the hot path of deployment)
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        float[] out = new float[ad];
        for (int t = 0; t < 64; t++) {
            p.act(o, out);
        }
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int t = 0; t < 64; t++) {
            p.act(o, out);
        }
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(allocated < 1024, "64 steps of acting allocated " + allocated + " bytes");
    }

    /** ACT's temporal ensembling: a decision every step; the first action is the first chunk's current-step action. */
    @Test
    void temporalEnsemblingDecidesEveryStepAndAveragesOverlappingChunks() throws Exception {
        EnvSpec env;
        try (var e = Envs.make("PushT-v1")) {
            env = e.spec();
        }
        int od = env.observationDim();
        DiffusionBc.Config c = small(DenoiserSpec.MLP, 2, 8, 4);
        c = new DiffusionBc.Config(c.denoiser(), c.downDims(), c.hidden(), c.blocks(), 2, 8, 4, c.trainSteps(),
                c.sampler(), c.inferenceSteps(), c.timestepSpacing(), c.learningRate(), c.beta1(), c.beta2(),
                c.weightDecay(), c.warmupSteps(), c.emaPower(), c.emaMaxDecay(), 0.0);
        DiffusionBc learner = new DiffusionBc(od, 2, c, 100, 3);
        Path bundle = dir.resolve("ensemble");
        float[] lo = new float[od];
        float[] hi = new float[od];
        java.util.Arrays.fill(lo, -1);
        java.util.Arrays.fill(hi, 1);
        PolicyBundles.write(bundle, learner, env, PolicyBundles.Normalization.minMax(lo, hi), null,
                PolicyBundles.Provenance.now("diffusion", "PushT-v1", 3, 0, 0), null, null);
        DiffusionPolicy p = (DiffusionPolicy) Policy.load(bundle);
        assertEquals(1, p.executedChunk(), "a decision every step");
        float[] o = new float[od];
        p.reset(4);
        float[] first = p.act(o);
        DiffusionPolicy single = (DiffusionPolicy) Policy.load(bundle);
        single.reset(4);
        float[][] chunk = single.actChunk(o); // the same seed draws the same first chunk
        assertArrayEquals(chunk[1], first, 1e-6f, "one prediction so far: its action for the current step");
        float[] second = p.act(o);
        float[][] next = single.actChunk(o);
        for (int j = 0; j < 2; j++) { // m = 0: the plain mean of the two chunks' actions for step 2
            assertEquals((chunk[2][j] + next[1][j]) / 2, second[j], 1e-5, "dimension " + j);
        }
    }

    @Test
    void badConfigsGetClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small(DenoiserSpec.MLP, 2, 4, 8));
        assertTrue(e.getMessage().contains("chunk_length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DiffusionBc.Config("transformer", "8", 8, 1, 1, 1, 1,
                100, "ddim", 10, "trailing", 1e-4, 0.9, 0.9, 0, 0, 0.75, 0.9999, -1));
        assertTrue(e.getMessage().contains("unet or mlp"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DiffusionBc.Config("unet", "64,x", 8, 1, 1, 1, 1,
                100, "ddim", 10, "trailing", 1e-4, 0.9, 0.9, 0, 0, 0.75, 0.9999, -1));
        assertTrue(e.getMessage().contains("down_dims"), e.getMessage());
    }
}
