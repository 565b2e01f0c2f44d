package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.armature.agents.data.OfflineDataset;
import org.armature.envs.Env;
import org.armature.envs.Envs;
import org.armature.envs.Step;
import org.armature.envs.experts.Experts;
import org.armature.offline.data.D4rlHdf5;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `armature collect --expert-noise ... --success-only`: demonstration datasets of the noisy scripted expert. */
class CollectCommandTest {

    private static final String ENV = "PushT-v1";
    private static final int TRIED = 6;
    private static final String SEED = "100000";

    @TempDir
    Path dir;

    /** What replaying one stored episode (its reset seed, its stored actions) gives. */
    private record Replay(boolean success, boolean sameObservations) {
    }

    private static Replay replay(OfflineDataset d, int episode) {
        int start = d.trajectories().start(episode);
        int length = d.trajectories().length(episode);
        int od = d.observationDim();
        float[] expect = new float[od];
        float[] act = new float[d.actionDim()];
        boolean success = false;
        boolean same = true;
        try (Env env = Envs.make(ENV)) {
            float[] o = env.reset(d.metadata().episodeResetSeeds()[episode]).observation();
            for (int i = start; i < start + length; i++) {
                d.observation(i, expect);
                same &= java.util.Arrays.equals(expect, o);
                d.action(i, act);
                Step s = env.step(act);
                success |= s.success();
                o = s.observation();
            }
        }
        return new Replay(success, same);
    }

    @Test
    void successOnlyKeepsTheSuccessfulEpisodesOfTheNoisyExpertAndRecordsTheCounts() throws Exception {
        Path all = dir.resolve("all.h5");
        Path kept = dir.resolve("kept.h5");
        CoreCommandsTest.Result a = CoreCommandsTest.run("collect", "--env", ENV, "--policy", "expert",
                "--expert-noise", "default", "--episodes", "" + TRIED, "--seed", SEED, "--out", all.toString());
        assertEquals(0, a.code(), a.err());
        CoreCommandsTest.Result k = CoreCommandsTest.run("collect", "--env", ENV, "--policy", "expert",
                "--expert-noise", "default", "--success-only", "--episodes", "" + TRIED, "--seed", SEED, "--out",
                kept.toString());
        assertEquals(0, k.code(), k.err());
        OfflineDataset unfiltered = D4rlHdf5.read(all);
        OfflineDataset d = D4rlHdf5.read(kept);

        // the unfiltered collection: every episode, its success replayed from the stored seed and actions
        assertEquals(TRIED, unfiltered.episodeCount());
        java.util.List<Long> successfulSeeds = new java.util.ArrayList<>();
        for (int e = 0; e < TRIED; e++) {
            Replay r = replay(unfiltered, e);
            assertTrue(r.sameObservations(), "episode " + e + ": the stored actions are the executed ones");
            if (r.success()) {
                successfulSeeds.add(unfiltered.metadata().episodeResetSeeds()[e]);
            }
        }
        int successes = successfulSeeds.size();
        assertTrue(successes > 0 && successes < TRIED, "the seeds must give both outcomes for the filter to show: "
                + successes + " of " + TRIED);

        // the filtered one: exactly the successful episodes, same seeds and data, and the counts in the attributes
        assertEquals(successes, d.episodeCount());
        long[] seeds = d.metadata().episodeResetSeeds();
        assertArrayEquals(successfulSeeds.stream().mapToLong(Long::longValue).toArray(), seeds);
        for (int e = 0; e < d.episodeCount(); e++) {
            Replay r = replay(d, e);
            assertTrue(r.success(), "kept episode " + e + " (seed " + seeds[e] + ") succeeded");
            assertTrue(r.sameObservations(), "kept episode " + e + ": stored actions are the executed ones");
        }
        Map<String, String> x = d.metadata().extra();
        assertEquals("" + TRIED, x.get("episodes_tried"), x.toString());
        assertEquals("" + successes, x.get("episodes_kept"), x.toString());
        assertEquals("" + successes, x.get("episodes_succeeded"), x.toString());
        assertEquals((double) successes / TRIED, Double.parseDouble(x.get("success_rate_tried")), 1e-12);
        assertEquals("true", x.get("success_only"));
        assertEquals(Experts.defaultNoiseStd(ENV), Double.parseDouble(x.get("expert_noise_std")));
        assertEquals("expert", d.metadata().collectionPolicy());
        assertEquals(Long.parseLong(SEED), d.metadata().collectionSeed());
        Map<String, String> ux = unfiltered.metadata().extra();
        assertEquals("" + TRIED, ux.get("episodes_kept"));
        assertEquals(x.get("success_rate_tried"), ux.get("success_rate_tried"));
        assertFalse(ux.containsKey("success_only"));
        assertTrue(k.out().contains(successes + " episodes (the successful ones of " + TRIED + " tried)"), k.out());

        // `dataset info` shows the attributes
        CoreCommandsTest.Result info = CoreCommandsTest.run("dataset", "info", kept.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("episodes_tried") && info.out().contains("episodes_kept")
                && info.out().contains("success_rate_tried") && info.out().contains("expert_noise_std"), info.out());
    }

