package org.armature.agents;

/**
 * Maps observations to actions. Every trained agent, scripted expert adapter, chunked (diffusion) policy, composite
 * (residual, noise-space) policy and the hardware bridge's inference engine speaks this interface.
 *
 * <ul>
 *   <li>{@link #act(float[])} is deterministic (the mode / mean action), as used for evaluation and deployment. A
 *       policy is called once per control step with the newest observation and keeps what it needs itself: its
 *       observation history ({@link #observationHistory()} frames) and, for chunked policies, the queue of actions
 *       still to play from the last predicted chunk.</li>
 *   <li>{@link #reset(long)} starts an episode: it clears the history and the action queue and seeds the policy's
 *       own random stream ({@link #sample(float[])}, a diffusion sampler's noise).</li>
 *   <li>Chunked policies predict {@link #chunkLength()} actions per decision and play the first
 *       {@link #executedChunk()} of them (receding horizon); {@link #actChunk(float[])} exposes a whole predicted
 *       chunk (the hardware bridge infers the next chunk ahead on another thread). Others have chunk length 1.</li>
 *   <li>Policies that sample from noise (diffusion) can be given the initial noise of their sampler
 *       ({@link #noiseDim()}, {@link #actChunk(float[], float[])}): DSRL steers a frozen policy that way.</li>
 * </ul>
 */
public interface Policy {

    /**
     * Deterministic action for one observation; by default a new array filled by {@link #act(float[], float[])}.
     * Implementations override at least one of the two.
     */
    default float[] act(float[] observation) {
        float[] a = new float[actionDim()];
        act(observation, a);
        return a;
    }

    /** Stochastic action drawn from the policy's distribution (defaults to the deterministic action). */
    default float[] sample(float[] observation) {
        return act(observation);
    }

    /** Called at the start of every episode: seeds sampling noise, clears the observation history and action queue. */
    default void reset(long seed) {
    }

    /** Observation frames the policy conditions on (the newest last); 1 unless it keeps a history. */
    default int observationHistory() {
        return 1;
    }

    /** Number of actions predicted per decision (1 unless the policy emits action chunks). */
    default int chunkLength() {
        return 1;
    }

    /** Number of actions of each predicted chunk that are played before the next decision. */
    default int executedChunk() {
        return chunkLength();
    }

    /**
     * The whole predicted chunk for {@code observation} ({@code chunkLength()} x actionDim). The observation enters
     * the history as with {@link #act}; the action queue is left alone.
     */
    default float[][] actChunk(float[] observation) {
        return new float[][]{act(observation)};
    }

    /**
     * Index in a predicted chunk ({@link #actChunk}) of the action for the current step: {@code observationHistory − 1}
     * for Diffusion Policy's alignment (the chunk starts with the past frames' actions), else 0. A chunk is played
     * from this index for {@link #executedChunk()} steps.
     */
    default int chunkStart() {
        return 0;
    }

    /**
     * Records an observation in the policy's history without deciding (steps a caller plays from a chunk it got with
     * {@link #actChunk}); policies without a history ignore it.
     */
    default void observe(float[] observation) {
    }

    /** Size of the initial noise the policy's sampler draws per chunk (0: the policy does not sample from noise). */
    default int noiseDim() {
        return 0;
    }

    /** The chunk the policy's sampler produces from {@code initialNoise} instead of its own draw (DSRL). */
    default float[][] actChunk(float[] observation, float[] initialNoise) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not sample from noise");
    }

    /** Deterministic action written into {@code out}; by default a copy of {@link #act(float[])}'s. */
    default void act(float[] observation, float[] out) {
        float[] a = act(observation);
        System.arraycopy(a, 0, out, 0, a.length);
    }

    /**
     * Loads a policy bundle directory ({@code bundle.json} + weights, format in agents/README.md) without any
     * training code.
     */
    static Policy load(java.nio.file.Path bundleDir) throws java.io.IOException {
        return PolicyBundles.load(bundleDir);
    }

    int observationDim();

    int actionDim();
}
