package org.armature.bridge;

import java.util.concurrent.locks.LockSupport;

import org.armature.agents.Policy;

/**
 * Asynchronous inference for chunked policies, with LeRobot's async-inference semantics: actions are played from a
 * queue, one per decision; when the queue holds no more than {@code threshold} of a chunk, the current observation
 * is sent to the inference thread, and the chunk that comes back (predicted for the decisions starting at that
 * observation) is merged into the queue: actions for decisions already played are discarded, overlapping ones are
 * blended ({@code oldWeight * old + (1 - oldWeight) * new}, LeRobot's weighted average: 0.3 old / 0.7 new), the rest
 * appended.
 *
 * <p>The threshold is checked after every action taken from the queue (so a request is made as soon as the queue
 * falls to the threshold, whatever the chunk length), and only one request is in flight at a time. If the queue
 * runs dry the loop waits for the chunk in flight (counted as a starvation).
 *
 * <p>The loop thread never allocates: it copies observations and chunks through preallocated buffers.
 */
public final class ChunkScheduler implements AutoCloseable {

    /**
     * @param threshold fraction of a chunk left in the queue at which the next chunk is requested (LeRobot: 0.5)
     * @param oldWeight weight of the queued action where chunks overlap (LeRobot's weighted_average: 0.3)
     * @param async     infer on a separate thread (false: synchronously in the loop when the queue runs dry)
     */
    public record Config(double threshold, double oldWeight, boolean async) {
        public static final Config DEFAULT = new Config(0.5, 0.3, true);

        public Config {
            if (!(threshold >= 0 && threshold < 1)) {
                throw new IllegalArgumentException("chunk threshold must be in [0, 1), got " + threshold);
            }
            if (!(oldWeight >= 0 && oldWeight <= 1)) {
                throw new IllegalArgumentException("chunk blend weight must be in [0, 1], got " + oldWeight);
            }
        }
    }

    private final Policy policy;
    private final Config cfg;
    private final int chunk;
    private final int actionDim;
    private final int capacity;
    private final float[][] queue;     // ring of actions, slot = decision index mod capacity
    private long head;                 // next decision index to play
    private long tail;                 // one past the last queued decision index
    private long decision;             // decisions played so far

    // hand-off to the inference thread (guarded by this)
    private final float[] requestObs;
    private final float[][] result;
    private long requestDecision = -1;
    private long resultDecision = -1;
    private boolean inFlight;
    private volatile boolean closed;
    private final Thread worker;
    private final LatencyHistogram chunkLatency = new LatencyHistogram();
    private long starvations;
    private long chunksMerged;

    public ChunkScheduler(Policy policy, Config cfg) {
        this.policy = policy;
        this.cfg = cfg;
        this.chunk = policy.chunkLength();
        this.actionDim = policy.actionDim();
        this.capacity = 2 * chunk + 1;
        this.queue = new float[capacity][actionDim];
        this.requestObs = new float[policy.observationDim()];
        this.result = new float[chunk][actionDim];
        if (cfg.async()) {
            worker = new Thread(this::work, "armature-chunk-inference");
            worker.setDaemon(true);
            worker.start();
        } else {
            worker = null;
        }
    }

    void warmUp(float[] observation, int n) {
        for (int i = 0; i < n; i++) {
            policy.actChunk(observation);
        }
    }

    /** The action for the next decision into {@code out}. */
    public void next(float[] observation, float[] out) {
        mergeIfReady();
        if (head == tail) {
            if (inFlight) {
                starvations++;
                while (!mergeIfReady() && !closed) {
                    Thread.onSpinWait();
                }
            } else {
                if (decision > 0) {
                    starvations++;
                }
                inferNow(observation, decision);
            }
        }
        System.arraycopy(queue[(int) (head % capacity)], 0, out, 0, actionDim);
        head++;
        decision++;
        if (cfg.async() && !inFlight && (tail - head) <= cfg.threshold() * chunk) {
            request(observation);
        }
    }

    /** Queued actions not yet played. */
    public int queued() {
        return (int) (tail - head);
    }

    public long starvations() {
        return starvations;
    }

    public long chunksMerged() {
        return chunksMerged;
    }

    public LatencyHistogram chunkLatency() {
        return chunkLatency;
    }

    private void inferNow(float[] observation, long at) {
        long t0 = System.nanoTime();
        float[][] c = policy.actChunk(observation);
        chunkLatency.recordNanos(System.nanoTime() - t0);
        merge(c, at);
    }

    private synchronized void request(float[] observation) {
        // the chunk predicted from this observation starts at the decision it was taken for (the one just
        // played, whose action is discarded on merge), as in LeRobot where a chunk's timesteps start at the
        // observation's timestep
        System.arraycopy(observation, 0, requestObs, 0, requestObs.length);
        requestDecision = decision - 1;
        inFlight = true;
        LockSupport.unpark(worker);
    }

    private boolean mergeIfReady() {
        synchronized (this) {
            if (!inFlight || resultDecision != requestDecision) {
                return false;
            }
            merge(result, resultDecision);
            inFlight = false;
            requestDecision = -1;
            resultDecision = -1;
            return true;
        }
    }

    /** Merges a chunk whose first action is for decision {@code at}. */
    private void merge(float[][] c, long at) {
        chunksMerged++;
        for (int j = 0; j < c.length; j++) {
            long idx = at + j;
            if (idx < head) {
                continue; // already played
            }
            float[] slot = queue[(int) (idx % capacity)];
            if (idx < tail) {
                float w = (float) cfg.oldWeight();
                for (int k = 0; k < actionDim; k++) {
                    slot[k] = w * slot[k] + (1 - w) * c[j][k];
                }
            } else {
                System.arraycopy(c[j], 0, slot, 0, actionDim);
            }
        }
        tail = Math.max(tail, at + c.length);
    }

    private void work() {
        float[] obs = new float[requestObs.length];
        while (!closed) {
            long at;
            synchronized (this) {
                at = inFlight && resultDecision != requestDecision ? requestDecision : -1;
                if (at >= 0) {
                    System.arraycopy(requestObs, 0, obs, 0, obs.length);
                }
            }
            if (at < 0) {
                LockSupport.parkNanos(200_000);
                continue;
            }
            long t0 = System.nanoTime();
            float[][] c = policy.actChunk(obs);
            long dt = System.nanoTime() - t0;
            synchronized (this) {
                chunkLatency.recordNanos(dt);
                for (int j = 0; j < chunk; j++) {
                    System.arraycopy(c[j], 0, result[j], 0, actionDim);
                }
                resultDecision = at;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (worker != null) {
            LockSupport.unpark(worker);
        }
    }
}
