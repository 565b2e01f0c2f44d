package org.armature.offline.algo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.armature.agents.Batch;
import org.armature.agents.Learner;
import org.armature.agents.LearnerState;
import org.armature.agents.PolicyBundles;
import org.armature.agents.Td3;
import org.armature.nn.Mlp;
import org.armature.nn.Rng;

/**
 * TD3+BC (Fujimoto &amp; Gu, NeurIPS 2021, "A Minimalist Approach to Offline Reinforcement Learning"), following CORL
 * {@code td3_bc.py}, on the agents module's {@link Td3} (its networks, target smoothing, delayed actor and target
 * updates) in the normalised action box [−1, 1]:
 *
 * <pre>
 *   critic:  y = r + γ (1 − d) min_k Q'_k(s', clip(π'(s') + clip(ε, −c, c), −1, 1)),   ε ~ N(0, σ²)
 *            L_Q = Σ_k E[(Q_k(s, a) − y)²]                                             (TD3, Eq. 10)
 *   actor (every 2nd update):
 *            λ = α / E|Q_1(s, π(s))|  (no gradient)
 *            L_π = −λ E[Q_1(s, π(s))] + E[(π(s) − a)²]                               (TD3+BC, Eq. 3 and 5)
 *   targets: θ' ← τ θ + (1 − τ) θ' for both critics and the actor, after each actor step
 * </pre>
 * The actor updates on TD3's schedule (updates 0, 2, 4, ... of {@code policy_frequency} 2; CORL counts from 1 and
 * updates at 2, 4, ...).
 */
public final class Td3Bc implements Learner {

    /** CORL td3_bc.py defaults (and the paper's Table 3). */
    public record Config(int hidden, int layers, double actorLr, double criticLr, double discount, double tau,
                         double alpha, double policyNoise, double noiseClip, int policyFrequency) {
        public static Config corl() {
            // lr 3e-4 both, gamma 0.99, tau 5e-3, alpha 2.5, policy noise 0.2, noise clip 0.5, policy freq 2
            return new Config(256, 2, 3e-4, 3e-4, 0.99, 5e-3, 2.5, 0.2, 0.5, 2);
        }
    }

    private final Config cfg;
    private final Td3 td3;

    public Td3Bc(int observationDim, int actionDim, Config cfg, long seed) {
        this.cfg = cfg;
        int[] hidden = new int[cfg.layers];
        java.util.Arrays.fill(hidden, cfg.hidden);
        float[] low = new float[actionDim];
        float[] high = new float[actionDim];
        java.util.Arrays.fill(low, -1f);
        java.util.Arrays.fill(high, 1f);
        Td3.Config c = new Td3.Config(hidden, hidden, "relu", cfg.discount, cfg.tau, cfg.actorLr, cfg.policyNoise,
                cfg.noiseClip, 0.0, cfg.policyFrequency, Double.POSITIVE_INFINITY);
        this.td3 = new Td3(observationDim, low, high, c, seed).withBehaviourCloning(cfg.alpha)
                .withCriticLearningRate(cfg.criticLr);
    }

    @Override
    public String algo() {
        return td3.algo();
    }

    @Override
    public void update(Batch b) {
        td3.update(b);
    }

    /** The critic loss's gradients (reference test), as {@link #update} computes them. */
    void criticGradients(Batch b) {
        td3.computeCriticGradients(b, null);
    }

    /** The actor loss's gradients with the critic as it is now (reference test). */
    void actorGradients(Batch b) {
        td3.computeActorGradients(b.observations, b.actions);
    }

    /** The networks and the random stream, for the reference test against PyTorch. */
    record Internals(Mlp actor, Mlp actorTarget, Mlp q1, Mlp q2, Mlp q1Target, Mlp q2Target, Rng rng) {
    }

    Internals internals() {
        Td3.Networks n = td3.networks();
        return new Internals(n.actor(), n.actorTarget(), n.q1().mlp(), n.q2().mlp(), n.q1Target().mlp(),
                n.q2Target().mlp(), n.rng());
    }

    @Override
    public String[] statNames() {
        return td3.statNames();
    }

    @Override
    public void stats(double[] out) {
        td3.stats(out);
    }

    @Override
    public long updates() {
        return td3.updates();
    }

    @Override
    public double discount() {
        return cfg.discount;
    }

    @Override
    public void act(float[] observation, float[] out) {
        td3.act(observation, out);
    }

    @Override
    public LearnerState state() {
        return td3.state();
    }

    @Override
    public PolicyBundles.Network exportPolicy(Path bundleDir) throws IOException {
        return td3.exportPolicy(bundleDir);
    }

    @Override
    public Map<String, Object> hyperparameters() {
        return PolicyBundles.configValues(cfg, Map.of());
    }
}
