package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.armature.agents.NoiseSpacePolicy;
import org.armature.agents.Policy;
import org.armature.agents.ResidualPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `armature residual` and `armature dsrl` end to end on a tiny diffusion base (run directory, composite bundle that
 * `eval` runs as one policy, resume) and their wrong input. Learning is measured in BENCHMARKS.md.
 */
class ResidualDsrlCommandTest {

    @TempDir
    static Path dir;

    static Path demos;
    static Path base;

    @BeforeAll
    static void demonstrationsAndABase() {
        demos = dir.resolve("pusht-demos.h5");
        CoreCommandsTest.Result c = CoreCommandsTest.run("collect", "--env", "PushT-v1", "--policy", "expert",
                "--expert-noise", "default", "--episodes", "2", "--seed", "100000", "--out", demos.toString());
        assertEquals(0, c.code(), c.err());
        Path run = dir.resolve("bc");
        CoreCommandsTest.Result b = CoreCommandsTest.run("bc", "--policy", "diffusion", "--dataset", demos.toString(),
                "--env", "PushT-v1", "--run-dir", run.toString(), "--steps", "20", "--eval-every", "20",
                "--eval-episodes", "1", "--set", "hidden=16", "--set", "blocks=1", "--set", "inference_steps=2");
        assertEquals(0, b.code(), b.err());
        base = run.resolve("bundle");
    }

    private static final String[] SMALL_RESIDUAL = {"--set", "learning_starts=40", "--set", "batch_size=16",
            "--set", "eval_interval=80", "--set", "eval_episodes=1", "--set", "residual.actor_hidden=[16]",
            "--set", "residual.critic_hidden=[16]", "--set", "residual.critic_warmup_updates=10",
            "--set", "checkpoint_interval=50"};

    @Test
    void residualTrainsOnTheBaseWithDemonstrationsAndItsBundleEvaluatesAsOnePolicy() throws Exception {
        Path run = dir.resolve("residual");
        String[] args = concat(new String[]{"residual", "--base", base.toString(), "--env", "PushTSparse-v1",
                "--steps", "160", "--demos", demos.toString(), "--seed", "3", "--run-dir", run.toString()},
                SMALL_RESIDUAL);
        CoreCommandsTest.Result r = CoreCommandsTest.run(args);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("success rate"), r.out());
        assertTrue(Files.isRegularFile(run.resolve("base/bundle.json")), "the run keeps its base");
        assertTrue(Policy.load(run.resolve("bundle")) instanceof ResidualPolicy);
        CoreCommandsTest.Result e = CoreCommandsTest.run("eval", "--bundle", run.resolve("bundle").toString(), "--env",
                "PushTSparse-v1", "--episodes", "2", "--seed", "5000");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("success rate"), e.out());
    }

    @Test
    void dsrlTrainsInTheBaseNoiseSpaceAndItsBundleEvaluatesAsOnePolicy() throws Exception {
        Path run = dir.resolve("dsrl");
        CoreCommandsTest.Result r = CoreCommandsTest.run("dsrl", "--base", base.toString(), "--env", "PushTSparse-v1",
                "--steps", "160", "--seed", "3", "--run-dir", run.toString(), "--set", "learning_starts=64",
                "--set", "batch_size=16", "--set", "updates_per_step=2", "--set", "eval_interval=80",
                "--set", "eval_episodes=1", "--set", "sac.actor_hidden=[16]", "--set", "sac.critic_hidden=[16]");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("done: 160 env steps"), r.out());
        assertTrue(Policy.load(run.resolve("bundle")) instanceof NoiseSpacePolicy);
        CoreCommandsTest.Result e = CoreCommandsTest.run("eval", "--bundle", run.resolve("bundle").toString(), "--env",
                "PushTSparse-v1", "--episodes", "1", "--seed", "5000");
        assertEquals(0, e.code(), e.err());
    }

    @Test
    void wrongInputGetsOneErrorLineAndLeavesNothingBehind() throws Exception {
        Path runs = dir.resolve("wrong");
        // a base whose spaces do not match the env
        CoreCommandsTest.Result r = CoreCommandsTest.run("residual", "--base", base.toString(), "--env",
                "PegInsertSparse-v1", "--steps", "100", "--out", runs.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("maps 23 -> 2 values, PegInsertSparse-v1 has observations of 11"), r.err());
        // a base that does not sample from noise, for DSRL
        r = CoreCommandsTest.run("dsrl", "--base", "expert", "--env", "PushTSparse-v1", "--steps", "100", "--out",
                runs.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("a scripted expert has none"), r.err());
        // demonstrations of another task
        Path peg = dir.resolve("peg-demos.h5");
        assertEquals(0, CoreCommandsTest.run("collect", "--env", "PegInsert-v1", "--policy", "expert", "--episodes",
                "1", "--seed", "1", "--out", peg.toString()).code());
        r = CoreCommandsTest.run("residual", "--base", base.toString(), "--env", "PushTSparse-v1", "--steps", "100",
                "--demos", peg.toString(), "--out", runs.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("recorded on PegInsert-v1, not on the task of PushTSparse-v1"), r.err());
        // a dense task with the sparse-reward target clip
        r = CoreCommandsTest.run("residual", "--base", "expert", "--env", "PushT-v1", "--steps", "100", "--out",
                runs.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("q_target_clip"), r.err());
        r = CoreCommandsTest.run("residual", "--env", "PushTSparse-v1", "--steps", "100");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("needs --base"), r.err());
        assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("error:")).count(), r.err());
        assertFalse(Files.exists(runs) && Files.list(runs).findAny().isPresent(), "nothing half-written");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
