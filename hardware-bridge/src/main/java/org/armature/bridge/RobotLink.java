package org.armature.bridge;

import java.io.IOException;
import java.util.Map;

/**
 * The seam to a robot: connect, read the freshest timestamped state, send a command, close. Implementations: the
 * in-process simulation twin ({@link SimLink}), the UDP robot protocol ({@link UdpRobotLink}) and ROS 1
 * ({@link Ros1Link}).
 *
 * <p>{@link #readLatest} and {@link #send} are called from the control loop's thread every tick and must not
 * allocate; receiving happens on the link's own thread.
 */
public interface RobotLink extends AutoCloseable {

    /** Health of the link as the control loop sees it. */
    enum Status {
        OK,
        /** Nothing has arrived for longer than the link timeout, or the transport failed. */
        LOST,
        /** The robot server restarted: its session is not the one agreed at connect. */
        SESSION_CHANGED,
        /**
         * The link detected a fault it cannot recover from by itself (ROS: a second publisher on the state topic, a
         * shutdown request to this node); {@link #statusDetail()} says which.
         */
        FAULT
    }

    /** Opens the link and agrees on a session; returns the robot's description. */
    RobotInfo connect() throws IOException;

    /** Copies the freshest state into {@code out}; false when no state has arrived since connect. */
    boolean readLatest(RobotState out);

    /** Sends one command (non-blocking, allocation-free). */
    void send(JointCommand command);

    Status status();

    /** What caused a non-OK {@link #status()} (and the last transport error), or null. */
    default String statusDetail() {
        return null;
    }

    /** Linux thread id of the link's receiver thread (for real-time priority), or -1. */
    default long receiverThreadId() {
        return -1;
    }

    /** Counters (packets sent, received, dropped by reason), for the summary and the tests. */
    Map<String, Long> counters();

    @Override
    void close();

    /** What the robot told us at connect. */
    record RobotInfo(int dof, int objectCount, long sessionId) {
    }
}
