package org.armature.envs;

import java.util.List;
import java.util.Map;

/**
 * One step of a {@link VectorEnv} (same-step auto-reset). Where an episode ended, {@code finalObservations[i]} holds
 * its last observation and {@code observations[i]} already the first observation of the next episode; elsewhere
 * {@code finalObservations[i]} is null.
 */
public record VectorStep(float[][] observations, double[] rewards, boolean[] terminated, boolean[] truncated,
                         float[][] finalObservations, List<Map<String, Object>> infos) {
}
