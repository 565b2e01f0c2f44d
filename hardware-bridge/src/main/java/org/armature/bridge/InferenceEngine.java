package org.armature.bridge;

import org.armature.agents.Policy;

/**
 * Runs a policy bundle at batch 1 on the CPU fast path for the control loop: preallocated buffers, warm-up before
 * the loop starts, and per-call latency. Chunked policies ({@code chunkLength() > 1}) are played one action per
 * decision from the current chunk; with {@link ChunkScheduler} the next chunk is inferred ahead on its own thread.
 *
 * <p>Used from the control loop's thread only.
 */
public final class InferenceEngine {

    private final Policy policy;
    private final int actionDim;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final ChunkScheduler chunks;

    /** A non-chunked policy, or a chunked one played synchronously (a new chunk inferred when one runs out). */
    public InferenceEngine(Policy policy) {
        this.policy = policy;
        this.actionDim = policy.actionDim();
        this.chunks = policy.chunkLength() > 1 ? new ChunkScheduler(policy, ChunkScheduler.Config.DEFAULT) : null;
    }

    public int observationDim() {
        return policy.observationDim();
    }

    public int actionDim() {
        return actionDim;
    }

    /** Runs the policy {@code n} times on {@code observation} so the JIT has compiled the path before the loop. */
    public void warmUp(float[] observation, int n) {
        float[] out = new float[actionDim];
        for (int i = 0; i < n; i++) {
            policy.act(observation, out);
        }
        if (chunks != null) {
            chunks.warmUp(observation, Math.max(1, n / 100));
        }
        policy.reset(0);
    }

    /** The action for this decision into {@code out}; allocation-free for non-chunked bundle policies. */
    public void act(float[] observation, float[] out) {
        long t0 = System.nanoTime();
        if (chunks != null) {
            chunks.next(observation, out);
        } else {
            policy.act(observation, out);
        }
        latency.recordNanos(System.nanoTime() - t0);
    }

    public LatencyHistogram latency() {
        return latency;
    }

    public void close() {
        if (chunks != null) {
            chunks.close();
        }
    }
}
