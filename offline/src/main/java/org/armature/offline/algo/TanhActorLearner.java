package org.armature.offline.algo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.armature.agents.Learner;
import org.armature.agents.LearnerState;
import org.armature.agents.PolicyBundles;
import org.armature.nn.FastMlp;
import org.armature.nn.Kernels;
import org.armature.nn.Mlp;
import org.armature.nn.ParamIO;
import org.armature.nn.SquashedGaussianHead;

/**
 * What BC, IQL and CQL share around their own losses: the named statistics of the last update, the update counter,
 * and the deterministic policy of the actor network, its first {@code actionDim} outputs squashed by tanh, the action
 * in [−1, 1] (BC: the action; IQL: the Gaussian mean; CQL: the pre-tanh mean of a squashed Gaussian). Inference runs
 * on a plain-Java copy of the weights, refreshed when the learner has updated since the last call.
 */
abstract class TanhActorLearner implements Learner {

    private final String[] statNames;
    /** The statistics of the last update by name ({@link #stats}: in {@link #statNames()} order, NaN until set). */
    final Map<String, Double> metrics = new LinkedHashMap<>();
    long updates;
    private Mlp actor;
    private int actionDim;
    private boolean squashedGaussian;
    private FastMlp fast;
    private float[] out;
    private long refreshedAt = -1;

    TanhActorLearner(String... statNames) {
        this.statNames = statNames;
    }

    /** Called by the subclass's constructor once its actor network is built. */
    void initPolicy(Mlp actor, int actionDim, boolean squashedGaussian) {
        this.actor = actor;
        this.actionDim = actionDim;
        this.squashedGaussian = squashedGaussian;
        this.fast = actor.toFast();
        this.out = new float[fast.outputSize()];
    }

    /** The counter, refreshing the policy on restore; the subclass adds its streams, parameters and optimisers. */
    LearnerState counterState() {
        return LearnerState.of(algo(), () -> updates, n -> updates = n).onRestore(() -> refreshedAt = -1);
    }

    /** CORL's learnt log-std {@code {multiplier, offset}} for the bundle, or null (no learnt map). */
    double[] logStdAffine() {
        return null;
    }

    /** Losses and statistics of the last update (name → value). */
    public Map<String, Double> lastMetrics() {
        return Collections.unmodifiableMap(metrics);
    }

    @Override
    public String[] statNames() {
        return statNames.clone();
    }

    @Override
    public void stats(double[] values) {
        for (int i = 0; i < statNames.length; i++) {
            Double v = metrics.get(statNames[i]);
            values[i] = v == null ? Double.NaN : v;
        }
    }

    @Override
    public long updates() {
        return updates;
    }

    /** {@code tanh} of the first {@code actionDim} outputs for a normalised observation. */
    @Override
    public void act(float[] observation, float[] action) {
        if (refreshedAt != updates) {
            fast.refreshFrom(actor);
            refreshedAt = updates;
        }
        fast.forward(observation, out);
        for (int j = 0; j < actionDim; j++) {
            action[j] = (float) Kernels.tanh(out[j]);
        }
    }

    /**
     * Writes {@code actor.params} and returns the bundle's network: {@code deterministic_tanh_mlp}, or
     * {@code squashed_gaussian_mlp} with CORL's learnt log-std map when {@link #logStdAffine()} gives one.
     */
    @Override
    public PolicyBundles.Network exportPolicy(Path bundleDir) throws IOException {
        ParamIO.write(bundleDir.resolve("actor.params"), actor.params());
        String type = squashedGaussian ? PolicyBundles.SQUASHED_GAUSSIAN : PolicyBundles.DETERMINISTIC_TANH;
        double[] affine = logStdAffine();
        PolicyBundles.AffineLogStd logStd = affine == null ? null : new PolicyBundles.AffineLogStd(affine[0],
                affine[1], SquashedGaussianHead.CORL_LOG_STD_MIN, SquashedGaussianHead.CORL_LOG_STD_MAX);
        return new PolicyBundles.Network(type, actor.layerSpecs(), "actor.params", logStd);
    }
}
