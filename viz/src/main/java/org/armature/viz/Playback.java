package org.armature.viz;

import java.util.List;

import org.armature.sim.Scene;

/**
 * Something the viewer can play: a policy acting in an env, or a recorded episode being re-simulated. The viewer
 * advances it one control step at a time and draws {@link #scene()} snapshots; a playback is stepped on the thread
 * that built it (the viewer's thread), so physics worlds stay on their owning thread.
 */
public interface Playback extends AutoCloseable {

    /** Window title. */
    String title();

    /** Simulated seconds per {@link #step()}; the viewer plays at this rate times the speed factor. */
    double controlDtSeconds();

    /** Starts the next episode (or restarts the current recording). */
    void reset();

    /** Advances one control step; does nothing and returns false when the episode is over. */
    boolean step();

    boolean episodeOver();

    /** Snapshot of the current state for drawing. */
    Scene scene();

    /** HUD text: step, reward, return, success, action. */
    List<String> hudLines();

    @Override
    default void close() {
    }
}
