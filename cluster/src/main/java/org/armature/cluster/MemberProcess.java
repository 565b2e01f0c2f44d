package org.armature.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code armature cluster member ARGS} in a process of its own, started from this one with the same class path and
 * Ignite's JVM options; it ends when this process does ({@link ChildProcess}). For benchmarks and tests that need
 * members in separate processes.
 */
public final class MemberProcess {

    private MemberProcess() {
    }

    /** Starts the member; every line it prints (stdout and stderr) goes to {@code lines}. */
    public static Process start(List<String> args, Consumer<String> lines) throws IOException {
        List<String> cmd = new ArrayList<>(ChildProcess.command(true));
        cmd.addAll(List.of("cluster", "member"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("IGNITE_UPDATE_NOTIFIER", "false");
        Process p = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.accept(l);
                }
            } catch (IOException ended) {
                // the process ended
            }
        }, "armature-member-output");
        reader.setDaemon(true);
        reader.start();
        return p;
    }
}
