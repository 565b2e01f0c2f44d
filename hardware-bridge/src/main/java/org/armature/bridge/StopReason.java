package org.armature.bridge;

/** Why the control loop stopped; every reason but {@link #COMPLETED} is a safe stop triggered by a fault. */
public enum StopReason {
    /** The requested duration ended (the robot is brought to a hold the same way). */
    COMPLETED("the requested duration ended"),
    OPERATOR_STOP("the operator stopped the deployment"),
    NON_FINITE_ACTION("the policy produced a NaN/inf action"),
    NON_FINITE_STATE("the robot reported a NaN/inf state"),
    STALE_STATE("the robot state is older than the staleness bound"),
    LINK_LOST("the link to the robot was lost"),
    SESSION_CHANGED("the robot server restarted (new session)"),
    MISSED_DEADLINES("too many missed deadlines in a row"),
    STATE_LIMIT("the measured state is beyond a safety limit"),
    ROBOT_STOPPED("the robot's own watchdog stopped it"),
    POLICY_ERROR("the policy threw an exception"),
    INTERNAL_ERROR("the control loop failed (no more commands; the robot's watchdog holds the arm)"),
    /** Appended last: recordings store 1 + ordinal. */
    LINK_FAULT("the link reported a fault");

    private final String description;

    StopReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public boolean isFault() {
        return this != COMPLETED;
    }
}
