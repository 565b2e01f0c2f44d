package org.armature.offline.algo;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.armature.nn.LayerSpec;
import org.armature.nn.Mlp;

/**
 * An offline RL algorithm: one gradient step per {@link #update(OfflineBatch)} on a batch chosen by any sampler.
 * Every algorithm here has an actor network whose first {@code actionDim} outputs, squashed by tanh, are the
 * deterministic action in [−1, 1] (BC, TD3+BC: the action; IQL: the Gaussian mean; CQL: the pre-tanh mean).
 */
public interface OfflineAlgorithm {

    String name();

    /** One gradient step. */
    void update(OfflineBatch batch);

    /** Losses and statistics of the last update (name → value), for metrics.csv. */
    Map<String, Double> lastMetrics();

    /** The actor network (its first {@code actionDim} outputs are the pre-tanh action). */
    Mlp actorNetwork();

    /** Layer list of the actor network. */
    default List<LayerSpec> actorLayers() {
        return actorNetwork().layerSpecs();
    }

    /** Current actor weights in {@code Mlp.params()} order (copies). */
    default List<float[]> actorWeights() {
        return Nets.weights(actorNetwork());
    }

    /** Whether the actor's output is {@code [mu | raw_log_std]} of a squashed Gaussian (CQL) or the action. */
    default boolean squashedGaussianActor() {
        return false;
    }

    /**
     * {@code {multiplier, offset}} of a squashed-Gaussian actor with CORL's learnable log-std map
     * {@code clamp(m · raw + c, −20, 2)}; null for CleanRL's bounded map (and for deterministic actors).
     */
    default double[] logStdAffine() {
        return null;
    }

    /**
     * Writes everything an exact resume needs (parameters, target networks, optimiser moments, random stream,
     * counters); {@link #readState} on an algorithm built with the same config restores it bit for bit.
     */
    void writeState(DataOutputStream out) throws IOException;

    void readState(DataInputStream in) throws IOException;

    /** Resolved hyperparameters, for the run's config. */
    Map<String, Object> hyperparameters();
}
