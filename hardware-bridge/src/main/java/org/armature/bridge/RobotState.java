package org.armature.bridge;

import java.util.Arrays;

/**
 * What a robot reports: joint positions, velocities and efforts, the poses of tracked objects (as a perception
 * system would report them: x, y, z, qx, qy, qz, qw per object), an optional reward, and when it arrived.
 *
 * <p>A mutable holder with preallocated arrays rather than a record, so that the control loop copies the freshest
 * state into the same instance every tick without allocating. {@link #receiveNanos} is the local monotonic clock
 * ({@link System#nanoTime()}) at receive time: staleness is judged on it, never on the robot's clock.
 */
public final class RobotState {

    public static final int POSE_SIZE = 7;

    public final double[] positionsRad;
    public final double[] velocitiesRadPerSec;
    public final double[] effortsNm;
    public final double[] objectPoses;
    /** Local monotonic time this state was received ({@link System#nanoTime()}); 0 = never. */
    public long receiveNanos;
    /** The robot's own monotonic timestamp of the measurement (its clock, echoed in commands for expiry). */
    public long robotTimeNanos;
    /** Sequence number of the state message. */
    public long sequence;
    /** Reward reported by the robot (a simulated twin has one); NaN when absent. */
    public double reward = Double.NaN;
    /** The robot's own watchdog has stopped it (it holds until a new session). */
    public boolean robotStopped;

    public RobotState(int dof, int objects) {
        positionsRad = new double[dof];
        velocitiesRadPerSec = new double[dof];
        effortsNm = new double[dof];
        objectPoses = new double[objects * POSE_SIZE];
    }

    public int dof() {
        return positionsRad.length;
    }

    public int objectCount() {
        return objectPoses.length / POSE_SIZE;
    }

    public boolean valid() {
        return receiveNanos != 0;
    }

    /** Copies {@code o} into this state (same sizes); allocation-free. */
    public void copyFrom(RobotState o) {
        System.arraycopy(o.positionsRad, 0, positionsRad, 0, positionsRad.length);
        System.arraycopy(o.velocitiesRadPerSec, 0, velocitiesRadPerSec, 0, velocitiesRadPerSec.length);
        System.arraycopy(o.effortsNm, 0, effortsNm, 0, effortsNm.length);
        System.arraycopy(o.objectPoses, 0, objectPoses, 0, objectPoses.length);
        receiveNanos = o.receiveNanos;
        robotTimeNanos = o.robotTimeNanos;
        sequence = o.sequence;
        reward = o.reward;
        robotStopped = o.robotStopped;
    }

    /** True when every measured value is finite. */
    public boolean finite() {
        return allFinite(positionsRad) && allFinite(velocitiesRadPerSec) && allFinite(effortsNm)
                && allFinite(objectPoses);
    }

    static boolean allFinite(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "RobotState{q=" + Arrays.toString(positionsRad) + ", seq=" + sequence + "}";
    }
}
