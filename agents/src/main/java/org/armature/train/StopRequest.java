package org.armature.train;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An operator's request to stop training (SIGINT, e.g. Ctrl-C, or SIGTERM). The signal only sets a flag: the training
 * loop finishes its current update, writes a checkpoint and the bundle of the current policy, says so and returns,
 * and the command exits with 130. A second signal while that is under way ends the process at once.
 */
public final class StopRequest {

    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private StopRequest() {
    }

    /** Routes SIGINT and SIGTERM to {@link #request()} (once per process; no-op where signals cannot be handled). */
    public static void install() {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        for (String name : new String[]{"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                    if (!REQUESTED.compareAndSet(false, true)) {
                        Runtime.getRuntime().halt(128 + s.getNumber()); // second signal: stop now
                    }
                    System.err.println("\nstop requested (SIG" + name + "): finishing the current update, then writing "
                            + "a checkpoint and the bundle (signal again to quit at once)");
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // signal not available on this platform: Ctrl-C keeps its default behaviour
            }
        }
    }

    public static boolean requested() {
        return REQUESTED.get();
    }

    /** Requests a stop as a signal would (tests, embedding applications). */
    public static void request() {
        REQUESTED.set(true);
    }

    /** Clears a request (tests, or an application that trains again after a stop). */
    public static void clear() {
        REQUESTED.set(false);
    }
}
