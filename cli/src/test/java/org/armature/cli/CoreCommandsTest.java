package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The foundation commands, run the way a user runs them, including wrong input. */
class CoreCommandsTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = Main.run(args);
            return new Result(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void envsListsEveryTask() {
        Result r = run("envs");
        assertEquals(0, r.code());
        for (String id : new String[]{"Pendulum-v1", "Hopper-v1", "Walker2d-v1", "HalfCheetah-v1", "Ant-v1"}) {
            assertTrue(r.out().contains(id), id);
        }
    }

    @Test
    void envsCheckPassesAndRejectsUnknownIds() {
        Result ok = run("envs", "check", "Pendulum-v1");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("Pendulum-v1: PASS"));
        Result bad = run("envs", "check", "Hoper-v1");
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("error: unknown environment id 'Hoper-v1'; known ids (closest first): Hopper-v1"),
                bad.err());
        assertEquals(1, bad.err().strip().lines().count(), "one line: " + bad.err());
        Result neither = run("envs", "check");
        assertEquals(1, neither.code());
    }

    @Test
    void rolloutPrintsStatisticsAndRejectsBadNumbers() {
        Result ok = run("rollout", "--env", "Pendulum-v1", "--policy", "random", "--episodes", "2", "--seed", "3");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("episodes 2") && ok.out().contains("return"), ok.out());
        Result again = run("rollout", "--env", "Pendulum-v1", "--policy", "random", "--episodes", "2", "--seed", "3");
        assertEquals(ok.out().replaceAll("\\(.*\\)", ""), again.out().replaceAll("\\(.*\\)", ""),
                "same seed, same numbers");
        Result negative = run("rollout", "--env", "Pendulum-v1", "--episodes", "-1");
        assertEquals(1, negative.code());
        assertTrue(negative.err().contains("--episodes must be positive"));
        Result notANumber = run("rollout", "--env", "Pendulum-v1", "--episodes", "many");
        assertEquals(2, notANumber.code());
        assertTrue(notANumber.err().contains("many"), notANumber.err());
        Result missing = run("rollout", "--env", "Pendulum-v1", "--policy", "/no/such/bundle");
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("error: "), missing.err());
    }

    @Test
    void benchSimRunsBriefly() {
        Result r = run("bench", "sim", "--env", "Pendulum-v1", "--seconds", "0.2", "--warmup", "0", "--num-envs", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Pendulum-v1"));
        assertEquals(1, run("bench", "sim", "--env", "Nope-v9", "--seconds", "0.1").code());
    }

    @Test
    void quickstartWritesItsSummary(@TempDir Path dir) throws Exception {
        Result r = run("quickstart", "--out", dir.toString(), "--episodes", "1", "--expert-episodes", "1",
                "--no-media", "--sac-steps", "0");
        assertEquals(0, r.code(), r.err());
        String summary = Files.readString(dir.resolve("summary.txt"));
        assertTrue(summary.contains("Hopper-v1") && summary.contains("pass"), summary);
    }
}
