package org.armature.offline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs Debian's /usr/bin/python3 with h5py (interop tests) or PyTorch (reference tests); tests are skipped with a
 * message when missing.
 */
public final class Python {

    public static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Map<String, Boolean> IMPORTABLE = new HashMap<>();

    private Python() {
    }

    public static void assumeH5py() {
        assumeImportable("h5py, numpy", "python3-h5py");
    }

    public static void assumeTorch() {
        assumeImportable("torch, numpy", "python3-torch");
    }

    private static synchronized boolean canImport(String modules) {
        return IMPORTABLE.computeIfAbsent(modules, m -> Files.isExecutable(PYTHON) && run("import " + m).exit == 0);
    }

    /**
     * Skips the test on a developer machine without the package, but fails it in CI (environment variable
     * {@code CI=true}, as {@code .ci/run} runs): a green CI always means the reference tests ran.
     */
    private static void assumeImportable(String modules, String debianPackage) {
        String why = "/usr/bin/python3 cannot import " + modules + " (install with: apt-get install -y "
                + debianPackage + ", see .ci/install-offline-deps.sh)";
        if (inCi()) {
            org.junit.jupiter.api.Assertions.assertTrue(canImport(modules), "CI=true but " + why);
        }
        Assumptions.assumeTrue(canImport(modules), "skipped: " + why);
    }

    /** Whether this run is CI's ({@code CI=true}). */
    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public record Result(int exit, String out) {
    }

    public static Result run(String script, String... args) {
        try {
            String[] cmd = new String[3 + args.length];
            cmd[0] = PYTHON.toString();
            cmd[1] = "-c";
            cmd[2] = script;
            System.arraycopy(args, 0, cmd, 3, args.length);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timeout");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    public static String runOk(String script, String... args) {
        Result r = run(script, args);
        if (r.exit != 0) {
            throw new AssertionError("python failed (" + r.exit + "):\n" + r.out);
        }
        return r.out;
    }
}
