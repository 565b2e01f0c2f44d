package org.armature.cluster;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point of a run's child process: {@code java -cp CLASSPATH org.armature.cluster.ChildProcess MAIN ARGS}.
 * It calls {@code MAIN.main(ARGS)} after starting a watcher that ends the process as soon as the member that started
 * it is gone (killed, crashed), so a dead member leaves no run behind. The member's pid comes in the system property
 * {@value #PARENT_PID}.
 */
public final class ChildProcess {

    public static final String PARENT_PID = "armature.cluster.parent";

    /** The class whose main runs a command ({@code armature}'s). */
    public static final String ENTRY = "org.armature.cli.Main";

    private ChildProcess() {
    }

    /** {@code java -Darmature.cluster.parent=<this pid> -cp <this class path> ChildProcess org.armature.cli.Main}. */
    public static List<String> command() {
        return command(false);
    }

    /** As {@link #command()}; with {@code member}, also the JVM options a process that starts a member needs. */
    public static List<String> command(boolean member) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (member) {
            cmd.addAll(Members.jvmOptions());
        }
        cmd.add("-D" + PARENT_PID + "=" + ProcessHandle.current().pid());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildProcess.class.getName());
        cmd.add(ENTRY);
        return cmd;
    }

    /** The child's error lines (or last lines), joined into one line for a summary. */
    static String errorLines(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        List<String> errors = lines.stream().filter(l -> l.startsWith("error") || l.startsWith("internal error")
                || l.contains("Exception")).toList();
        List<String> pick = errors.isEmpty() ? lines : errors;
        return String.join(" | ", pick.subList(Math.max(0, pick.size() - 3), pick.size())).strip();
    }

    public static void main(String[] args) throws Exception {
        String parent = System.getProperty(PARENT_PID);
        if (parent != null) {
            long pid = Long.parseLong(parent);
            Thread watcher = new Thread(() -> {
                while (true) {
                    if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                        Runtime.getRuntime().halt(137); // no shutdown hooks: nothing more to write for a dead member
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "armature-parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
