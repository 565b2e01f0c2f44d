package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** {@code armature bench residual} at tiny sizes (no PyTorch), and its answers to wrong input. */
class BenchResidualCommandTest {

    private static final String[] TINY = {"bench", "residual", "--obs", "3", "--act", "2", "--hidden", "8,8",
            "--heads", "3", "--batch", "4", "--iters", "5", "--warmup", "1", "--steps", "2000", "--step-warmup", "500"};

    @Test
    void tinySizesPrintUpdateAndStepLinesAndLeaveNoFiles() throws IOException {
        long before = leftoverBundles();
        CoreCommandsTest.Result r = CoreCommandsTest.run(TINY);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("residual update obs 3 act 2 hidden 8,8 heads 3"), r.out());
        assertTrue(r.out().contains("updates/s") && r.out().contains("thread CPU median"), r.out());
        Matcher step = Pattern.compile("residual step batch 1 .*: p50 ([0-9.]+) us, p99 ([0-9.]+) us.*; ([0-9.]+) bytes "
                + "allocated per step \\(2000 steps\\)").matcher(r.out());
        assertTrue(step.find(), r.out());
        assertTrue(Double.parseDouble(step.group(1)) <= Double.parseDouble(step.group(2)), r.out());
        // no object per step (the smallest is 16 bytes); a one-off few hundred bytes while the JIT settles may show
        assertTrue(Double.parseDouble(step.group(3)) < 8, "the deployed residual step allocates nothing: " + r.out());
        assertEquals(before, leftoverBundles(), "the temporary residual bundle is removed");
    }

    @Test
    void wrongInputIsOneErrorLineAndExitOne() {
        String[][] wrong = {
                {"--heads", "1"}, {"--batch", "0"}, {"--hidden", "256,x"}, {"--only", "critic"},
                {"--vs-torch", "/no/such/peer.py", "--iters", "1", "--warmup", "0", "--only", "update", "--obs", "2",
                        "--act", "1", "--hidden", "4", "--batch", "2"},
                {"--only", "step", "--vs-torch", "peer.py"}};
        String[] expected = {"--heads must be >= 2", "--batch must be >= 1, got 0", "--hidden must be comma-separated",
                "--only must be update, step or all", "--vs-torch: /no/such/peer.py does not exist",
                "--vs-torch compares updates"};
        for (int i = 0; i < wrong.length; i++) {
            String[] args = Stream.concat(Stream.of("bench", "residual"), Stream.of(wrong[i])).toArray(String[]::new);
            CoreCommandsTest.Result r = CoreCommandsTest.run(args);
            assertEquals(1, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("error: " + expected[i]), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        }
    }

    private static long leftoverBundles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("armature-bench-residual")).count();
        }
    }
}
