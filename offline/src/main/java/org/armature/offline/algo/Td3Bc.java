package org.armature.offline.algo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.armature.agents.Batch;
import org.armature.agents.Learner;
import org.armature.agents.LearnerState;
import org.armature.agents.PolicyBundles;
import org.armature.agents.Seeds;
import org.armature.nn.Adam;
import org.armature.nn.Kernels;
import org.armature.nn.Mat;
import org.armature.nn.Mlp;
import org.armature.nn.ParamGroup;
import org.armature.nn.Rng;
import org.armature.nn.Targets;

/**
 * TD3+BC (Fujimoto &amp; Gu, NeurIPS 2021, "A Minimalist Approach to Offline Reinforcement Learning"), following CORL
 * {@code td3_bc.py}.
 *
 * <pre>
 *   critic:  y = r + γ (1 − d) min_k Q'_k(s', clip(π'(s') + clip(ε, −c, c), −1, 1)),   ε ~ N(0, σ²)
 *            L_Q = Σ_k E[(Q_k(s, a) − y)²]                                             (TD3, Eq. 10)
 *   actor (every 2nd step):
 *            λ = α / E|Q_1(s, π(s))|  (no gradient)
 *            L_π = −λ E[Q_1(s, π(s))] + E[(π(s) − a)²]                               (TD3+BC, Eq. 3 and 5)
 *   targets: θ' ← τ θ + (1 − τ) θ' for both critics and the actor, after each actor step
 * </pre>
 */
public final class Td3Bc implements Learner {

    private static final String[] STATS = {"critic_loss", "actor_loss", "bc_loss", "q_pi"};

    private final TanhActor policy;

    /** CORL td3_bc.py defaults (and the paper's Table 3). */
    public record Config(int hidden, int layers, double actorLr, double criticLr, double discount, double tau,
                         double alpha, double policyNoise, double noiseClip, int policyFrequency) {
        public static Config corl() {
            // lr 3e-4 both, gamma 0.99, tau 5e-3, alpha 2.5, policy noise 0.2, noise clip 0.5, policy freq 2
            return new Config(256, 2, 3e-4, 3e-4, 0.99, 5e-3, 2.5, 0.2, 0.5, 2);
        }
    }

    private final Config cfg;
    private final int od;
    private final int ad;
    private final Mlp actor;
    private final Mlp actorTarget;
    private final Mlp q1;
    private final Mlp q2;
    private final Mlp q1Target;
    private final Mlp q2Target;
    private final ParamGroup actorParams;
    private final ParamGroup actorTargetParams;
    private final ParamGroup criticParams;
    private final ParamGroup criticTargetParams;
    private final Adam actorOpt;
    private final Adam criticOpt;
    private final Rng rng;
    private long step;
    private int rows = -1;
    private Mat nextSa;
    private Mat sa;
    private Mat piSa;
    private Mat y;
    private Mat dQ1;
    private Mat dQ2;
    private Mat dActor;
    private Mat dQpi;
    private Mat nextAction;
    private final Map<String, Double> metrics = new LinkedHashMap<>();

    public Td3Bc(int observationDim, int actionDim, Config cfg, long seed) {
        this.cfg = cfg;
        this.od = observationDim;
        this.ad = actionDim;
        this.rng = new Rng(Seeds.of(seed, "learner"));
        Rng init = new Rng(Seeds.of(seed, "init"));
        actor = Nets.mlp(od, cfg.hidden, cfg.layers, ad, init);
        this.policy = new TanhActor(actor, ad, false);
        actorTarget = Nets.mlp(od, cfg.hidden, cfg.layers, ad, init);
        q1 = Nets.mlp(od + ad, cfg.hidden, cfg.layers, 1, init);
        q2 = Nets.mlp(od + ad, cfg.hidden, cfg.layers, 1, init);
        q1Target = Nets.mlp(od + ad, cfg.hidden, cfg.layers, 1, init);
        q2Target = Nets.mlp(od + ad, cfg.hidden, cfg.layers, 1, init);
        actorParams = new ParamGroup(actor.params());
        actorTargetParams = new ParamGroup(actorTarget.params());
        criticParams = ParamGroup.of(q1.params(), q2.params());
        criticTargetParams = ParamGroup.of(q1Target.params(), q2Target.params());
        Targets.hard(actorTargetParams, actorParams);
        Targets.hard(criticTargetParams, criticParams);
        actorOpt = new Adam(actorParams, cfg.actorLr);
        criticOpt = new Adam(criticParams, cfg.criticLr);
    }

    private void buffers(int n) {
        if (rows == n) {
            return;
        }
        rows = n;
        nextSa = Nets.zeros(n, od + ad);
        sa = Nets.zeros(n, od + ad);
        piSa = Nets.zeros(n, od + ad);
        y = Nets.zeros(n, 1);
        dQ1 = Nets.zeros(n, 1);
        dQ2 = Nets.zeros(n, 1);
        dActor = Nets.zeros(n, ad);
        dQpi = Nets.zeros(n, 1);
        nextAction = Nets.zeros(n, ad);
    }

    @Override
    public LearnerState state() {
        return LearnerState.of(algo(), () -> step, n -> step = n).streams(rng)
                .params(actorParams, actorTargetParams, criticParams, criticTargetParams).optimisers(actorOpt, criticOpt)
                .onRestore(policy::invalidate);
    }

    private ParamGroup[] groups() {
        return new ParamGroup[]{actorParams, actorTargetParams, criticParams, criticTargetParams};
    }

    @Override
    public String algo() {
        return "td3bc";
    }

