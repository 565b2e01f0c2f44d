package org.armature.agents.residual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.armature.agents.Batch;
import org.armature.agents.ExpertPolicy;
import org.armature.agents.Policy;
import org.armature.agents.ReplayBuffer;
import org.armature.agents.ResidualPolicy;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;
import org.armature.envs.Env;
import org.armature.envs.EnvSpec;
import org.armature.envs.Envs;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.nn.Rng;
import org.armature.train.Configs;
import org.armature.train.Progress;
import org.armature.train.TrainConfig;
import org.armature.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class ResidualTest {

    private static final String ENV = "PegInsertSparse-v1";

    /** Noisy-expert episodes recorded on the dense task, with infos/success (as `armature collect` writes them). */
    static OfflineDataset demos(String envId, int episodes, int maxSteps) {
        List<Float> obs = new ArrayList<>();
        List<Float> next = new ArrayList<>();
        List<Float> act = new ArrayList<>();
        List<Float> rew = new ArrayList<>();
        List<Boolean> term = new ArrayList<>();
        List<Boolean> to = new ArrayList<>();
        List<Boolean> succ = new ArrayList<>();
        try (Env env = Envs.make(envId)) {
            ExpertPolicy expert = ExpertPolicy.of(env.spec(), 0.1, 7);
            for (int e = 0; e < episodes; e++) {
                expert.reset(100 + e);
                float[] o = env.reset(100 + e).observation();
                for (int t = 0; t < maxSteps; t++) {
                    float[] a = expert.act(o);
                    Step s = env.step(a);
                    for (float v : o) {
                        obs.add(v);
                    }
                    for (float v : s.observation()) {
                        next.add(v);
                    }
                    for (float v : a) {
                        act.add(v);
                    }
                    rew.add((float) s.reward());
                    term.add(s.terminated());
                    boolean last = s.done() || t == maxSteps - 1;
                    to.add(last && !s.terminated());
                    succ.add(s.success());
                    o = s.observation();
                    if (last) {
                        break;
                    }
                }
            }
            EnvSpec sp = env.spec();
            boolean[] success = new boolean[succ.size()];
            for (int i = 0; i < success.length; i++) {
                success[i] = succ.get(i);
            }
            Map<String, Object> infos = new LinkedHashMap<>();
            infos.put("success", success);
            return new OfflineDataset(sp.observationDim(), sp.actionDim(), floats(obs), floats(act), floats(rew),
                    bools(term), bools(to), floats(next), infos, DatasetMetadata.of(envId, "expert", 7L, null));
        }
    }

    private static float[] floats(List<Float> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    private static boolean[] bools(List<Boolean> l) {
        boolean[] a = new boolean[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    private static TrainConfig tiny(long steps, String base, Path demos) throws Exception {
        List<String> sets = new ArrayList<>(List.of("base=" + base, "learning_starts=150", "batch_size=32",
                "eval_interval=300", "eval_episodes=2", "checkpoint_interval=300", "residual.actor_hidden=[16,16]",
                "residual.critic_hidden=[16,16]", "residual.critic_warmup_updates=50", "residual.actor_lr=1e-3"));
        if (demos != null) {
            sets.add("demos=" + demos);
        }
        return Configs.resolve(TrainConfig.defaults(TrainConfig.RESIDUAL, ENV, steps, 5), null, sets);
    }

    @Test
    void aFreshResidualActsExactlyAsItsBaseAndItsBundleRunsBaseAndResidualAsOnePolicy(@TempDir Path dir)
            throws Exception {
        Trainer t = Trainer.create(tiny(900, "expert:0.2", null), dir.resolve("run"), false, Progress.SILENT, null);
        // the base copied into the run, as the scripted expert's bundle
        Policy base = Policy.load(t.runDir().resolve(Trainer.BASE));
        assertInstanceOf(ExpertPolicy.class, base);
        t.writeBundle(dir.resolve("b0"));
        Policy composite0 = Policy.load(dir.resolve("b0"));
        assertInstanceOf(ResidualPolicy.class, composite0);
        Policy reference = Policy.load(t.runDir().resolve(Trainer.BASE));
        try (Env env = Envs.make(ENV)) {
            composite0.reset(11);
            reference.reset(11);
            float[] o = env.reset(11).observation();
            for (int k = 0; k < 40; k++) {
                float[] a = composite0.act(o);
                assertArrayEquals(reference.act(o), a, 1e-6f, "zero last layer: the policy starts at the base");
                o = env.step(a).observation();
            }
        }
        t.run();
        ResidualTd3 agent = (ResidualTd3) t.agent();
        assertTrue(agent.updates() > 0);
        // after training, the bundle's composite policy gives the learner's own action on the same observations
        Policy composite = Policy.load(t.runDir().resolve(Trainer.BUNDLE));
        Policy baseForAgent = Policy.load(t.runDir().resolve(Trainer.BASE));
        // the bundle's residual on a base the caller supplies (here: a second copy of the same base)
        Policy onBase = ResidualPolicy.onBase(Policy.load(t.runDir().resolve(Trainer.BASE)),
                t.runDir().resolve(Trainer.BUNDLE));
        boolean moved = false;
        try (Env env = Envs.make(ENV)) {
            composite.reset(12);
            baseForAgent.reset(12);
            onBase.reset(12);
            float[] o = env.reset(12).observation();
            float[] x = new float[o.length + 4];
            float[] mine = new float[4];
            for (int k = 0; k < 40; k++) {
                float[] b = baseForAgent.act(o);
                System.arraycopy(o, 0, x, 0, o.length);
                System.arraycopy(b, 0, x, o.length, 4);
                agent.act(x, mine);
                float[] a = composite.act(o);
                assertArrayEquals(mine, a, 1e-5f);
                assertArrayEquals(a, onBase.act(o), 0f);
                for (int j = 0; j < 4; j++) {
                    moved |= Math.abs(a[j] - b[j]) > 1e-6;
                }
                o = env.step(a).observation();
            }
        }
        assertTrue(moved, "the residual learnt nothing: every action equals the base's");
    }

    @Test
    void theResidualIsBoundedByItsScaleAndTheActionBox() {
        EnvSpec spec;
        try (Env env = Envs.make(ENV)) {
            spec = env.spec();
        }
        ResidualTd3.Config c = ResidualTd3.Config.defaults().withHidden(new int[]{16}, new int[]{16}, 2)
                .withActorLr(3e-3).withCriticLr(3e-3).withCriticWarmupUpdates(200);
        ResidualTd3 agent = new ResidualTd3(spec.observationDim(), spec.actionSpace(), null, c, 1);
        int in = spec.observationDim() + spec.actionDim();
        Batch b = new Batch(16, in, spec.actionDim(), DataType.FLOAT);
        Rng rng = new Rng(3);
        for (int u = 0; u < 500; u++) { // reward grows with the action: the residual is pushed to its bound
            for (int i = 0; i < 16; i++) {
                double sum = 0;
                for (int k = 0; k < in; k++) {
                    b.observations.set(i * in + k, k < spec.observationDim() ? rng.nextGaussian()
                            : rng.nextDouble() - 0.5);
                    b.nextObservations.set(i * in + k, k < spec.observationDim() ? rng.nextGaussian()
                            : rng.nextDouble() - 0.5);
                }
                for (int j = 0; j < spec.actionDim(); j++) {
                    double a = 2 * rng.nextDouble() - 1;
                    b.actions.set(i * spec.actionDim() + j, a);
                    sum += a;
                }
                b.rewards.set(i, sum > 0 ? 1 : 0);
                b.discounts.set(i, 0.0);
            }
            agent.update(b);
        }
        float[] x = new float[in];
        for (int j = 0; j < spec.actionDim(); j++) {
            x[spec.observationDim() + j] = 0.2f; // base action (env units; the box is [-1, 1])
        }
        float[] a = new float[spec.actionDim()];
        agent.act(x, a);
        for (int j = 0; j < a.length; j++) {
            assertTrue(a[j] > 0.25f, "the residual moves toward higher Q: " + a[j]);
            assertTrue(a[j] <= 0.2f + 0.1f + 1e-6f, "|residual| <= scale 0.1: " + a[j]);
        }
        x[spec.observationDim()] = 0.98f;
        agent.act(x, a);
        assertTrue(a[0] <= 1.0f, "clipped to the action box");
    }

    @Test
    void demonstrationsAreRelabelledToTheSparseRewardWithTheBaseActionAtBothEnds() {
        OfflineDataset d = demos("PegInsert-v1", 3, 200);
        EnvSpec spec;
        try (Env env = Envs.make(ENV)) {
            spec = env.spec();
        }
        ExpertPolicy base = ExpertPolicy.of(spec, 0.0, 0);
        ReplayBuffer buf = Demonstrations.relabel(d, spec, base, 40);
        boolean[] success = (boolean[]) d.infos().get("success");
        int obsDim = spec.observationDim();
        float[] x = new float[obsDim + 4];
        float[] xn = new float[obsDim + 4];
        float[] prevNext = null;
        int terminals = 0;
        int expectedTerminals = 0;
        int row = 0;
        for (int e = 0; e < d.trajectories().count(); e++) {
            int first = -1;
            for (int t = d.trajectories().start(e); t < d.trajectories().end(e); t++) {
                if (success[t]) {
                    first = t;
                    break;
                }
            }
            expectedTerminals += first >= 0 ? 1 : 0;
            int kept = first >= 0 ? first - d.trajectories().start(e) + 1 : d.trajectories().length(e);
            base.reset(40 + e);
            for (int k = 0; k < kept; k++, row++) {
                buf.observation(row, x);
                buf.nextObservation(row, xn);
                float[] o = new float[obsDim];
                d.observation(d.trajectories().start(e) + k, o);
                for (int i = 0; i < obsDim; i++) {
                    assertEquals(o[i], x[i]);
                }
                float[] b = base.act(o);
                for (int j = 0; j < 4; j++) {
                    assertEquals(b[j], x[obsDim + j], 1e-6, "base action at the first state");
                }
                if (prevNext != null && k > 0) {
                    assertArrayEquals(prevNext, x, "the next observation carries the next state's base action");
                }
                prevNext = xn.clone();
                boolean last = k == kept - 1;
                assertEquals(last && first >= 0 ? 1.0f : 0.0f, buf.reward(row));
                assertEquals(last && first >= 0, buf.terminated(row));
                assertEquals(last, buf.episodeEnd(row));
                terminals += buf.terminated(row) ? 1 : 0;
            }
        }
        assertEquals(row, buf.size());
        assertEquals(expectedTerminals, terminals);
        assertTrue(expectedTerminals > 0, "the noisy expert succeeds in some episodes");
        // demonstrations of another task, or without success labels, are refused in one line
        OfflineDataset reach = demos("Reach-v1", 1, 20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Demonstrations.relabel(reach, spec, base, 0));
        assertTrue(e.getMessage().contains("recorded on Reach-v1"), e.getMessage());
        OfflineDataset noSuccess = new OfflineDataset(d.observationDim(), d.actionDim(), d.observations(),
                d.actions(), d.rewards(), d.terminals(), d.timeouts(), d.nextObservations(), Map.of(), d.metadata());
        e = assertThrows(IllegalArgumentException.class, () -> Demonstrations.relabel(noSuccess, spec, base, 0));
        assertTrue(e.getMessage().contains("infos/success"), e.getMessage());
    }

    @Test
    void residualRunResumesExactlyWithDemonstrationsInTheBatch(@TempDir Path dir) throws Exception {
        OfflineDataset d = demos("PegInsert-v1", 2, 120);
        Path demoFile = dir.resolve("demos.h5"); // the reader below ignores the file's contents
        Files.writeString(demoFile, "x");
        java.util.function.Function<Path, OfflineDataset> reader = p -> d;
        Trainer a = Trainer.create(tiny(700, "expert:0.2", demoFile), dir.resolve("a"), false, Progress.SILENT, reader);
        a.run();
        Trainer b = Trainer.create(tiny(700, "expert:0.2", demoFile), dir.resolve("b"), false, Progress.SILENT, reader);
        b.run(450);
        Trainer r = Trainer.resume(b.runDir(), Progress.SILENT, reader);
        r.run();
        assertEquals(Files.readAllLines(a.runDir().resolve(Trainer.METRICS)).size(),
                Files.readAllLines(b.runDir().resolve(Trainer.METRICS)).size());
        assertArrayEquals(Files.readAllBytes(a.runDir().resolve("bundle/residual.params")),
                Files.readAllBytes(b.runDir().resolve("bundle/residual.params")), "weights differ after resume");
        assertNotEquals(0, ((ResidualTd3) a.agent()).updates());
    }

    @Test
    void wrongBasesAndConfigsAreRefusedBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
        // a bundle of another task
        Trainer reach = Trainer.create(Configs.resolve(TrainConfig.defaults("td3", "Pendulum-v1", 10, 0), null,
                List.of("learning_starts=5", "eval_interval=0", "eval_episodes=1", "td3.actor_hidden=[8]",
                        "td3.critic_hidden=[8]")), dir.resolve("pend"), false, Progress.SILENT);
        reach.run();
        Path run = dir.resolve("r");
        Exception e = assertThrows(IllegalArgumentException.class, () -> Trainer.create(
                tiny(100, reach.runDir().resolve("bundle").toString(), null), run, false, Progress.SILENT, null));
        assertTrue(e.getMessage().contains("maps 3 -> 1"), e.getMessage());
        assertFalse(Files.exists(run));
        TrainConfig negativeNoise = tiny(100, "expert:-1", null);
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.create(negativeNoise, run, false,
                Progress.SILENT, null));
        assertTrue(e.getMessage().contains("noise std"), e.getMessage());
        assertFalse(Files.exists(run));
        e = assertThrows(IllegalArgumentException.class, () -> Configs.resolve(
                TrainConfig.defaults(TrainConfig.RESIDUAL, ENV, 100, 0), null, List.of()));
        assertTrue(e.getMessage().contains("needs a base policy"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Configs.resolve(
                TrainConfig.defaults(TrainConfig.RESIDUAL, ENV, 100, 0), null,
                List.of("base=expert", "residual.critic_heads=1")));
        assertTrue(e.getMessage().contains("critic_heads"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Configs.resolve(
                TrainConfig.defaults("sac", ENV, 100, 0), null, List.of("base=expert")));
        assertTrue(e.getMessage().contains("belong to residual"), e.getMessage());
        Exception io = assertThrows(java.io.IOException.class, () -> Trainer.create(tiny(100, "expert",
                dir.resolve("missing.h5")), run, false, Progress.SILENT, p -> null));
        assertTrue(io.getMessage().contains("does not exist"), io.getMessage());
        assertFalse(Files.exists(run));
    }

    @Test
    void theBaseIsResetAtEveryEpisodeStart() {
        int[] resets = {0};
        try (Env env = Envs.make(ENV)) {
            EnvSpec spec = env.spec();
            Policy counting = new Policy() {
                @Override
                public float[] act(float[] observation) {
                    return new float[4];
                }

                @Override
                public void reset(long seed) {
                    resets[0]++;
                }

                @Override
                public int observationDim() {
                    return spec.observationDim();
                }

                @Override
                public int actionDim() {
                    return 4;
                }
            };
            BaseActionObservation w = new BaseActionObservation(Envs.make(ENV), counting);
            Reset r = w.reset(1);
            assertEquals(spec.observationDim() + 4, r.observation().length);
            w.reset(2);
            assertEquals(2, resets[0]);
            assertThrows(UnsupportedOperationException.class, w::reset);
            w.close();
        }
    }
}
