package org.armature.cluster;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The entry point of a run's child process: {@code java -cp CLASSPATH org.armature.cluster.ChildProcess MAIN ARGS}.
 * It calls {@code MAIN.main(ARGS)} after starting a watcher that ends the process as soon as the member that started
 * it is gone (killed, crashed), so a dead member leaves no run behind. The member's pid comes in the system property
 * {@value #PARENT_PID}.
 */
public final class ChildProcess {

    public static final String PARENT_PID = "armature.cluster.parent";

    private ChildProcess() {
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
