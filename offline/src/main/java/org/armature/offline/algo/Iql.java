package org.armature.offline.algo;

import java.util.List;
import java.util.Map;

import org.armature.agents.Batch;
import org.armature.agents.LearnerState;
import org.armature.agents.PolicyBundles;
import org.armature.agents.Seeds;
import org.armature.nn.Adam;
import org.armature.nn.Kernels;
import org.armature.nn.Mat;
import org.armature.nn.Mlp;
import org.armature.nn.Param;
import org.armature.nn.ParamGroup;
import org.armature.nn.Rng;
import org.armature.nn.Targets;
import org.armature.offline.data.DatasetInfo;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Implicit Q-Learning (Kostrikov, Nair &amp; Levine, ICLR 2022), following CORL {@code iql.py}.
 *
 * <pre>
 *   value:   L_V = E[ L₂^τ( min_k Q'_k(s, a) − V(s) ) ],   L₂^τ(u) = |τ − 1(u &lt; 0)| u²          (IQL Eq. 5)
 *   critic:  L_Q = ½ Σ_k E[(Q_k(s, a) − (r + γ (1 − d) V(s')))²]                            (IQL Eq. 6)
 *   actor:   L_π = −E[ min(exp(β (min_k Q'_k(s, a) − V(s))), 100) · log π(a | s) ]            (IQL Eq. 7, AWR)
 *   π(a|s) = N(tanh(f(s)), diag(exp(log σ))), log σ a free parameter clamped to [−20, 2] (CORL GaussianPolicy),
 *   or with {@code deterministicActor} π(s) = tanh(f(s)) and −log π(a|s) replaced by ‖π(s) − a‖² (CORL
 *   DeterministicPolicy, {@code iql_deterministic})
 *   actor learning rate: cosine decay to 0 over the run (CORL CosineAnnealingLR)
 * </pre>
 * The advantage in the actor loss uses V before its update in the same step and V(s') is computed first, as in
 * CORL. Optional RIQL variants (Yang et al. 2023, "Towards Robust Offline RL under Diverse Data Corruption", Sec. 5):
 * {@code huberDelta = δ > 0} makes the critic loss the Huber loss with threshold δ (robust to heavy-tailed Q targets
 * under dynamics corruption), and {@code ensemble = K} critics with {@code quantile = α} replace {@code min_k Q'_k}
 * in the value target and the advantage by the α-quantile of the K target critics (linear interpolation between
 * order statistics, as {@code torch.quantile}); K = 2, α = 0 is exactly CORL's min of two.
 */
public final class Iql extends TanhActorLearner {

    /** CORL iql.py defaults (IQL paper Appendix B for locomotion). */
    public record Config(int hidden, int layers, double actorLr, double qLr, double vLr, double discount, double tau,
                         double expectile, double beta, double maxWeight, boolean cosineActorLr, long totalSteps,
                         double huberDelta, int ensemble, double quantile, boolean deterministicActor) {
        public Config {
            if (ensemble < 1) {
                throw new IllegalArgumentException("IQL needs at least one critic, got --q-ensemble " + ensemble);
            }
            if (!(quantile >= 0 && quantile <= 1)) {
                throw new IllegalArgumentException("--quantile must be in [0, 1], got " + quantile);
            }
        }

        public static Config corl(long totalSteps) {
            // lr 3e-4 (all), gamma 0.99, tau 5e-3, expectile 0.7, beta 3.0, EXP_ADV_MAX 100, cosine actor schedule,
            // twin critics with the min (quantile 0 of 2), Gaussian actor
            return new Config(256, 2, 3e-4, 3e-4, 3e-4, 0.99, 5e-3, 0.7, 3.0, 100.0, true, totalSteps, 0.0, 2, 0.0,
                    false);
        }

        /**
         * CORL's per-task configs: {@code configs/offline/iql/hopper/*.yaml} use the deterministic actor
         * ({@code iql_deterministic: true}) and a slower target update ({@code tau: 0.001}); HalfCheetah and Walker2d
         * use {@link #corl(long)}.
         */
        public static Config corl(String envId, long totalSteps) {
            Config c = corl(totalSteps);
            if (OfflineAlgorithms.isHopper(envId)) {
                return new Config(c.hidden, c.layers, c.actorLr, c.qLr, c.vLr, c.discount, 1e-3, c.expectile, c.beta,
                        c.maxWeight, c.cosineActorLr, c.totalSteps, c.huberDelta, c.ensemble, c.quantile, true);
            }
            return c;
        }

        /** CORL iql.py's {@code modify_reward} on locomotion: returns rescaled to span 1000, on every task. */
        public static OfflineAlgorithms.RewardTransform rewardTransform(String envId) {
            return new OfflineAlgorithms.RewardTransform(true, 1.0, 0.0);
        }
    }

    /** CORL iql.py LOG_STD_MIN / LOG_STD_MAX. */
    static final double LOG_STD_MIN = -20.0;
    static final double LOG_STD_MAX = 2.0;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final Config cfg;
    private final int od;
    private final int ad;
    private final Mlp actor;
    private final Param logStd;
    private final Mlp[] qs;
    private final Mlp[] qTargets;
    private final double[] sorted;
    private final double[] logSigma;
    private final double[] dLogSigma;
    private final Mlp v;
    private final ParamGroup actorParams;
    private final ParamGroup criticParams;
    private final ParamGroup criticTargetParams;
    private final ParamGroup vParams;
    private final Adam actorOpt;
    private final Adam qOpt;
    private final Adam vOpt;
    private int rows = -1;
    private Mat sa;
    private Mat nextV;
    private Mat targetQ;
    private Mat adv;
    private Mat dV;
    private Mat dQ;
    private Mat dMean;
    private double[] ensembleValues;

    public Iql(int observationDim, int actionDim, Config cfg, long seed) {
        super("value_loss", "critic_loss", "actor_loss", "adv_weight_mean", "actor_lr");
        this.cfg = cfg;
        this.od = observationDim;
        this.ad = actionDim;
        Rng rng = new Rng(Seeds.of(seed, "init"));
        actor = Nets.mlp(od, cfg.hidden, cfg.layers, ad, rng);
        initPolicy(actor, ad, false);
        logStd = new Param("log_std", DataType.FLOAT, 1, ad); // CORL: zeros
        qs = new Mlp[cfg.ensemble];
        qTargets = new Mlp[cfg.ensemble];
        sorted = new double[cfg.ensemble];
        logSigma = new double[ad];
        dLogSigma = new double[ad];
        List<Param> critic = new java.util.ArrayList<>();
        List<Param> criticTarget = new java.util.ArrayList<>();
        for (int k = 0; k < qs.length; k++) {
            qs[k] = Nets.mlp(od + ad, cfg.hidden, cfg.layers, 1, rng);
            critic.addAll(qs[k].params());
        }
        for (int k = 0; k < qs.length; k++) {
            qTargets[k] = Nets.mlp(od + ad, cfg.hidden, cfg.layers, 1, rng);
            criticTarget.addAll(qTargets[k].params());
        }
        v = Nets.mlp(od, cfg.hidden, cfg.layers, 1, rng);
        actorParams = cfg.deterministicActor ? new ParamGroup(actor.params())
                : ParamGroup.of(actor.params(), List.of(logStd));
        criticParams = new ParamGroup(critic);
        criticTargetParams = new ParamGroup(criticTarget);
        vParams = new ParamGroup(v.params());
        Targets.hard(criticTargetParams, criticParams);
        actorOpt = new Adam(actorParams, cfg.actorLr);
        qOpt = new Adam(criticParams, cfg.qLr);
        vOpt = new Adam(vParams, cfg.vLr);
    }

    private void buffers(int n) {
        if (rows == n) {
            return;
        }
        rows = n;
        sa = Nets.zeros(n, od + ad);
        nextV = Nets.zeros(n, 1);
        targetQ = Nets.zeros(n, 1);
        adv = Nets.zeros(n, 1);
        dV = Nets.zeros(n, 1);
        dQ = Nets.zeros(n, 1);
        dMean = Nets.zeros(n, ad);
    }

    @Override
    public LearnerState state() {
        return counterState().params(actorParams, criticParams, criticTargetParams, vParams)
                .optimisers(actorOpt, qOpt, vOpt);
    }

    @Override
    public String algo() {
        return "iql";
    }

    @Override
    public void update(Batch b) {
        updates++;
        accumulateGradients(b);
        stepOptimizers();
    }

    /**
     * The gradients of the value, critic and actor losses with respect to the parameters as they are before this
     * step, left in each {@link Param#grad()}. None of the three depends on a parameter another one updates: the
     * critic regresses to V(s') and the actor weights by Q' − V(s), both computed before the value step (CORL).
     */
    void accumulateGradients(Batch b) {
        int n = b.size;
        buffers(n);
        // V(s') before any update (CORL: computed first, no gradient)
        nextV.copyFrom(v.forward(b.nextObservations, false));
        Nets.concat(b.observations, b.actions, sa);
        // target Q: min of the twin target critics (CORL), or RIQL's alpha-quantile of the K target critics
        int kq = qTargets.length;
        if (ensembleValues == null || ensembleValues.length != kq * n) {
            ensembleValues = new double[kq * n];
        }
        for (int k = 0; k < kq; k++) {
            Mat t = qTargets[k].forward(sa, false).toHost();
            for (int i = 0; i < n; i++) {
                ensembleValues[k * n + i] = t.get(i);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < kq; k++) {
                sorted[k] = ensembleValues[k * n + i];
            }
            targetQ.set(i, quantile(sorted, cfg.quantile)); // quantile 0 = the minimum
        }
        targetQ.hostWritten();

        // ---- value: expectile regression, Eq. 5 ----
        Mat vs = v.forward(b.observations, true);
        vs.toHost();
        double lv = 0;
        for (int i = 0; i < n; i++) {
            double u = targetQ.get(i) - vs.get(i);
            adv.set(i, u);
            double w = Math.abs(cfg.expectile - (u < 0 ? 1.0 : 0.0));
            lv += w * u * u;
            dV.set(i, -2.0 * w * u / n); // d/dV of w u^2 with u = Q - V
        }
        adv.hostWritten();
        dV.hostWritten();
        v.backward(dV, true, false);

        // ---- critic: regress to r + gamma (1 - d) V(s'), Eq. 6 ----
        b.rewards.toHost();
        b.discounts.toHost();
        nextV.toHost();
        double lq = 0;
        for (Mlp q : qs) {
            Mat pred = q.forward(sa, true);
            pred.toHost();
            for (int i = 0; i < n; i++) {
                double target = b.rewards.get(i) + b.discounts.get(i) * nextV.get(i);
                double diff = pred.get(i) - target;
                double g;
                if (cfg.huberDelta > 0 && Math.abs(diff) > cfg.huberDelta) {
                    lq += cfg.huberDelta * (2 * Math.abs(diff) - cfg.huberDelta) / 2; // RIQL Huber, scaled like MSE/2
                    g = cfg.huberDelta * Math.signum(diff);
                } else {
                    lq += diff * diff / 2;
                    g = diff;
                }
                // CORL: sum_k mse(Q_k, y) / 2  ->  d/dQ_k = (Q_k - y) / n
                dQ.set(i, g / n);
            }
            dQ.hostWritten();
            q.backward(dQ, true, false);
        }

        // ---- actor: advantage-weighted regression, Eq. 7 ----
        Mat out = actor.forward(b.observations, true);
        out.toHost();
        b.actions.toHost();
        Mat ls = null;
        if (!cfg.deterministicActor) {
            ls = logStd.value().toHost();
            for (int j = 0; j < ad; j++) {
                logSigma[j] = Math.max(LOG_STD_MIN, Math.min(LOG_STD_MAX, ls.get(j)));
                dLogSigma[j] = 0;
            }
        }
        double lp = 0;
        double wSum = 0;
        for (int r = 0; r < n; r++) {
            double w = Math.min(Math.exp(cfg.beta * adv.get(r)), cfg.maxWeight);
            wSum += w;
            double rowLoss = 0; // w ||tanh f - a||^2 (deterministic) or -w log pi(a|s) (Gaussian)
            for (int j = 0; j < ad; j++) {
                int k = r * ad + j;
                double mean = Kernels.tanh(out.get(k));
                if (cfg.deterministicActor) {
                    double e = mean - b.actions.get(k);
                    rowLoss += w * e * e;
                    dMean.set(k, (2 * w * e / n) * (1 - mean * mean)); // d(w ||tanh f - a||^2 / n)/df
                } else {
                    double sigma = Math.exp(logSigma[j]);
                    double z = (b.actions.get(k) - mean) / sigma;
                    rowLoss += -w * (-0.5 * z * z - logSigma[j] - HALF_LOG_2PI);
                    // d(-w logp / n)/d mean = -w z / sigma / n ; through tanh
                    dMean.set(k, (-w * z / sigma / n) * (1 - mean * mean));
                    // d(-w logp / n)/d log sigma = -w (z^2 - 1) / n
                    dLogSigma[j] += -w * (z * z - 1) / n;
                }
            }
            lp += rowLoss;
        }
        dMean.hostWritten();
        if (!cfg.deterministicActor) {
            Mat lsGrad = logStd.grad().toHost();
            for (int j = 0; j < ad; j++) {
                double raw = ls.get(j);
                boolean inside = raw > LOG_STD_MIN && raw < LOG_STD_MAX; // clamp has zero gradient outside
                lsGrad.set(j, lsGrad.get(j) + (inside ? dLogSigma[j] : 0.0));
            }
            lsGrad.hostWritten();
        }
        actor.backward(dMean, true, false);
        metrics.put("value_loss", lv / n);
        metrics.put("critic_loss", lq / n);
        metrics.put("actor_loss", lp / n);
        metrics.put("adv_weight_mean", wSum / n);
    }

    /** Adam steps for V, the critics and the actor (cosine learning rate), then the Polyak update of the targets. */
    void stepOptimizers() {
        vOpt.step();
        qOpt.step();
        Targets.soft(criticTargetParams, criticParams, cfg.tau);
        if (cfg.cosineActorLr && cfg.totalSteps > 0) {
            // CosineAnnealingLR(T_max = total steps, eta_min = 0), stepped after each optimizer step
            double frac = Math.min(1.0, (double) (updates - 1) / cfg.totalSteps);
            actorOpt.setLearningRate(Math.max(1e-12, cfg.actorLr * 0.5 * (1 + Math.cos(Math.PI * frac))));
        }
        actorOpt.step();
        metrics.put("actor_lr", actorOpt.learningRate());
    }

    /** The networks, for the reference test against PyTorch. */
    record Internals(Mlp actor, Param logStd, Mlp[] qs, Mlp[] qTargets, Mlp v) {
    }

    Internals internals() {
        return new Internals(actor, logStd, qs, qTargets, v);
    }

    /** The q-quantile of {@code v} (sorted in place), interpolating linearly between order statistics. */
    static double quantile(double[] v, double q) {
        java.util.Arrays.sort(v);
        return DatasetInfo.quantile(v, q);
    }

    @Override
    public double discount() {
        return cfg.discount;
    }

    @Override
    public Map<String, Object> hyperparameters() {
        // total_steps is the run's own step count (config.json's run section)
        return PolicyBundles.configValues(cfg, Map.of("total_steps", "", "ensemble", "q_ensemble",
                "quantile", "q_quantile"));
    }
}
