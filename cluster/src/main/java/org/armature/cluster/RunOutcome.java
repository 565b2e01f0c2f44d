package org.armature.cluster;

import java.io.Serializable;

/** What a run job sends back: its run directory (zipped) or why it failed. A plain class for Ignite's marshaller. */
public final class RunOutcome implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String run;
    public final String member;
    /** The child process's exit code (0 = finished). */
    public final int exitCode;
    /** The run directory as a zip (finished runs), else null. */
    public final byte[] runDirectory;
    /** The last lines of the child's output when it failed, else "". */
    public final String error;
    /** Whether this attempt continued from a checkpoint stored by an earlier attempt (another member's). */
    public final boolean resumed;

    RunOutcome(String run, String member, int exitCode, byte[] runDirectory, String error, boolean resumed) {
        this.run = run;
        this.member = member;
        this.exitCode = exitCode;
        this.runDirectory = runDirectory;
        this.error = error;
        this.resumed = resumed;
    }

    public boolean finished() {
        return exitCode == 0 && runDirectory != null;
    }
}
