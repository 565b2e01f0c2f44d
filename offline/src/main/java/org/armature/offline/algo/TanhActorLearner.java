package org.armature.offline.algo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.armature.agents.Learner;
import org.armature.agents.LearnerState;
import org.armature.agents.PolicyBundles;

/**
 * What BC, IQL and CQL share around their own losses: the actor's deterministic policy ({@link TanhActor}) for acting
 * and the bundle, the named statistics of the last update, and the update counter.
 */
abstract class TanhActorLearner implements Learner {

    final StatsTable metrics;
    /** Set by the subclass's constructor once its actor network is built. */
    TanhActor policy;
    long updates;

    TanhActorLearner(String... statNames) {
        this.metrics = new StatsTable(statNames);
    }

    /** The counter, refreshing the policy on restore; the subclass adds its streams, parameters and optimisers. */
    LearnerState counterState() {
        return LearnerState.of(algo(), () -> updates, n -> updates = n).onRestore(policy::invalidate);
    }

    /** CORL's learnt log-std {@code {multiplier, offset}} for the bundle, or null (no learnt map). */
    double[] logStdAffine() {
        return null;
    }

    /** Losses and statistics of the last update (name → value). */
    public Map<String, Double> lastMetrics() {
        return metrics.map();
    }

    @Override
    public String[] statNames() {
        return metrics.names();
    }

    @Override
    public void stats(double[] out) {
        metrics.copyTo(out);
    }

    @Override
    public long updates() {
        return updates;
    }

    @Override
    public void act(float[] observation, float[] out) {
        policy.act(observation, out, updates);
    }

    @Override
    public PolicyBundles.Network exportPolicy(Path bundleDir) throws IOException {
        return policy.export(bundleDir, logStdAffine());
    }
}
