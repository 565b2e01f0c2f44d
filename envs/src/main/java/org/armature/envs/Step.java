package org.armature.envs;

import java.util.Map;

/**
 * Result of {@link Env#step(float[])}, with Gymnasium's semantics.
 *
 * @param observation next observation
 * @param reward      reward for this transition
 * @param terminated  the task reached a terminal state (fell, succeeded): do not bootstrap
 * @param truncated   the episode was cut for a reason outside the task (time limit): bootstrap
 * @param info        extra per-step data ({@code success}, reward terms, ...); never null
 */
public record Step(float[] observation, double reward, boolean terminated, boolean truncated,
                   Map<String, Object> info) {

    public boolean done() {
        return terminated || truncated;
    }

    public Step withTruncated(boolean t) {
        return new Step(observation, reward, terminated, t, info);
    }

    public Step withObservation(float[] obs) {
        return new Step(obs, reward, terminated, truncated, info);
    }

    /** {@code info.success} as a boolean (false when absent). */
    public boolean success() {
        return info.get("success") instanceof Boolean b && b;
    }
}
