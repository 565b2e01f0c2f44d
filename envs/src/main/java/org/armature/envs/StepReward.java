package org.armature.envs;

/**
 * An env whose task can be evaluated at the current physics state without stepping: the reward, and the success
 * flag, of a control step that took {@code action} and ended in the state the physics is in now. {@code step}
 * computes its own reward and success with the same code, so for the state a {@code step} just reached,
 * {@code stepReward(action)} returns that step's reward bit for bit.
 *
 * <p>For a digital twin that advances the env's physics itself rather than through {@code step} (the hardware
 * bridge's simulated robot steps the world one physics step at a time against joint targets): it reports the
 * task's per-control-step reward evaluated at each state it reaches. Implementations read the physics state (and
 * refresh the env's own view of it) but do not change it, the episode or any random stream, and do not allocate.
 */
public interface StepReward {

    /**
     * The reward a control step that took {@code action} (the env's action space, after its clipping) and ended in
     * the current physics state would get: {@code Step.reward()} of such a step.
     */
    double stepReward(float[] action);

    /** Whether such a step would succeed: {@code info.success} of it (false where the task defines no success). */
    boolean stepSuccess();
}
