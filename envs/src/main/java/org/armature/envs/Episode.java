package org.armature.envs;

import java.util.List;
import java.util.Map;

/**
 * One finished episode as recorded by {@link org.armature.envs.wrappers.RecordEpisodes}.
 *
 * @param envId        id of the recorded env
 * @param seed         the seed passed to {@code reset(seed)} for this episode, or null if it continued the stream
 * @param observations T + 1 observations: the reset observation, then one per step (the last is the final one)
 * @param actions      T actions as executed (after clipping into the action space)
 * @param rewards      T rewards
 * @param infos        T info maps, one per step
 * @param terminated   the last step ended the task (D4RL {@code terminals})
 * @param truncated    the last step hit a time limit (D4RL {@code timeouts}); false if the episode was cut by a reset
 */
public record Episode(String envId, Long seed, float[][] observations, float[][] actions, double[] rewards,
                      List<Map<String, Object>> infos, boolean terminated, boolean truncated) {

    public int length() {
        return actions.length;
    }

    /** True when any step's info carried {@code success = true}. */
    public boolean success() {
        for (Map<String, Object> info : infos) {
            if (info.get("success") instanceof Boolean b && b) {
                return true;
            }
        }
        return false;
    }
}
