package org.armature.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.armature.agents.BundlePolicy;
import org.armature.agents.Policy;
import org.armature.agents.PolicyBundles;
import org.armature.nn.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    private static TrainConfig tiny(String algo, long steps) throws Exception {
        return Configs.resolve(TrainConfig.defaults(algo, "Pendulum-v1", steps, 3), null, List.of(
                "learning_starts=200", "batch_size=32", "eval_interval=400", "eval_episodes=2",
                "checkpoint_interval=400", algo + ".actor_hidden=[16,16]", algo + ".critic_hidden=[16,16]"));
    }

    /** metrics.csv without the wall-clock columns. */
    private static List<String> deterministicMetrics(Path run) throws Exception {
        List<String> lines = Files.readAllLines(run.resolve(Trainer.METRICS));
        String[] header = lines.get(0).split(",", -1);
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.split(",", -1);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < f.length; i++) {
                if (!header[i].equals("wall_seconds") && !header[i].equals("updates_per_second")) {
                    sb.append(f[i]).append(',');
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void resumeFromCheckpointMatchesAnUninterruptedRun(@TempDir Path dir) throws Exception {
        for (String algo : new String[]{"sac", "td3"}) {
            Path runsA = dir.resolve(algo + "-a");
            Path runsB = dir.resolve(algo + "-b");
            Trainer a = Trainer.create(tiny(algo, 1200), runsA, Progress.SILENT);
            a.run();
            Trainer b = Trainer.create(tiny(algo, 1200), runsB, Progress.SILENT);
            Trainer.Result partial = b.run(700);                // "crash" at step 700 (checkpoint at 400)
            assertEquals(700, partial.envSteps());
            assertTrue(Files.exists(b.runDir().resolve(Trainer.CHECKPOINT)));
            assertTrue(Files.notExists(b.runDir().resolve(Trainer.BUNDLE)));
            Trainer resumed = Trainer.resume(b.runDir(), Progress.SILENT);
            resumed.run();
            assertEquals(deterministicMetrics(a.runDir()), deterministicMetrics(b.runDir()), algo + " metrics differ");
            assertArrayEquals(Files.readAllBytes(a.runDir().resolve("bundle/actor.params")),
                    Files.readAllBytes(b.runDir().resolve("bundle/actor.params")), algo + " weights differ");
        }
    }

    /** Calls {@link StopRequest#request()} once the loop reports {@code atStep} (as Ctrl-C would). */
    private static Progress stopAt(long atStep) {
        return new Progress() {
            @Override
            public void start(String label, long total, long initial) {
            }

            @Override
            public void update(long step, double stepsPerSecond, double latestEval) {
                if (step >= atStep) {
                    StopRequest.request();
                }
            }

            @Override
            public void message(String text) {
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void anOperatorStopMidEpisodeWritesACheckpointAndTheBundleAndResumeFinishesTheRun(@TempDir Path dir)
            throws Exception {
        try {
            Trainer cut = Trainer.create(tiny("sac", 1000), dir.resolve("cut"), false, stopAt(640));
            Trainer.Result r = cut.run();
            assertTrue(r.interrupted());
            assertEquals(640, r.envSteps(), "the step in progress finishes, then the loop stops");
            assertTrue(Files.exists(cut.runDir().resolve(Trainer.CHECKPOINT)), "checkpoint written at the stop");
            assertTrue(Files.exists(cut.runDir().resolve("bundle/actor.params")), "bundle of the current policy");
            assertTrue(Files.notExists(cut.runDir().resolve(RunDirectory.RESULT)), "the run is not finished");
            StopRequest.clear();
            // 640 is inside an episode (200 steps each): the resume starts a fresh episode and finishes the run
            Trainer.Result done = Trainer.resume(cut.runDir(), Progress.SILENT).run();
            assertFalse(done.interrupted());
            assertEquals(1000, done.envSteps());
            assertTrue(Files.exists(cut.runDir().resolve(RunDirectory.RESULT)));
        } finally {
            StopRequest.clear();
        }
    }

    @Test
    void emptyOrTruncatedCheckpointsAreNamedAndARunNeverOverwritesAnother(@TempDir Path dir) throws Exception {
        Trainer b = Trainer.create(tiny("td3", 1200), dir.resolve("runs"), Progress.SILENT);
        b.run(700);
        Path ckpt = b.runDir().resolve(Trainer.CHECKPOINT);
        byte[] whole = Files.readAllBytes(ckpt);
        Files.write(ckpt, java.util.Arrays.copyOf(whole, whole.length / 2));
        IOException e = assertThrows(IOException.class, () -> Trainer.resume(b.runDir(), Progress.SILENT));
        assertTrue(e.getMessage().contains(ckpt.toString()) && e.getMessage().contains("is truncated"),
                e.getMessage());
        Files.write(ckpt, new byte[0]);
        e = assertThrows(IOException.class, () -> Trainer.resume(b.runDir(), Progress.SILENT));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
        // a run directory written before the one learner stack (checkpoint format v1) is refused by name
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(Files.newOutputStream(ckpt))) {
            out.writeUTF("armature-checkpoint-v1");
            out.writeLong(700);
        }
        e = assertThrows(IOException.class, () -> Trainer.resume(b.runDir(), Progress.SILENT));
        assertTrue(e.getMessage().contains("another Armature version ('armature-checkpoint-v1'")
                && e.getMessage().contains("cannot be resumed"), e.getMessage());
        // the other loop's checkpoint (same layout, written by `armature offline`) is refused by name
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(Files.newOutputStream(ckpt))) {
            out.writeUTF(RunDirectory.CHECKPOINT_MAGIC);
            out.writeUTF("offline");
            out.writeLong(700);
        }
        e = assertThrows(IOException.class, () -> Trainer.resume(b.runDir(), Progress.SILENT));
        assertTrue(e.getMessage().contains("is a checkpoint of `armature offline`, not of `armature train`"),
                e.getMessage());
        // a new run into that directory is refused (it holds a run to --resume), its files untouched
        e = assertThrows(IOException.class, () -> Trainer.create(tiny("td3", 400), b.runDir(), false,
                Progress.SILENT));
        assertTrue(e.getMessage().contains("already holds a run") && e.getMessage().contains("--overwrite"),
                e.getMessage());
        assertTrue(Files.exists(ckpt));
        // default names never collide: a second run of the same config gets its own directory
        Trainer again = Trainer.create(tiny("td3", 1200), dir.resolve("runs"), Progress.SILENT);
        assertFalse(again.runDir().equals(b.runDir()));
        // --overwrite replaces it
        Trainer replaced = Trainer.create(tiny("td3", 400), b.runDir(), true, Progress.SILENT);
        assertTrue(Files.notExists(ckpt));
        replaced.run();
        assertTrue(Files.exists(b.runDir().resolve(RunDirectory.RESULT)));
    }

    @Test
    void configValuesThatCannotWorkAreRefusedBeforeAnythingIsAllocated() {
        for (String[] bad : new String[][]{{"sac.gamma=5", "sac.gamma"}, {"td3.tau=0", "td3.tau"},
                {"sac.actor_hidden=[100000,100000]", "widths must be in"},
                {"sac.critic_hidden=[60000,60000]", "weights, more than"}, {"sac.q_lr=-1", "sac.q_lr"}}) {
            String algo = bad[0].substring(0, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Configs.resolve(
                    TrainConfig.defaults(algo, "Pendulum-v1", 100, 0), null, List.of(bad[0])));
            assertTrue(e.getMessage().contains(bad[1]), bad[0] + ": " + e.getMessage());
        }
    }

    @Test
    void runDirectoryContentsAndBundleRoundTrip(@TempDir Path dir) throws Exception {
        Trainer t = Trainer.create(tiny("sac", 400), dir, Progress.SILENT);
        t.run();
        Path run = t.runDir();
        assertTrue(run.getFileName().toString().matches("\\d{8}-\\d{6}-sac-Pendulum-v1-3"), run.toString());
        for (String f : new String[]{"config.json", "versions.json", "metrics.csv", "bundle/bundle.json",
                "bundle/actor.params"}) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        List<String> lines = Files.readAllLines(run.resolve(Trainer.METRICS));
        assertTrue(lines.get(0).startsWith("env_steps,wall_seconds,episode_return,episode_length,eval_return_mean,"
                + "eval_return_std,eval_success_rate,"), lines.get(0));
        assertTrue(lines.get(0).endsWith("updates_per_second"));
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("400,"), last);
        // resolved config round-trips
        TrainConfig back = Configs.JSON.readValue(run.resolve("config.json").toFile(), TrainConfig.class);
        assertEquals(32, back.batchSize());
        // the bundle loads without training code and acts exactly like the trained agent
        Policy p = Policy.load(run.resolve("bundle"));
        BundlePolicy bp = (BundlePolicy) p;
        assertEquals("sac", bp.spec().provenance().algo());
        assertEquals(400L, bp.spec().provenance().envSteps());
        assertEquals(0.05, bp.spec().controlDtSeconds(), 1e-12);
        Rng rng = new Rng(1);
        float[] mine = new float[1];
        for (int i = 0; i < 20; i++) {
            float[] o = {(float) rng.nextGaussian(), (float) rng.nextGaussian(), (float) rng.nextGaussian()};
            t.agent().act(o, mine);
            assertArrayEquals(mine, p.act(o));
            float s = p.sample(o)[0];
            assertTrue(s >= -2 && s <= 2);
        }
        Evaluation.Result r = Evaluation.run(p, "Pendulum-v1", 2, 0);
        assertEquals(200.0, r.meanLength(), 1e-9);
    }

    @Test
    void badInputsGiveClearErrors(@TempDir Path dir) throws Exception {
        Exception e = assertThrows(java.io.IOException.class, () -> Policy.load(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        e = assertThrows(java.io.IOException.class, () -> Policy.load(dir));
        assertTrue(e.getMessage().contains("bundle.json is missing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Configs.resolve(
                TrainConfig.defaults("sac", "Pendulum-v1", 10, 1), null, List.of("sac.polcy_lr=1")));
        assertTrue(e.getMessage().contains("unknown config key 'sac.polcy_lr'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Configs.resolve(
                TrainConfig.defaults("sac", "Pendulum-v1", 10, 1), null, List.of("batch_size=0")));
        assertTrue(e.getMessage().contains("batch_size must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.create(
                TrainConfig.defaults("sac", "Pendulm-v1", 10, 1), dir.resolve("runs"), Progress.SILENT));
        assertTrue(e.getMessage().contains("unknown environment id"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("runs")), "nothing written for a bad env id");
        e = assertThrows(java.io.IOException.class, () -> Trainer.resume(dir, Progress.SILENT));
        assertTrue(e.getMessage().contains("config.json is missing"), e.getMessage());
        // a bundle whose observation size does not match the env
        Trainer t = Trainer.create(tiny("td3", 200), dir.resolve("r"), Progress.SILENT);
        t.run();
        Path bundle = t.runDir().resolve("bundle");
        PolicyBundles.Spec s = PolicyBundles.readSpec(bundle);
        assertEquals(PolicyBundles.DETERMINISTIC_TANH, s.policy().type());
        String json = Files.readString(bundle.resolve("bundle.json"));
        Files.writeString(bundle.resolve("bundle.json"), json.replace("\"in\" : 3", "\"in\" : 4"));
        e = assertThrows(java.io.IOException.class, () -> Policy.load(bundle));
        assertTrue(e.getMessage().contains("weights do not match"), e.getMessage());
    }

    @Test
    void vectorEnvRunTrainsAndWritesABundle(@TempDir Path dir) throws Exception {
        TrainConfig cfg = Configs.resolve(tiny("sac", 800), null, List.of("num_envs=2", "checkpoint_interval=0"));
        Trainer t = Trainer.create(cfg, dir, Progress.SILENT);
        Trainer.Result r = t.run();
        assertEquals(800, r.envSteps());
        assertEquals(800 - 200, r.updates(), 2); // one update per env step, as with one env
        List<String> lines = Files.readAllLines(r.runDir().resolve(Trainer.METRICS));
        long episodes = lines.stream().skip(1).filter(l -> !l.split(",", -1)[2].isEmpty()).count();
        assertEquals(4, episodes); // 2 envs x 400 steps / 200-step episodes
        assertTrue(Files.isRegularFile(r.runDir().resolve("bundle/bundle.json")));
        Exception e = assertThrows(java.io.IOException.class, () -> Trainer.resume(r.runDir(), Progress.SILENT));
        assertTrue(e.getMessage().contains("already finished"), e.getMessage());
    }

    @Test
    void vectorEnvRunCheckpointsAndResumes(@TempDir Path dir) throws Exception {
        TrainConfig cfg = Configs.resolve(tiny("sac", 800), null, List.of("num_envs=2", "checkpoint_interval=300",
                "n_step=3"));
        Trainer t = Trainer.create(cfg, dir, Progress.SILENT);
        Trainer.Result partial = t.run(500);                       // "crash" at step 500 (checkpoint at 300)
        assertEquals(500, partial.envSteps());
        assertTrue(Files.exists(t.runDir().resolve(Trainer.CHECKPOINT)));
        Trainer resumed = Trainer.resume(t.runDir(), Progress.SILENT);
        assertEquals(300, resumed.replayBuffer().totalAdded());
        // the two envs' unfinished episodes were closed, so n-step returns do not run into the fresh episodes
        assertTrue(resumed.replayBuffer().episodeEnd(298) && resumed.replayBuffer().episodeEnd(299));
        assertFalse(resumed.replayBuffer().terminated(299));
        Trainer.Result r = resumed.run();
        assertEquals(800, r.envSteps());
        assertEquals(800 - 200, r.updates(), 2);
        assertTrue(Files.isRegularFile(r.runDir().resolve("bundle/bundle.json")));
        List<String> lines = Files.readAllLines(r.runDir().resolve(Trainer.METRICS));
        assertTrue(lines.size() > 2, "metrics rows after resume");
    }

    @Test
    void updateToDataRatioAndNStepAreHonoured(@TempDir Path dir) throws Exception {
        TrainConfig cfg = Configs.resolve(tiny("sac", 400), null, List.of("updates_per_step=3", "n_step=3"));
        Trainer.Result r = Trainer.create(cfg, dir, Progress.SILENT).run();
        assertEquals(3 * (400 - 200), r.updates());
        assertTrue(Double.isFinite(r.finalEvalMean()));
    }

    @Test
    void unboundedSpacesRoundTripThroughBundleJson(@TempDir Path dir) throws Exception {
        PolicyBundles.Spec s = new PolicyBundles.Spec(PolicyBundles.FORMAT, 1,
                new PolicyBundles.Network(PolicyBundles.DETERMINISTIC_TANH, List.of(), "w.params"),
                new PolicyBundles.Space(new float[]{Float.NEGATIVE_INFINITY}, new float[]{Float.POSITIVE_INFINITY}),
                new PolicyBundles.Space(new float[]{-1}, new float[]{1}), null, 0.02, 1, null);
        PolicyBundles.writeSpec(dir, s);
        PolicyBundles.Spec back = PolicyBundles.readSpec(dir);
        assertEquals(Float.NEGATIVE_INFINITY, back.observationSpace().low()[0]);
        assertEquals(Float.POSITIVE_INFINITY, back.observationSpace().high()[0]);
    }

    @Test
    void affineLogStdRoundTripsAndIsValidated(@TempDir Path dir) throws Exception {
        PolicyBundles.Space box = new PolicyBundles.Space(new float[]{-1}, new float[]{1});
        PolicyBundles.Spec s = new PolicyBundles.Spec(PolicyBundles.FORMAT, 1,
                new PolicyBundles.Network(PolicyBundles.SQUASHED_GAUSSIAN, List.of(), "w.params",
                        new PolicyBundles.AffineLogStd(1.25, -0.5, -20, 2)), box, box, null, 0.02, 1, null);
        PolicyBundles.writeSpec(dir, s);
        assertEquals(new PolicyBundles.AffineLogStd(1.25, -0.5, -20, 2), PolicyBundles.readSpec(dir).policy().logStd());
        // absent for the bounded map (older bundles read unchanged)
        PolicyBundles.writeSpec(dir, new PolicyBundles.Spec(PolicyBundles.FORMAT, 1,
                new PolicyBundles.Network(PolicyBundles.SQUASHED_GAUSSIAN, List.of(), "w.params"), box, box, null, 0.02,
                1, null));
        assertFalse(Files.readString(dir.resolve(PolicyBundles.FILE)).contains("logStd"));
        for (PolicyBundles.Network bad : List.of(
                new PolicyBundles.Network(PolicyBundles.SQUASHED_GAUSSIAN, List.of(), "w.params",
                        new PolicyBundles.AffineLogStd(1, -1, 2, -20)),
                new PolicyBundles.Network(PolicyBundles.DETERMINISTIC_TANH, List.of(), "w.params",
                        new PolicyBundles.AffineLogStd(1, -1, -20, 2)))) {
            PolicyBundles.writeSpec(dir, new PolicyBundles.Spec(PolicyBundles.FORMAT, 1, bad, box, box, null, 0.02, 1,
                    null));
            IOException e = assertThrows(IOException.class, () -> PolicyBundles.readSpec(dir));
            assertTrue(e.getMessage().contains("'policy.logStd' needs"), e.getMessage());
        }
    }
}
