package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `armature train` / `eval` / `bench sac` end to end, including wrong input. */
class TrainEvalCommandsTest {

    @Test
    void trainThenEvalThenResumeErrors(@TempDir Path dir) throws Exception {
        CoreCommandsTest.Result r = CoreCommandsTest.run("train", "--algo", "td3", "--env", "Pendulum-v1", "--steps",
                "400", "--seed", "2", "--out", dir.toString(), "--set", "learning_starts=200", "--set",
                "batch_size=16", "--set", "td3.actor_hidden=[8,8]", "--set", "td3.critic_hidden=[8,8]", "--set",
                "eval_interval=0", "--set", "eval_episodes=1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("final eval return"), r.out());
        Path run;
        try (Stream<Path> s = Files.list(dir)) {
            run = s.findFirst().orElseThrow();
        }
        Path bundle = run.resolve("bundle");
        r = CoreCommandsTest.run("eval", "--bundle", bundle.toString(), "--env", "Pendulum-v1", "--episodes", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("success rate"), r.out());
        r = CoreCommandsTest.run("eval", "--bundle", dir.resolve("missing").toString(), "--env", "Pendulum-v1");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: policy bundle directory"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        r = CoreCommandsTest.run("eval", "--bundle", bundle.toString(), "--env", "HalfCheetah-v1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("policy takes observations of 3 values but HalfCheetah-v1 gives 17"), r.err());
        r = CoreCommandsTest.run("train", "--resume", run.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("already finished"), r.err());
        r = CoreCommandsTest.run("train", "--algo", "ppo", "--env", "Pendulum-v1", "--steps", "10");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown --algo 'ppo'"), r.err());
        r = CoreCommandsTest.run("train", "--algo", "sac", "--env", "Pendulum-v1", "--steps", "10", "--set", "nope=1",
                "--out", dir.resolve("x").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown config key 'nope'"), r.err());
        assertTrue(Files.notExists(dir.resolve("x")));
    }

    @Test
    void benchSacRunsSmallSizes() {
        CoreCommandsTest.Result r = CoreCommandsTest.run("bench", "sac", "--obs", "3", "--act", "1", "--hidden", "8",
                "--batch", "4", "--iters", "5", "--warmup", "1", "--only", "update");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("updates/s"), r.out());
    }
}