    @Test
    void expertNoiseIsTheExpertsOwnNoiseAndCombinesWithCollectorNoise() throws Exception {
        Path clean = dir.resolve("clean.h5");
        Path noisy = dir.resolve("noisy.h5");
        Path sigma = dir.resolve("sigma.h5");
        Path both = dir.resolve("both.h5");
        String[] common = {"collect", "--env", "Reach-v1", "--policy", "expert", "--episodes", "1", "--seed", "7"};
        assertEquals(0, run(common, "--out", clean.toString()).code());
        assertEquals(0, run(common, "--out", noisy.toString(), "--expert-noise", "default").code());
        assertEquals(0, run(common, "--out", sigma.toString(), "--expert-noise", "" + Experts.defaultNoiseStd(
                "Reach-v1")).code());
        assertEquals(0, run(common, "--out", both.toString(), "--expert-noise", "default", "--noise", "0.1").code());
        OfflineDataset c = D4rlHdf5.read(clean);
        OfflineDataset n = D4rlHdf5.read(noisy);
        OfflineDataset s = D4rlHdf5.read(sigma);
        OfflineDataset b = D4rlHdf5.read(both);
        assertFalse(java.util.Arrays.equals(c.actions(), n.actions()), "the expert's noise changes the actions");
        assertArrayEquals(n.actions(), s.actions(), "'default' is Experts.defaultNoiseStd");
        assertFalse(java.util.Arrays.equals(n.actions(), b.actions()), "--noise adds on top");
        assertEquals("0.0", c.metadata().extra().get("expert_noise_std"));
        assertEquals("0.3", n.metadata().extra().get("expert_noise_std"));
        assertEquals("0.1", b.metadata().extra().get("collection_noise_std"));
        assertEquals("0.3", b.metadata().extra().get("expert_noise_std"));
    }

    private static CoreCommandsTest.Result run(String[] common, String... more) {
        String[] args = java.util.Arrays.copyOf(common, common.length + more.length);
        System.arraycopy(more, 0, args, common.length, more.length);
        return CoreCommandsTest.run(args);
    }

    @Test
    void wrongInputIsOneLineAndWritesNothing() throws Exception {
        Path out = dir.resolve("x.h5");
        String o = out.toString();
        assertError("--expert-noise applies to --policy expert only", "collect", "--env", ENV, "--policy", "random",
                "--expert-noise", "default", "--episodes", "1", "--out", o);
        assertError("--expert-noise applies to --policy expert only", "collect", "--env", ENV, "--policy", "random",
                "--expert-noise", "0.01", "--episodes", "1", "--out", o);
        assertError("--expert-noise must be a number >= 0 or 'default', got '-1'", "collect", "--env", ENV,
                "--policy", "expert", "--expert-noise", "-1", "--episodes", "1", "--out", o);
        assertError("--expert-noise must be a number >= 0 or 'default', got 'lots'", "collect", "--env", ENV,
                "--policy", "expert", "--expert-noise", "lots", "--episodes", "1", "--out", o);
        assertError("--expert-noise default: no scripted expert for HalfCheetah-v1", "collect", "--env",
                "HalfCheetah-v1", "--policy", "expert", "--expert-noise", "default", "--episodes", "1", "--out", o);
        assertError("no scripted expert for HalfCheetah-v1", "collect", "--env", "HalfCheetah-v1", "--policy",
                "expert", "--expert-noise", "0.1", "--episodes", "1", "--out", o);
        assertError("--success-only: Pendulum-v1 does not define success", "collect", "--env", "Pendulum-v1",
                "--policy", "random", "--success-only", "--episodes", "1", "--out", o);
        // no episode succeeds: an error, no file
        assertError("--success-only: none of the 2 episodes succeeded; nothing written", "collect", "--env", ENV,
                "--policy", "random", "--success-only", "--episodes", "2", "--out", o);
        assertError("takes no", "collect", "--replay", dir.toString(), "--success-only", "--out", o);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "nothing written, not even a temporary file");
        }
    }

    private static void assertError(String expected, String... args) {
        CoreCommandsTest.Result r = CoreCommandsTest.run(args);
        assertEquals(1, r.code(), String.join(" ", args) + "\n" + r.err());
        // stderr: the progress bar's lines (when episodes ran), then one error line and nothing else
        java.util.List<String> lines = r.err().strip().lines()
                .filter(l -> !l.matches("collect \\S+: \\d+/\\d+ .*")).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains(expected), r.err());
    }
}
