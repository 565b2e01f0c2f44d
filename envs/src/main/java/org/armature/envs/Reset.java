package org.armature.envs;

import java.util.Map;

/** Result of {@link Env#reset(long)}: the first observation and an info map. */
public record Reset(float[] observation, Map<String, Object> info) {
    public Reset(float[] observation) {
        this(observation, Map.of());
    }
}
