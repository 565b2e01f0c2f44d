package org.armature.agents;

/**
 * Maps observations to actions. Every trained agent, scripted expert adapter, chunked (diffusion) policy and the
 * hardware bridge's inference engine speaks this interface.
 *
 * <ul>
 *   <li>{@link #act(float[])} is deterministic (the mode / mean action), as used for evaluation and deployment.</li>
 *   <li>{@link #sample(float[])} draws from the policy's action distribution with the policy's own random stream,
 *       seeded by {@link #reset(long)} (deterministic policies return {@link #act(float[])}).</li>
 *   <li>Chunked policies predict {@link #chunkLength()} actions at once; {@link #actChunk(float[])} exposes the
 *       whole chunk. Non-chunked policies have chunk length 1.</li>
 * </ul>
 */
public interface Policy {

    /** Deterministic action for one observation. */
    float[] act(float[] observation);

    /** Stochastic action drawn from the policy's distribution (defaults to the deterministic action). */
    default float[] sample(float[] observation) {
        return act(observation);
    }

    /** Called at the start of every episode: seeds sampling noise and clears any internal state. */
    default void reset(long seed) {
    }

    /** Number of actions predicted per decision (1 unless the policy emits action chunks). */
    default int chunkLength() {
        return 1;
    }

    /** The whole action chunk for one observation ({@code chunkLength()} x actionDim). */
    default float[][] actChunk(float[] observation) {
        return new float[][]{act(observation)};
    }

    /** Deterministic action written into {@code out} (implementations may avoid allocating). */
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
