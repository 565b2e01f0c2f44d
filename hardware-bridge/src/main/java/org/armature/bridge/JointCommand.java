package org.armature.bridge;

/**
 * One command to the robot: joint position targets, or a request to hold the current position or to switch to
 * zero torque. Mutable and preallocated (the control loop fills the same instance every tick).
 */
public final class JointCommand {

    /** What the robot should do with this command. */
    public enum Mode {
        /** Track {@link #positionsRad} with the robot's joint position controller. */
        POSITION,
        /** Hold {@link #positionsRad} (the safe stop's final state on position-controlled robots). */
        HOLD,
        /** Zero torque (gravity compensation only), for robots configured to stop that way. */
        ZERO_TORQUE;

        private static final Mode[] VALUES = values();

        public static Mode of(int ordinal) {
            return ordinal >= 0 && ordinal < VALUES.length ? VALUES[ordinal] : null;
        }
    }

    public final double[] positionsRad;
    public Mode mode = Mode.POSITION;
    /** Robot timestamp of the state this command was computed from (echoed so the robot can judge expiry). */
    public long stateRobotTimeNanos;
    /** The robot drops this command when it arrives more than this long after that state was measured. */
    public int expiryMicros;
    /** The control loop's tick index (command slots since start; gaps are missed slots). */
    public long tick;
    /** The loop's nominal command period: the robot checks each command's step against its speed limits over it. */
    public int periodMicros;

    public JointCommand(int dof) {
        positionsRad = new double[dof];
    }

    public int dof() {
        return positionsRad.length;
    }

    public void copyFrom(JointCommand o) {
        System.arraycopy(o.positionsRad, 0, positionsRad, 0, positionsRad.length);
        mode = o.mode;
        stateRobotTimeNanos = o.stateRobotTimeNanos;
        expiryMicros = o.expiryMicros;
        tick = o.tick;
        periodMicros = o.periodMicros;
    }
}
