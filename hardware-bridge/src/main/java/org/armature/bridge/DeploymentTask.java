package org.armature.bridge;

/**
 * The task-specific half of a deployment: builds the policy's observation from what the robot measured (with the
 * task's own observation code, shared with the env), turns a policy action into joint position targets, and maps
 * the targets that were actually sent back to the action space for the recording. Implementations are
 * allocation-free and used from the control loop's thread only.
 */
public interface DeploymentTask {

    String envId();

    int observationDim();

    int actionDim();

    int dof();

    /** Number of object poses the task needs in the robot state. */
    default int objectCount() {
        return 0;
    }

    /** The policy's observation for a measured state. */
    void observation(RobotState state, float[] out);

    /** Joint position targets for {@code action}, taken in {@code state} (what the env's controller tracks). */
    void jointTargets(RobotState state, float[] action, double[] out);

    /** The action that, taken in {@code state}, gives the joint targets {@code targets} (for the recording). */
    void actionFor(RobotState state, double[] targets, float[] out);
}
