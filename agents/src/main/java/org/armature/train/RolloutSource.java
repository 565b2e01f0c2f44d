package org.armature.train;

import java.io.IOException;

/**
 * Where the transitions of a run with remote rollout workers come from (Ape-X, Sample Factory): workers step their
 * own envs with a copy of the learner's policy, published by the training loop every few updates, and send back
 * batches of consecutive steps. {@code org.armature.cluster.RemoteRollouts} runs them on Ignite members.
 */
public interface RolloutSource extends AutoCloseable {

    /** Workers acting with this source. */
    int workers();

    /**
     * Starts the workers of run {@code cfg} ({@link RolloutWorker}s; {@code fromStep}: the env step the run resumes
     * from, 0 for a new run), acting with {@code policy} (see {@link RolloutWorker#policyWeights}), the learner's
     * weights after {@code version} updates.
     */
    void start(TrainConfig cfg, long fromStep, byte[] policy, long version) throws IOException;

    /** Makes {@code policy} (after {@code version} updates) the weights of every batch asked for from now on. */
    void publish(byte[] policy, long version) throws IOException;

    /**
     * The next finished batch, waiting for one. Batches asked for from now on take uniform random actions while
     * {@code warmup} (before {@code learning_starts}).
     */
    RolloutBatch next(boolean warmup) throws IOException;

    /** Stops the workers and frees what they hold (on every member). */
    @Override
    void close();
}
