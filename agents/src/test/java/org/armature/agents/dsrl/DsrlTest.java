package org.armature.agents.dsrl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.armature.agents.Batch;
import org.armature.agents.NoiseSpacePolicy;
import org.armature.agents.Policy;
import org.armature.agents.PolicyBundles;
import org.armature.agents.diffusion.DenoiserSpec;
import org.armature.agents.diffusion.DiffusionBc;
import org.armature.envs.Env;
import org.armature.envs.EnvSpec;
import org.armature.envs.Envs;
import org.armature.envs.Step;
import org.armature.nn.Mat;
import org.armature.nn.Rng;
import org.armature.train.Configs;
import org.armature.train.Progress;
import org.armature.train.TrainConfig;
import org.armature.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class DsrlTest {

    private static final String ENV = "PushTSparse-v1";

    /** A small diffusion policy (To 2, Tp 8, Ta 4) for {@code envId}, a few updates on random data, as a bundle. */
    static Path diffusionBundle(Path dir, String envId) throws Exception {
        EnvSpec env;
        try (Env e = Envs.make(envId)) {
            env = e.spec();
        }
        int od = env.observationDim();
        int ad = env.actionDim();
        DiffusionBc.Config c = new DiffusionBc.Config(DenoiserSpec.MLP, "8,16", 32, 1, 2, 8, 4, 100, "ddim", 5,
                "trailing", 3e-3, 0.95, 0.999, 1e-6, 50, 0.75, 0.9999, -1);
        DiffusionBc learner = new DiffusionBc(od, ad, c, 100, 3);
        Batch b = new Batch(8, 2 * od, 8 * ad, DataType.FLOAT);
        Rng rng = new Rng(5);
        for (int step = 0; step < 3; step++) {
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
        java.util.Arrays.fill(lo, -600f);
        java.util.Arrays.fill(hi, 600f);
        Path bundle = dir.resolve("diffusion");
        PolicyBundles.write(bundle, learner, env, PolicyBundles.Normalization.minMax(lo, hi), null,
                PolicyBundles.Provenance.now("diffusion", envId, 3, 0, 3), null, null);
        return bundle;
    }

    @Test
    void aDecisionPlaysTheBaseChunkFromItsStartFeedingEveryObservationIntoItsHistory(@TempDir Path dir)
            throws Exception {
        Path bundle = diffusionBundle(dir, ENV);
        Policy base = Policy.load(bundle);
        Policy mirror = Policy.load(bundle);
        double gamma = 0.9;
        try (NoiseSpaceEnv w = new NoiseSpaceEnv(Envs.make(ENV), base, 1.5, gamma); Env plain = Envs.make(ENV)) {
            assertEquals(8 * 2, w.spec().actionDim());
            assertEquals(1.5f, w.spec().actionSpace().high(0));
            assertEquals(4, w.decisionInterval());
            float[] o = w.reset(7).observation();
            mirror.reset(7);
            float[] p = plain.reset(7).observation();
            assertArrayEquals(p, o);
            Rng rng = new Rng(1);
            for (int decision = 0; decision < 5; decision++) {
                float[] noise = new float[16];
                for (int i = 0; i < noise.length; i++) {
                    noise[i] = (float) (2.8 * rng.nextDouble() - 1.4); // inside the bound: not clipped
                }
                Step s = w.step(noise);
                // the mirror: same chunk from the same noise, played from chunkStart, history fed every step
                float[][] chunk = mirror.actChunk(p, noise);
                double sum = 0;
                double disc = 0;
                int k = 0;
                for (; k < 4; k++) {
                    if (k > 0) {
                        mirror.observe(p);
                    }
                    Step ps = plain.step(chunk[mirror.chunkStart() + k]);
                    sum += ps.reward();
                    disc += Math.pow(gamma, k) * ps.reward();
                    p = ps.observation();
                    if (ps.done()) {
                        k++;
                        break;
                    }
                }
                assertArrayEquals(p, s.observation(), "same primitive actions, same state");
                assertEquals(sum, s.reward(), 1e-12);
                assertEquals(disc, (Double) s.info().get(NoiseSpaceEnv.DISCOUNTED_REWARD), 1e-12);
                assertEquals(k, s.info().get(NoiseSpaceEnv.DECISION_STEPS));
                if (s.done()) {
                    break;
                }
            }
            assertThrows(IllegalArgumentException.class, () -> w.step(new float[3]));
        }
    }

    @Test
    void dsrlTrainsCountingPrimitiveStepsAndItsBundleRunsBaseAndNoiseActorAsOnePolicy(@TempDir Path dir)
            throws Exception {
        Path bundle = diffusionBundle(dir, ENV);
        TrainConfig cfg = Configs.resolve(TrainConfig.defaults(TrainConfig.DSRL, ENV, 480, 2), null, List.of(
                "base=" + bundle, "learning_starts=160", "batch_size=16", "updates_per_step=2", "eval_interval=240",
                "eval_episodes=1", "sac.actor_hidden=[16]", "sac.critic_hidden=[16]"));
        Trainer t = Trainer.create(cfg, dir.resolve("run"), false, Progress.SILENT, null);
        Trainer.Result r = t.run();
        assertEquals(480, r.envSteps(), "env steps are primitive actions, not chunks");
        assertEquals(2L * (480 - 160) / 4, r.updates(), "updates_per_step per decision after learning starts");
        Policy composite = Policy.load(r.runDir().resolve(Trainer.BUNDLE));
        assertInstanceOf(NoiseSpacePolicy.class, composite);
        List<String> rows = Files.readAllLines(r.runDir().resolve(Trainer.METRICS));
        assertTrue(rows.get(rows.size() - 1).startsWith("480,"), rows.get(rows.size() - 1));
        // the composite bundle acts as the learner's deterministic noise through the wrapper
        Policy base = Policy.load(r.runDir().resolve(Trainer.BASE));
        try (NoiseSpaceEnv w = new NoiseSpaceEnv(Envs.make(ENV), base, 1.5, 0.99); Env plain = Envs.make(ENV)) {
            float[] o = w.reset(9).observation();
            composite.reset(9);
            float[] p = plain.reset(9).observation();
            float[] noise = new float[w.spec().actionDim()];
            for (int d = 0; d < 3; d++) {
                t.agent().act(o, noise);
                Step s = w.step(noise);
                for (int k = 0; k < 4; k++) {
                    p = plain.step(composite.act(p)).observation();
                }
                assertArrayEquals(s.observation(), p, 1e-6f);
                o = s.observation();
            }
        }
    }

    @Test
    void basesWithoutASamplerAreRefused(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("r");
        TrainConfig expert = Configs.resolve(TrainConfig.defaults(TrainConfig.DSRL, ENV, 100, 0), null,
                List.of("base=expert"));
        Exception e = assertThrows(IllegalArgumentException.class, () -> Trainer.create(expert, run, false,
                Progress.SILENT, null));
        assertTrue(e.getMessage().contains("scripted expert"), e.getMessage());
        Path mlp = dir.resolve("expert-bundle");
        try (Env env = Envs.make(ENV)) {
            PolicyBundles.writeExpert(mlp, env.spec(), 0.0);
        }
        TrainConfig notDiffusion = Configs.resolve(TrainConfig.defaults(TrainConfig.DSRL, ENV, 100, 0), null,
                List.of("base=" + mlp));
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.create(notDiffusion, run, false,
                Progress.SILENT, null));
        assertTrue(e.getMessage().contains("samples its action chunks from noise"), e.getMessage());
        assertFalse(Files.exists(run));
        e = assertThrows(IllegalArgumentException.class, () -> Configs.resolve(
                TrainConfig.defaults(TrainConfig.DSRL, ENV, 100, 0), null, List.of("base=x", "dsrl.noise_magnitude=0")));
        assertTrue(e.getMessage().contains("noise_magnitude"), e.getMessage());
    }
}
