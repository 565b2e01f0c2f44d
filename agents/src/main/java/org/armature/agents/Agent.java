package org.armature.agents;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An off-policy learner as the training loop sees it: act (exploring or not) on single observations, update from
 * minibatches, save/restore its complete state, export a deployable policy bundle.
 */
public interface Agent {

    /** Algorithm id ({@code sac}, {@code td3}, ...). */
    String algo();

    /** Exploration action for training rollouts, written into {@code out}. */
    void explore(float[] observation, float[] out);

    /** Deterministic action, written into {@code out}. */
    void act(float[] observation, float[] out);

    /** One gradient update (critic, and actor/temperature when due, and targets) from the batch. */
    void update(Batch batch);

    /** Names of the values {@link #stats(double[])} reports (e.g. {@code critic_loss}). */
    String[] statNames();

    /** Latest update statistics, in {@link #statNames()} order (NaN when not measured yet). */
    void stats(double[] out);

    /** Number of gradient updates done. */
    long updates();

    /** Complete learner state (networks, targets, optimiser moments, temperature, random streams, counters). */
    void writeState(DataOutputStream out) throws IOException;

    void readState(DataInputStream in) throws IOException;

    /** Writes the deployable policy into {@code bundleDir} (weights + the network part of bundle.json). */
    PolicyBundles.Network exportPolicy(Path bundleDir) throws IOException;
}
