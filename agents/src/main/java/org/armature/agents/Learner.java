package org.armature.agents;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every learning algorithm is to the training loops, online and offline alike: gradient updates from a
 * {@link Batch} drawn by any {@link Sampler}, statistics for metrics.csv, its complete state for exact resume (one
 * mechanism, {@link LearnerState}), the deterministic action for evaluation, and the deployable policy for the
 * bundle. Online algorithms add exploration ({@link Agent}).
 *
 * <p>Observations and actions are in the learner's own spaces: raw env observations and env actions for the online
 * algorithms; normalised observations and actions in [−1, 1] for learners trained on datasets (the loop maps between
 * them with {@link org.armature.agents.data.Normalization}, and the bundle records that map).
 */
public interface Learner {

    /** Algorithm id ({@code sac}, {@code td3}, {@code bc}, {@code iql}, ...). */
    String algo();

    /** One gradient update (or one round of updates, e.g. critic then delayed actor) from the batch. */
    void update(Batch batch);

    /** The discount γ of this learner's TD targets; samplers write {@code γ^k (1 − terminated)} into the batch. */
    double discount();

    /** Names of the values {@link #stats(double[])} reports (e.g. {@code critic_loss}). */
    String[] statNames();

    /** Latest update statistics, in {@link #statNames()} order (NaN when not measured yet). */
    void stats(double[] out);

    /** Number of gradient updates done. */
    long updates();

    /** Deterministic action for one observation, written into {@code out} (evaluation and deployment). */
    void act(float[] observation, float[] out);

    /**
     * The complete learner state (networks, targets, optimiser moments, temperatures, random streams, counters), in
     * a fixed order; {@link #writeState}/{@link #readState} go through it.
     */
    LearnerState state();

    default void writeState(DataOutputStream out) throws IOException {
        state().write(out);
    }

    default void readState(DataInputStream in) throws IOException {
        state().read(in);
    }

    /** Writes the deployable policy's weights into {@code bundleDir} and returns the network part of bundle.json. */
    PolicyBundles.Network exportPolicy(Path bundleDir) throws IOException;

    /**
     * The window the learner is trained on: a chunked learner takes {@code observationHistory} frames (batch
     * observations {@code To · obsDim} wide) and predicts {@code chunkLength} actions (batch actions {@code Tp · actDim}
     * wide); the loop then samples windows and evaluates a policy that keeps its history and action queue.
     */
    default ChunkLayout chunking() {
        return ChunkLayout.SINGLE;
    }

    /**
     * True when the learner is trained on observations and actions mapped to [−1, 1] by the dataset's min and max
     * (Diffusion Policy's limits normaliser), false for the CORL maps (observation mean/std, action box to [−1, 1]).
     */
    default boolean minMaxNormalised() {
        return false;
    }

    /** The noise schedule of a diffusion policy, written to its bundle (null for other learners). */
    default PolicyBundles.NoiseSchedule noiseSchedule() {
        return null;
    }

    /** Resolved hyperparameters, for the run's config (the config record's fields, snake_case). */
    default Map<String, Object> hyperparameters() {
        return Map.of();
    }
}