    @Override
    public void update(Batch b) {
        step++;
        criticGradients(b);
        criticOpt.step();
        // ---- delayed actor update with the BC term, against the critic just updated (as TD3+BC) ----
        if (step % cfg.policyFrequency == 0) {
            actorGradients(b);
            actorOpt.step();
            Targets.soft(criticTargetParams, criticParams, cfg.tau);
            Targets.soft(actorTargetParams, actorParams, cfg.tau);
        }
    }

    /** The critic loss's gradients, left in the critics' {@link Param#grad()}. */
    void criticGradients(Batch b) {
        int n = b.size;
        buffers(n);
        // ---- critic: target with target policy smoothing (TD3) ----
        Mat tp = actorTarget.forward(b.nextObservations, false);
        tp.toHost();
        for (int i = 0; i < n * ad; i++) {
            double noise = Math.max(-cfg.noiseClip, Math.min(cfg.noiseClip, cfg.policyNoise * rng.nextGaussian()));
            nextAction.set(i, Math.max(-1.0, Math.min(1.0, Kernels.tanh(tp.get(i)) + noise)));
        }
        nextAction.hostWritten();
        Nets.concat(b.nextObservations, nextAction, nextSa);
        Mat t1 = q1Target.forward(nextSa, false);
        Mat t2 = q2Target.forward(nextSa, false);
        t1.toHost();
        t2.toHost();
        b.rewards.toHost();
        b.discounts.toHost();
        for (int i = 0; i < n; i++) {
            y.set(i, b.rewards.get(i) + b.discounts.get(i) * Math.min(t1.get(i), t2.get(i)));
        }
        y.hostWritten();
        Nets.concat(b.observations, b.actions, sa);
        double lq = criticGradient(q1, dQ1, n) + criticGradient(q2, dQ2, n);
        metrics.put("critic_loss", lq);
    }

    /** The actor loss's gradients with the critic as it is now, left in the actor's {@link Param#grad()}. */
    void actorGradients(Batch b) {
        int n = b.size;
        buffers(n);
        Mat out = actor.forward(b.observations, true);
        out.toHost();
        Mat pi = dActor; // reuse as the tanh output first
        for (int i = 0; i < n * ad; i++) {
            pi.set(i, Kernels.tanh(out.get(i)));
        }
        pi.hostWritten();
        Nets.concat(b.observations, pi, piSa);
        Mat q = q1.forward(piSa, false);
        q.toHost();
        double absMean = 0;
        double qMean = 0;
        for (int i = 0; i < n; i++) {
            absMean += Math.abs(q.get(i));
            qMean += q.get(i);
        }
        absMean /= n;
        qMean /= n;
        double lambda = cfg.alpha / absMean; // TD3+BC Eq. 5, detached
        for (int i = 0; i < n; i++) {
            dQpi.set(i, -lambda / n);
        }
        dQpi.hostWritten();
        Mat dIn = q1.backward(dQpi, false, true);
        dIn.toHost();
        b.actions.toHost();
        double bc = 0;
        double kBc = 2.0 / (n * ad);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < ad; j++) {
                int k = r * ad + j;
                double p = pi.get(k);
                double diff = p - b.actions.get(k);
                bc += diff * diff;
                double dPi = dIn.get(r * (od + ad) + od + j) + kBc * diff;
                dActor.set(k, dPi * (1 - p * p)); // through tanh
            }
        }
        dActor.hostWritten();
        actor.backward(dActor, true, false);
        metrics.put("actor_loss", -lambda * qMean + bc / (n * ad));
        metrics.put("bc_loss", bc / (n * ad));
        metrics.put("q_pi", qMean);
    }

    /** The networks and the random stream, for the reference test against PyTorch. */
    record Internals(Mlp actor, Mlp actorTarget, Mlp q1, Mlp q2, Mlp q1Target, Mlp q2Target, Rng rng) {
    }

    Internals internals() {
        return new Internals(actor, actorTarget, q1, q2, q1Target, q2Target, rng);
    }

    /** Forward on (s, a), MSE against y, accumulate parameter gradients; returns the loss. */
    private double criticGradient(Mlp q, Mat dq, int n) {
        Mat pred = q.forward(sa, true);
        pred.toHost();
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double diff = pred.get(i) - y.get(i);
            loss += diff * diff;
            dq.set(i, 2 * diff / n);
        }
        dq.hostWritten();
        q.backward(dq, true, false);
        return loss / n;
    }

    /** Losses and statistics of the last update (name → value). */
    public Map<String, Double> lastMetrics() {
        return metrics;
    }

    @Override
    public String[] statNames() {
        return STATS.clone();
    }

    @Override
    public void stats(double[] out) {
        Map<String, Double> m = lastMetrics();
        for (int i = 0; i < STATS.length; i++) {
            Double v = m.get(STATS[i]);
            out[i] = v == null ? Double.NaN : v;
        }
    }

    @Override
    public long updates() {
        return step;
    }

    @Override
    public double discount() {
        return cfg.discount;
    }

    @Override
    public void act(float[] observation, float[] out) {
        policy.act(observation, out, updates());
    }

    @Override
    public PolicyBundles.Network exportPolicy(Path bundleDir) throws IOException {
        return policy.export(bundleDir, null);
    }

    /** The actor network (its first {@code actionDim} outputs are the pre-tanh action). */
    public Mlp actorNetwork() {
        return actor;
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden", cfg.hidden);
        m.put("layers", cfg.layers);
        m.put("actor_lr", cfg.actorLr);
        m.put("critic_lr", cfg.criticLr);
        m.put("discount", cfg.discount);
        m.put("tau", cfg.tau);
        m.put("alpha", cfg.alpha);
        m.put("policy_noise", cfg.policyNoise);
        m.put("noise_clip", cfg.noiseClip);
        m.put("policy_frequency", cfg.policyFrequency);
        return m;
    }
}
