package org.armature.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** Nothing misleading: one-line errors instead of stack traces, honest help and output, task-mismatch warnings. */
class RobustnessTest {

    @TempDir
    Path dir;

    static CoreCommandsTest.Result run(String... args) {
        return CoreCommandsTest.run(args);
    }

    private static void assertOneLineError(CoreCommandsTest.Result r, String start) {
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("error: " + start), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
    }

    @Test
    void plotIntoAFolderThatCannotBeWrittenIsOneLine() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("metrics.csv"), "env_steps,eval_return_mean\n0,-1000\n1000,-500\n");
        Path readOnly = Files.createDirectories(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        Path out = readOnly.resolve("curve.png");
        if (Files.isWritable(readOnly)) { // root ignores permissions; sysfs refuses new files even to root
            assumeTrue(Files.isDirectory(Path.of("/sys/kernel")), "no read-only folder available");
            out = Path.of("/sys/kernel/armature-test-curve.png");
        }
        CoreCommandsTest.Result r = run("plot", run.toString(), "--out", out.toString());
        assertOneLineError(r, "cannot write " + out + ": ");
        assertFalse(Files.exists(out));
    }

    @Test
    void anIoFailureWrappedByALibraryIsOneLineNotAStackTrace() {
        // what jHDF throws when `collect` writes onto a full disk: its own exception around the IOException
        Exception full = new io.jhdf.exceptions.HdfWritingException("Failed to write superblock",
                new IOException("No space left on device"));
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setErr(new PrintWriter(err));
        assertEquals(1, new Errors.Handler().handleExecutionException(full, cl, null));
        assertEquals("error: Failed to write superblock: No space left on device", err.toString().strip());
    }

    @Test
    void renderRejectsSizesBeyondTheRendererNamingTheLimit() {
        CoreCommandsTest.Result r = run("render", "--env", "Pendulum-v1", "--size", "16384x16384", "--out",
                dir.resolve("frames").toString());
        assertOneLineError(r, "image size 16384x16384 is beyond what the renderer supports");
        assertTrue(r.err().contains("8192x8192"), r.err());
        assertFalse(Files.exists(dir.resolve("frames")));
    }

    @Test
    void topLevelHelpShowsWholeSentencesAndNoHelpPrintsAPicocliWarning() {
        CoreCommandsTest.Result top = run("--help");
        assertEquals(0, top.code());
        String train = top.out().lines().filter(l -> l.startsWith("  train ")).findFirst().orElseThrow();
        assertTrue(train.strip().endsWith("Train SAC or TD3."), top.out());
        assertFalse(top.out().contains("config.json,"), top.out());
        for (String[] args : new String[][]{{"datasets", "--help"}, {"datasets", "build", "--help"},
                {"dataset", "--help"}, {"bench", "--help"}, {"train", "--help"}, {"offline", "--help"}}) {
            CoreCommandsTest.Result r = run(args);
            assertEquals(0, r.code(), String.join(" ", args));
            assertFalse((r.out() + r.err()).contains("picocli WARN"), String.join(" ", args) + ": " + r.err());
        }
        assertTrue(run("datasets", "--help").out().contains("mixed 1/5/10% expert"));
    }

    @Test
    void versionIsTheProjectVersionNotDev() {
        CoreCommandsTest.Result r = run("--version");
        assertEquals(0, r.code());
        String first = r.out().lines().findFirst().orElseThrow();
        assertTrue(first.matches("armature \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?( \\(git [0-9a-f]{7,40}(-dirty)?\\))?"), first);
    }

    @Test
    void colourAndProgressBarsOnlyOnATerminalAndNeverWithNoColor() {
        assertTrue(Terminal.isTerminalDevice("/dev/pts/3"));
        assertFalse(Terminal.isTerminalDevice("/tmp/err.log"));
        assertFalse(Terminal.isTerminalDevice("pipe:[12345]"));
        assertTrue(Terminal.allowed(Map.of("TERM", "xterm-256color")));
        assertFalse(Terminal.allowed(Map.of("NO_COLOR", "1")));
        assertTrue(Terminal.allowed(Map.of("NO_COLOR", "")), "no-color.org: an empty NO_COLOR does not count");
        assertFalse(Terminal.allowed(Map.of("TERM", "dumb")));
        // under the test runner stderr is a pipe or file, whatever System.console() says about stdin/stdout
        assertFalse(Terminal.stderr());
    }

    @Test
    void tasksWithoutASuccessNotionShowADashNotZero() {
        CoreCommandsTest.Result pendulum = run("rollout", "--env", "Pendulum-v1", "--policy", "random", "--episodes",
                "1");
        assertEquals(0, pendulum.code(), pendulum.err());
        assertTrue(pendulum.out().contains("success -"), pendulum.out());
        CoreCommandsTest.Result reach = run("rollout", "--env", "Reach-v1", "--policy", "expert", "--episodes", "1");
        assertEquals(0, reach.code(), reach.err());
        assertTrue(reach.out().matches("(?s).*success \\d+\\.\\d%.*"), reach.out());
    }

    @Test
    void aBundleOrDatasetOfAnotherTaskWithTheSameSizesIsAWarningOneOfTheSameFamilyIsNot() throws Exception {
        // Walker2d-v1 and HalfCheetah-v1 both have 17 observations and 6 actions
        CoreCommandsTest.Result t = run("train", "--algo", "td3", "--env", "Walker2d-v1", "--steps", "250", "--seed",
                "1", "--out", dir.resolve("runs").toString(), "--set", "learning_starts=200", "--set", "batch_size=8",
                "--set", "td3.actor_hidden=[8]", "--set", "td3.critic_hidden=[8]", "--set", "eval_interval=0",
                "--set", "eval_episodes=1");
        assertEquals(0, t.code(), t.err());
        Path bundle;
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            bundle = s.findFirst().orElseThrow().resolve("bundle");
        }
        CoreCommandsTest.Result other = run("rollout", "--env", "HalfCheetah-v1", "--policy", bundle.toString(),
                "--episodes", "1");
        assertEquals(0, other.code(), other.err());
        String warning = other.err().lines().filter(l -> l.startsWith("warning: ")).findFirst().orElse("");
        assertTrue(warning.contains("Walker2d-v1") && warning.contains("HalfCheetah-v1"), other.err());
        CoreCommandsTest.Result same = run("rollout", "--env", "Walker2d-v1", "--policy", bundle.toString(),
                "--episodes", "1");
        assertEquals(0, same.code(), same.err());
        assertFalse(same.err().contains("warning"), same.err());

        Path peg = dir.resolve("peg.h5");
        assertEquals(0, run("collect", "--env", "PegInsert-v1", "--policy", "random", "--episodes", "1", "--out",
                peg.toString()).code());
        CoreCommandsTest.Result sparse = run("dataset", "metrics", peg.toString(), "--env", "PegInsertSparse-v1",
                "--random-return", "0", "--expert-return", "1");
        assertEquals(0, sparse.code(), sparse.err());
        assertFalse(sparse.err().contains("warning"), "dense and sparse variants are one task: " + sparse.err());
    }
}
