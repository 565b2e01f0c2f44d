package org.armature.bridge;

/**
 * Receives one row per policy decision from the control loop's thread. Implementations must not allocate or
 * block ({@link DeploymentRecorder} copies into a preallocated ring that another thread flushes).
 */
public interface DecisionSink {

    /**
     * @param timeNanos      local receive time of the state the decision used
     * @param observation    the policy's observation
     * @param rawAction      the policy's action before the safety layer
     * @param sentAction     the commands actually sent over the decision interval, mapped back to the action space
     * @param reward         the reward the link reported for the interval (NaN when absent)
     * @param clippedTicks   commands in the interval changed by a safety limit
     * @param stopReason     0 while running; on the last row, 1 + {@link StopReason#ordinal()} of the stop
     */
    void onDecision(long timeNanos, float[] observation, float[] rawAction, float[] sentAction, double reward,
                    int clippedTicks, int stopReason);
}
