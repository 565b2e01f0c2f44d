package org.armature.envs.experts;

/**
 * A scripted policy that solves a task from its observation alone (no access to the simulator), used to produce
 * demonstrations. Experts may keep internal state across the steps of an episode (a phase, a chosen side), which
 * {@link #reset(long)} clears; call it at the start of every episode. Action noise, when configured, is Gaussian
 * with a fixed standard deviation in action units, added before clipping into the action box, drawn from the
 * expert's own seeded stream.
 */
public interface Expert {

    /** The action for {@code observation} (a new array, inside the task's action box). */
    float[] act(float[] observation);

    /** Starts a new episode: clears internal state and re-seeds the noise and choice stream. */
    void reset(long seed);

    /** Standard deviation of the Gaussian action noise (action units). */
    double noiseStd();
}
