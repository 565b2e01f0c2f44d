package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.armature.agents.data.OfflineDataset;
import org.armature.offline.algo.OfflineConfig;
import org.armature.offline.algo.OfflineTraining;
import org.armature.offline.data.D4rlHdf5;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineCommandsTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void collectInfoMixCorruptMetricsEndToEnd() throws Exception {
        Path random = dir.resolve("random.h5");
        Run c = run("collect", "--env", "Pendulum-v1", "--policy", "random", "--episodes", "6", "--out",
                random.toString(), "--seed", "3");
        assertEquals(0, c.exit, c.err);
        assertTrue(c.out.contains("6 episodes, 1200 transitions"), c.out);
        OfflineDataset d = D4rlHdf5.read(random);
        assertEquals("Pendulum-v1", d.metadata().envId());
        assertEquals("random", d.metadata().collectionPolicy());

        Path noisy = dir.resolve("noisy.h5");
        assertEquals(0, run("collect", "--env", "Pendulum-v1", "--policy", "random", "--episodes", "2", "--out",
                noisy.toString(), "--seed", "100", "--noise", "0.1").exit);

        Run info = run("dataset", "info", random.toString());
        assertEquals(0, info.exit, info.err);
        assertTrue(info.out.contains("episodes           6") && info.out.contains("positive-sided variance"),
                info.out);

        Path mixed = dir.resolve("mixed.h5");
        Run mix = run("dataset", "mix", noisy + ":0.25", random + ":0.75", "--out", mixed.toString());
        assertEquals(0, mix.exit, mix.err);
        assertEquals(8, D4rlHdf5.read(mixed).episodeCount());

        Path corrupt = dir.resolve("c.h5");
        Run cor = run("dataset", "corrupt", random.toString(), "--kind", "rewards", "--ratio", "0.3", "--out",
                corrupt.toString());
        assertEquals(0, cor.exit, cor.err);
        assertEquals(360, countTrue((boolean[]) D4rlHdf5.read(corrupt).infos().get("corrupted")));

        Run met = run("dataset", "metrics", random.toString(), "--env", "Pendulum-v1", "--reference",
                mixed.toString(), "--random-return", "-1200", "--expert-return", "-150");
        assertEquals(0, met.exit, met.err);
        assertTrue(met.out.contains("TQ") && met.out.contains("SACo"), met.out);
    }

    @Test
    void pendulumSuiteBuildsAllDatasetsWithTheRightExpertShares() {
        Path out = dir.resolve("suite");
        Run r = run("datasets", "build", "--suite", "pendulum", "--out", out.toString());
        assertEquals(0, r.exit, r.err);
        for (String n : new String[]{"random", "medium", "expert", "medium-expert", "mixed-1pct", "mixed-5pct",
                "mixed-10pct"}) {
            assertTrue(Files.exists(out.resolve("pendulum-v1-" + n + ".h5")), n);
        }
        OfflineDataset mixed = D4rlHdf5.read(out.resolve("pendulum-v1-mixed-5pct.h5"));
        assertEquals(200, mixed.episodeCount());
        assertTrue(mixed.metadata().collectionPolicy().contains("expert[expert]:10"),
                mixed.metadata().collectionPolicy());
        OfflineDataset me = D4rlHdf5.read(out.resolve("pendulum-v1-medium-expert.h5"));
        assertEquals(400, me.episodeCount());
        Run bad = run("datasets", "build", "--suite", "atari", "--out", out.toString());
        assertEquals(1, bad.exit);
        assertTrue(bad.err.contains("unknown suite 'atari'"), bad.err);
    }

    @Test
    void offlineTrainingWritesARunDirectoryAndALoadableBundle() throws Exception {
        Path data = dir.resolve("e.h5");
        assertEquals(0, run("collect", "--env", "Pendulum-v1", "--policy", "expert", "--episodes", "3", "--out",
                data.toString()).exit);
        Path runDir = dir.resolve("run");
        Run r = run("offline", "--algo", "bc", "--dataset", data.toString(), "--env", "Pendulum-v1", "--steps", "50",
                "--eval-every", "25", "--eval-episodes", "2", "--hidden", "32", "--run-dir", runDir.toString());
        assertEquals(0, r.exit, r.err);
        assertTrue(r.out.contains("normalised score"), r.out);
        for (String f : new String[]{"config.json", "metrics.csv", "eval.csv", "result.json", "bundle/bundle.json",
                "bundle/actor.params"}) {
            assertTrue(Files.exists(runDir.resolve(f)), f);
        }
        assertEquals(3, Files.readAllLines(runDir.resolve("eval.csv")).size(), "header + 2 evaluations");
        // the bundle is what `--policy DIR` loads everywhere
        Run c = run("collect", "--env", "Pendulum-v1", "--policy", runDir.resolve("bundle").toString(),
                "--episodes", "1", "--out", dir.resolve("b.h5").toString());
        assertEquals(0, c.exit, c.err);
        // `armature eval` on the bundle reproduces the training run's final evaluation (same episode seeds)
        String last = Files.readAllLines(runDir.resolve("eval.csv")).get(2);
        double finalReturn = Double.parseDouble(last.split(",")[2]);
        long evalSeed = org.armature.agents.Seeds.of(0, "evaluation");
        assertTrue(Files.readString(runDir.resolve("config.json")).contains("\"evaluation_seed\" : " + evalSeed));
        Run ev = run("eval", "--bundle", runDir.resolve("bundle").toString(), "--env", "Pendulum-v1", "--episodes",
                "2", "--seed", Long.toString(evalSeed));
        assertEquals(0, ev.exit, ev.err);
        assertTrue(ev.out.contains(String.format("return %.2f", finalReturn)), ev.out + " vs " + finalReturn);
        Run badAlgo = run("offline", "--algo", "dqn", "--dataset", data.toString(), "--env", "Pendulum-v1");
        assertEquals(1, badAlgo.exit);
        assertTrue(badAlgo.err.contains("unknown --algo 'dqn'"), badAlgo.err);
        Run wrongEnv = run("offline", "--algo", "bc", "--dataset", data.toString(), "--env", "Hopper-v1");
        assertEquals(1, wrongEnv.exit);
        assertTrue(wrongEnv.err.contains("observation/action dims"), wrongEnv.err);
    }

    @Test
    void offlineResumeContinuesAnInterruptedRunAndRejectsMisuse() throws Exception {
        Path data = dir.resolve("r.h5");
        assertEquals(0, run("collect", "--env", "Pendulum-v1", "--policy", "random", "--episodes", "2", "--out",
                data.toString()).exit);
        Path runDir = dir.resolve("cut");
        OfflineConfig c = OfflineConfig.of("td3bc", data, "Pendulum-v1", runDir).withSteps(60)
                .withBatchSize(32).withEvaluation(30, 1).withLogEvery(10)
                .withOverrides(java.util.Map.of("hidden", "16")).withCheckpointEvery(20);
        assertThrows(IllegalStateException.class, () -> OfflineTraining.run(c, step -> {
            if (step == 50) {
                throw new IllegalStateException("killed"); // the process dies after the checkpoint at step 40
            }
        }));
        Run r = run("offline", "--resume", runDir.toString());
        assertEquals(0, r.exit, r.err);
        assertTrue(r.out.contains("normalised score"), r.out);
        assertTrue(Files.readString(runDir.resolve("result.json")).contains("\"resumed_from_step\" : 40"));
        assertEquals(3, Files.readAllLines(runDir.resolve("eval.csv")).size(), "header + evaluations at 30 and 60");

        Run again = run("offline", "--resume", runDir.toString());
        assertEquals(1, again.exit);
        assertTrue(again.err.contains("already finished"), again.err);
        Run mixed = run("offline", "--resume", runDir.toString(), "--algo", "bc");
        assertEquals(1, mixed.exit);
        assertTrue(mixed.err.contains("--resume takes the run's own config.json"), mixed.err);
        Run missing = run("offline", "--resume", dir.resolve("nope").toString());
        assertEquals(1, missing.exit);
        assertTrue(missing.err.contains("does not exist"), missing.err);
        Run notARun = run("offline", "--resume", dir.toString());
        assertEquals(1, notARun.exit);
        Run nothing = run("offline", "--env", "Pendulum-v1");
        assertEquals(1, nothing.exit);
        assertTrue(nothing.err.contains("offline needs --algo, --dataset and --env"), nothing.err);
    }

    private static int countTrue(boolean[] b) {
        int k = 0;
        for (boolean x : b) {
            k += x ? 1 : 0;
        }
        return k;
    }

    @Test
    void collectReplayExportsTheTrainingRunsBuffer() throws Exception {
        Path runs = dir.resolve("runs");
        Run t = run("train", "--algo", "sac", "--env", "Pendulum-v1", "--steps", "700", "--seed", "2", "--out",
                runs.toString(), "--set", "learning_starts=300", "--set", "eval_interval=0", "--set", "eval_episodes=1",
                "--set", "save_replay=true", "--set", "sac.actor_hidden=[16,16]", "--set", "sac.critic_hidden=[16,16]");
        assertEquals(0, t.exit, t.err);
        Path runDir;
        try (var l = Files.list(runs)) {
            runDir = l.findFirst().orElseThrow();
        }
        assertTrue(Files.exists(runDir.resolve("replay.bin")));
        Path all = dir.resolve("replay.h5");
        Run r = run("collect", "--replay", runDir.toString(), "--out", all.toString());
        assertEquals(0, r.exit, r.err);
        OfflineDataset d = D4rlHdf5.read(all);
        assertEquals(700, d.size());
        assertEquals(4, d.episodeCount()); // 3 full 200-step episodes + the unfinished one, closed by a time-out
        assertTrue(d.hasNextObservations());
        assertTrue(d.timeouts()[699]);
        assertEquals("Pendulum-v1", d.metadata().envId());
        Path first = dir.resolve("first.h5");
        assertEquals(0, run("collect", "--replay", runDir.toString(), "--until-step", "400", "--out",
                first.toString()).exit);
        OfflineDataset f = D4rlHdf5.read(first);
        assertEquals(400, f.size());
        assertArrayEquals(java.util.Arrays.copyOf(d.rewards(), 400), f.rewards());
        Run bad = run("collect", "--replay", dir.toString(), "--out", dir.resolve("bad.h5").toString());
        assertEquals(1, bad.exit);
        assertTrue(bad.err.startsWith("error: ") && bad.err.contains("not a training run directory"), bad.err);
        assertFalse(Files.exists(dir.resolve("bad.h5")));
    }

    @Test
    void behaviourPoliciesArePickedFromARunAndMediumReplayReproducesItsBuffer() throws Exception {
        Path runs = dir.resolve("runs");
        Run t = run("train", "--algo", "sac", "--env", "Pendulum-v1", "--steps", "1200", "--seed", "4", "--out",
                runs.toString(), "--set", "learning_starts=200", "--set", "eval_interval=300", "--set", "eval_episodes=2",
                "--set", "save_eval_bundles=true", "--set", "save_replay=true", "--set", "sac.actor_hidden=[16,16]",
                "--set", "sac.critic_hidden=[16,16]");
        assertEquals(0, t.exit, t.err);
        Path runDir;
        try (var l = Files.list(runs)) {
            runDir = l.findFirst().orElseThrow();
        }
        Path out = dir.resolve("suite-policies");
        Run b = run("datasets", "behaviour", "--from-run", runDir.toString(), "--out", out.toString());
        assertEquals(0, b.exit, b.err);
        Path env = out.resolve("Pendulum-v1");
        for (String f : new String[]{"behaviour.json", "medium/bundle.json", "expert/bundle.json"}) {
            assertTrue(Files.exists(env.resolve(f)), f);
        }
        long mediumStep = org.armature.offline.collect.BehaviourPolicies.mediumStep(env);
        assertTrue(mediumStep % 300 == 0 && mediumStep >= 300, "medium step " + mediumStep);
        // re-running the behaviour config to the medium step rebuilds exactly the run's first transitions
        OfflineDataset replay = D4rlHdf5.read(exportReplay(runDir));
        OfflineDataset mr = org.armature.offline.collect.BehaviourPolicies.mediumReplay(env,
                org.armature.train.Progress.SILENT);
        assertEquals(mediumStep, mr.size());
        assertArrayEquals(java.util.Arrays.copyOf(replay.rewards(), (int) mediumStep), mr.rewards());
        assertArrayEquals(java.util.Arrays.copyOf(replay.actions(), (int) mediumStep), mr.actions());
    }

    private Path exportReplay(Path runDir) {
        Path f = dir.resolve("full-replay.h5");
        assertEquals(0, run("collect", "--replay", runDir.toString(), "--out", f.toString()).exit);
        return f;
    }

    @Test
    void userErrorsAreOneLineAndLeaveNoFiles() throws Exception {
        Run r = run("collect", "--env", "Nope-v0", "--policy", "random", "--episodes", "1", "--out",
                dir.resolve("x.h5").toString());
        assertEquals(1, r.exit);
        assertTrue(r.err.startsWith("error: unknown environment id 'Nope-v0'"), r.err);
        Run p = run("collect", "--env", "Pendulum-v1", "--policy", "nonsense", "--episodes", "1", "--out",
                dir.resolve("x.h5").toString());
        assertEquals(1, p.exit);
        assertTrue(p.err.contains("--policy") && p.err.contains("nonsense"), p.err);
        Files.writeString(dir.resolve("bad.h5"), "not hdf5");
        Run bad = run("dataset", "info", dir.resolve("bad.h5").toString());
        assertEquals(1, bad.exit);
        assertTrue(bad.err.startsWith("error: cannot read") && bad.err.lines().count() == 1, bad.err);
        Run mix = run("dataset", "mix", "a.h5", "--out", dir.resolve("m.h5").toString());
        assertEquals(1, mix.exit);
        assertTrue(mix.err.contains("FILE:FRACTION"), mix.err);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "only bad.h5: nothing half-written");
        }
        assertFalse(Files.exists(dir.resolve("x.h5")));
    }
    @Test
    void mixAndCorruptRefuseToOverwriteOneOfTheirInputs() throws Exception {
        Path a = dir.resolve("a.h5");
        assertEquals(0, run("collect", "--env", "Pendulum-v1", "--policy", "random", "--episodes", "2", "--out",
                a.toString(), "--seed", "1").exit);
        byte[] before = Files.readAllBytes(a);
        Path sameFile = dir.resolve("sub/../a.h5"); // another spelling of a.h5
        Files.createDirectories(dir.resolve("sub"));
        Run mix = run("dataset", "mix", a + ":0.5", a + ":0.5", "--out", sameFile.toString());
        assertEquals(1, mix.exit);
        assertTrue(mix.err.startsWith("error: --out") && mix.err.contains("is an input")
                && mix.err.lines().count() == 1, mix.err);
        Path link = Files.createSymbolicLink(dir.resolve("link.h5"), a);
        Run cor = run("dataset", "corrupt", link.toString(), "--kind", "rewards", "--out", a.toString());
        assertEquals(1, cor.exit);
        assertTrue(cor.err.startsWith("error: --out") && cor.err.lines().count() == 1, cor.err);
        assertArrayEquals(before, Files.readAllBytes(a), "the source dataset is untouched");
    }
}
