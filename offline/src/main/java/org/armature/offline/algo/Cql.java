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
import org.armature.nn.SquashedGaussianHead;
import org.armature.nn.Targets;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Conservative Q-Learning (Kumar et al., NeurIPS 2020), the CQL(H) variant on SAC with importance sampling, following
 * CORL {@code cql.py} (no Lagrange multiplier, no max-target backup, no entropy in the backup).
 *
 * <pre>
 *   α_ent:  L = −log α · E[log π(ã|s) + H̄],  H̄ = −|A|                                   (SAC, automatic entropy)
 *   actor:  L_π = E[α_ent log π(ã|s) − min_k Q_k(s, ã)],  ã ~ π(·|s) reparameterised
 *   critic: y = r + γ (1 − d) min_k Q'_k(s', a'),  a' ~ π(·|s')
 *           L_Q = Σ_k E[(Q_k(s,a) − y)²] + α_cql Σ_k E[ log Σ_{ã ∈ {unif, π(s), π(s')}} exp(Q_k(s, ã) − log ρ(ã))
 *                                                      − Q_k(s, a) ]                       (CQL Eq. 4, App. F)
 *   with N = 10 actions per source: uniform on [−1, 1]^|A| (ρ = 0.5^|A|), and π's samples at s and at s' (both
 *   evaluated at s, ρ = their detached density). Without importance sampling ({@code importance_sample=false})
 *   the set is the plain Q-values of those 3N actions plus the data action's, as in CORL.
 * </pre>
 * Rewards on Hopper arrive as CORL trains them, {@code 5 · r · 1000 / (return range) − 1}
 * ({@link Config#rewardTransform}); raw elsewhere.
 * The policy is a tanh-squashed Gaussian from the network core ({@link SquashedGaussianHead}). By default it uses
 * CleanRL's bounded log-std and PyTorch's default initialisation; {@code corl_log_std=true} switches to CORL's
 * learnable {@code clamp(m · raw + c, −20, 2)} (m = 1, c = −1 at the start, trained with the actor) and
 * {@code orthogonal_init=true} to CORL's {@code orthogonal_init} (hidden layers orthogonal with gain √2, last layers
 * gain 10⁻², zero biases, for the actor and both critics).
 */
public final class Cql extends TanhActorLearner {

    /** CORL cql.py defaults. */
    public record Config(int hidden, int criticLayers, int actorLayers, double policyLr, double qLr, double alphaLr,
                         double discount, double tau, double cqlAlpha, int cqlActions, double cqlTemperature,
                         boolean importanceSample, boolean corlLogStd, boolean orthogonalInit) {
        public static Config corl() {
            // qf_lr 3e-4, policy_lr 3e-5 (also the entropy-alpha lr), gamma 0.99, soft_target_update_rate 5e-3,
            // cql_alpha 10, cql_n_actions 10, cql_temp 1, cql_importance_sample True, 3x256 critics and actor;
            // the policy head and initialisation stay Armature's (see the class comment)
            return new Config(256, 3, 3, 3e-5, 3e-4, 3e-5, 0.99, 5e-3, 10.0, 10, 1.0, true, false, false);
        }

        /**
         * CORL's {@code normalize_reward} for CQL: on Hopper only ({@code configs/offline/cql/hopper/*.yaml};
         * HalfCheetah and Walker2d keep raw rewards), returns rescaled to span 1000, then {@code cql.py}'s
         * {@code r · reward_scale + reward_bias} with its TrainConfig defaults 5.0 and −1.0 (the Hopper yamls do not
         * override them).
         */
        public static OfflineAlgorithms.RewardTransform rewardTransform(String envId) {
            return OfflineAlgorithms.isHopper(envId) ? new OfflineAlgorithms.RewardTransform(true, 5.0, -1.0)
                    : OfflineAlgorithms.RewardTransform.NONE;
        }
    }

    private final Config cfg;
    private final int od;
    private final int ad;
    private final Mlp actor;
    private final SquashedGaussianHead head;
    private final Mlp q1;
    private final Mlp q2;
    private final Mlp q1Target;
    private final Mlp q2Target;
    private final Param logAlpha;
    private final ParamGroup actorParams;
    private final ParamGroup criticParams;
    private final ParamGroup criticTargetParams;
    private final ParamGroup alphaParams;
    private final Adam actorOpt;
    private final Adam criticOpt;
    private final Adam alphaOpt;
    private final Rng rng;
    private final double targetEntropy;
    private int rows = -1;
    private Mat nextA;
    private Mat nextSa;
    private Mat y;
    private Mat sRep;
    private Mat nextRep;
    private Mat randA;
    private Mat curA;
    private Mat nxtA;
    private double[] curLogp;
    private double[] nxtLogp;
    private Mat newSa;
    private Mat dQ1;
    private Mat dQ2;
    private Mat dA;
    private Mat dLogp;
    private Mat big;
    private Mat dBig;

    public Cql(int observationDim, int actionDim, Config cfg, long seed) {
        super("critic_td_loss", "cql_loss", "q_data", "actor_loss", "alpha", "log_pi");
        this.cfg = cfg;
        this.od = observationDim;
        this.ad = actionDim;
        this.rng = new Rng(Seeds.of(seed, "learner"));
        Rng init = new Rng(Seeds.of(seed, "init"));
        float[] lo = new float[ad];
        float[] hi = new float[ad];
        java.util.Arrays.fill(lo, -1f);
        java.util.Arrays.fill(hi, 1f);
        actor = Nets.mlp(od, cfg.hidden, cfg.actorLayers, 2 * ad, init);
        initPolicy(actor, ad, true);
        // CORL TanhGaussianPolicy(log_std_multiplier=1.0, log_std_offset=-1.0)
        head = cfg.corlLogStd ? SquashedGaussianHead.affineClamped(lo, hi, DataType.FLOAT, 1.0, -1.0)
                : new SquashedGaussianHead(lo, hi, DataType.FLOAT);
        q1 = Nets.mlp(od + ad, cfg.hidden, cfg.criticLayers, 1, init);
        q2 = Nets.mlp(od + ad, cfg.hidden, cfg.criticLayers, 1, init);
        q1Target = Nets.mlp(od + ad, cfg.hidden, cfg.criticLayers, 1, init);
        q2Target = Nets.mlp(od + ad, cfg.hidden, cfg.criticLayers, 1, init);
        if (cfg.orthogonalInit) {
            Nets.orthogonalInit(actor, init);
            Nets.orthogonalInit(q1, init);
            Nets.orthogonalInit(q2, init);
        }
        logAlpha = new Param("log_alpha", DataType.FLOAT, 1, 1); // CORL Scalar(0.0)
        List<Param> policyParams = new java.util.ArrayList<>(actor.params());
        policyParams.addAll(head.params()); // CORL's log_std_multiplier / log_std_offset are actor parameters
        actorParams = new ParamGroup(policyParams);
        criticParams = ParamGroup.of(q1.params(), q2.params());
        criticTargetParams = ParamGroup.of(q1Target.params(), q2Target.params());
        alphaParams = new ParamGroup(List.of(logAlpha));
        Targets.hard(criticTargetParams, criticParams);
        actorOpt = new Adam(actorParams, cfg.policyLr);
        criticOpt = new Adam(criticParams, cfg.qLr);
        alphaOpt = new Adam(alphaParams, cfg.alphaLr);
        targetEntropy = -ad; // CORL: -prod(action_space.shape)
    }

    private void buffers(int n) {
        if (rows == n) {
            return;
        }
        rows = n;
        int m = n * cfg.cqlActions;
        nextA = Nets.zeros(n, ad);
        nextSa = Nets.zeros(n, od + ad);
        y = Nets.zeros(n, 1);
        sRep = Nets.zeros(m, od);
        nextRep = Nets.zeros(m, od);
        randA = Nets.zeros(m, ad);
        curA = Nets.zeros(m, ad);
        nxtA = Nets.zeros(m, ad);
        curLogp = new double[m];
        nxtLogp = new double[m];
        newSa = Nets.zeros(n, od + ad);
        dQ1 = Nets.zeros(n, 1);
        dQ2 = Nets.zeros(n, 1);
        dA = Nets.zeros(n, ad);
        dLogp = Nets.zeros(n, 1);
        big = Nets.zeros(n + 3 * m, od + ad);
        dBig = Nets.zeros(n + 3 * m, 1);
    }

    @Override
    public LearnerState state() {
        return counterState().streams(rng).params(actorParams, criticParams, criticTargetParams, alphaParams)
                .optimisers(actorOpt, criticOpt, alphaOpt);
    }

    @Override
    public String algo() {
        return "cql";
    }

    /** Row {@code b * N + k} of {@code dst} = row b of {@code src}. */
    private void repeatRows(Mat src, Mat dst) {
        src.toHost();
        dst.toHost();
        int c = src.cols;
        int nRep = cfg.cqlActions;
        float[] row = new float[c];
        for (int r = 0; r < src.rows; r++) {
            src.get(r * c, row, 0, c);
            for (int k = 0; k < nRep; k++) {
                dst.put((r * nRep + k) * c, row, 0, c);
            }
        }
        dst.hostWritten();
    }

    /** Samples π(·|obs) (no gradient) into {@code actions} and {@code logp}. */
    private void samplePolicy(Mat obs, Mat actions, double[] logp) {
        Mat out = actor.forward(obs, false);
        Mat a = head.sample(out, rng, null);
        actions.copyFrom(a);
        if (logp != null) {
            Mat lp = head.lastLogProb().toHost();
            for (int i = 0; i < logp.length; i++) {
                logp[i] = lp.get(i);
            }
        }
    }

    /** Copies {@code [obs | act]} into rows {@code [row0, row0 + obs.rows)} of {@link #big}. */
    private void putRows(Mat obs, Mat act, int row0) {
        obs.toHost();
        act.toHost();
        float[] tmp = new float[od + ad];
        for (int r = 0; r < obs.rows; r++) {
            obs.get(r * od, tmp, 0, od);
            act.get(r * ad, tmp, od, ad);
            big.put((row0 + r) * (od + ad), tmp, 0, od + ad);
        }
    }

    @Override
    public void update(Batch b) {
        updates++;
        accumulateGradients(b);
        stepOptimizers();
    }

    /**
     * The gradients of the three losses (entropy temperature, actor, both critics) with respect to the parameters as
     * they are before this step, left in each {@link Param#grad()}: CORL computes every loss first and then steps
     * the optimisers, and none of the losses depends on a parameter another one updates.
     */
    void accumulateGradients(Batch b) {
        int n = b.size;
        int nRep = cfg.cqlActions;
        int m = n * nRep;
        buffers(n);

        // ---- no-gradient quantities: TD target and the CQL action samples (policy before this step's update) ----
        samplePolicy(b.nextObservations, nextA, null);
        Nets.concat(b.nextObservations, nextA, nextSa);
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
        repeatRows(b.observations, sRep);
        repeatRows(b.nextObservations, nextRep);
        for (int i = 0; i < m * ad; i++) {
            randA.set(i, 2 * rng.nextDouble() - 1);
        }
        randA.hostWritten();
        samplePolicy(sRep, curA, curLogp);
        samplePolicy(nextRep, nxtA, nxtLogp);

        // ---- entropy temperature and actor (SAC losses with the current critics) ----
        Mat out = actor.forward(b.observations, true);
        Mat newA = head.sample(out, rng, null);
        Mat logp = head.lastLogProb().toHost();
        double alpha = Math.exp(logAlpha.value().toHost().get(0));
        double logpMean = 0;
        for (int i = 0; i < n; i++) {
            logpMean += logp.get(i);
        }
        logpMean /= n;
        Nets.concat(b.observations, newA, newSa);
        Mat qa = q1.forward(newSa, false);
        Mat qb = q2.forward(newSa, false);
        qa.toHost();
        qb.toHost();
        double qMin = 0;
        for (int i = 0; i < n; i++) {
            boolean first = qa.get(i) <= qb.get(i);
            qMin += Math.min(qa.get(i), qb.get(i));
            dQ1.set(i, first ? -1.0 / n : 0.0);
            dQ2.set(i, first ? 0.0 : -1.0 / n);
            dLogp.set(i, alpha / n);
        }
        dQ1.hostWritten();
        dQ2.hostWritten();
        dLogp.hostWritten();
        Mat g1 = q1.backward(dQ1, false, true);
        Kernels.sliceColumns(g1, od, dA);
        Mat g2 = q2.backward(dQ2, false, true).toHost();
        dA.toHost();
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < ad; j++) {
                dA.set(r * ad + j, dA.get(r * ad + j) + g2.get(r * (od + ad) + od + j));
            }
        }
        dA.hostWritten();
        actor.backward(head.backward(dA, dLogp), true, false);
        Mat la = logAlpha.grad().toHost();
        la.set(0, la.get(0) - (logpMean + targetEntropy)); // d/dlogα of −logα·(E[log π] + H̄)
        la.hostWritten();

        // ---- critics: TD error + conservative penalty on one stacked batch ----
        putRows(b.observations, b.actions, 0);
        putRows(sRep, randA, n);
        putRows(sRep, curA, n + m);
        putRows(sRep, nxtA, n + 2 * m);
        big.hostWritten();
        double logRandomDensity = ad * Math.log(0.5);
        double tdLoss = 0;
        double cqlLoss = 0;
        double qData = 0;
        double temp = cfg.cqlTemperature;
        // without importance sampling CORL's set also holds Q(s, a) at the data action (cql.py's cql_cat_q)
        boolean withData = !cfg.importanceSample;
        double[] cat = new double[3 * nRep + (withData ? 1 : 0)];
        for (Mlp q : new Mlp[]{q1, q2}) {
            Mat pred = q.forward(big, true);
            pred.toHost();
            for (int r = 0; r < n; r++) {
                double qd = pred.get(r);
                double diff = qd - y.get(r);
                tdLoss += diff * diff / n;
                qData += qd / (2 * n);
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < nRep; k++) {
                    int i = r * nRep + k;
                    double qr = pred.get(n + i);
                    double qc = pred.get(n + m + i);
                    double qn = pred.get(n + 2 * m + i);
                    if (cfg.importanceSample) {
                        qr -= logRandomDensity;
                        qc -= curLogp[i];
                        qn -= nxtLogp[i];
                    }
                    cat[k] = qr / temp;
                    cat[nRep + k] = qn / temp;
                    cat[2 * nRep + k] = qc / temp;
                    max = Math.max(max, Math.max(cat[k], Math.max(cat[nRep + k], cat[2 * nRep + k])));
                }
                if (withData) {
                    cat[3 * nRep] = qd / temp;
                    max = Math.max(max, cat[3 * nRep]);
                }
                double sum = 0;
                for (double c : cat) {
                    sum += Math.exp(c - max);
                }
                double lse = (max + Math.log(sum)) * temp;
                cqlLoss += cfg.cqlAlpha * (lse - qd) / n;
                double scale = cfg.cqlAlpha / n;
                for (int k = 0; k < nRep; k++) {
                    int i = r * nRep + k;
                    dBig.set(n + i, scale * Math.exp(cat[k] - max) / sum);
                    dBig.set(n + 2 * m + i, scale * Math.exp(cat[nRep + k] - max) / sum);
                    dBig.set(n + m + i, scale * Math.exp(cat[2 * nRep + k] - max) / sum);
                }
                double dataInSet = withData ? scale * Math.exp(cat[3 * nRep] - max) / sum : 0.0;
                dBig.set(r, 2 * diff / n - scale + dataInSet);
            }
            dBig.hostWritten();
            q.backward(dBig, true, false);
        }
        metrics.put("critic_td_loss", tdLoss);
        metrics.put("cql_loss", cqlLoss);
        metrics.put("q_data", qData);
        metrics.put("actor_loss", alpha * logpMean - qMin / n);
        metrics.put("alpha", alpha);
        metrics.put("log_pi", logpMean);
    }

    /** One Adam step for the temperature, the actor and the critics, then the Polyak update of the target critics. */
    void stepOptimizers() {
        alphaOpt.step();
        actorOpt.step();
        criticOpt.step();
        Targets.soft(criticTargetParams, criticParams, cfg.tau);
    }

    /** The networks, the temperature and the random stream, for the reference test against PyTorch. */
    record Internals(Mlp actor, SquashedGaussianHead head, Mlp q1, Mlp q2, Mlp q1Target, Mlp q2Target,
                     Param logAlpha, Rng rng) {
    }

    Internals internals() {
        return new Internals(actor, head, q1, q2, q1Target, q2Target, logAlpha, rng);
    }

    @Override
    public double discount() {
        return cfg.discount;
    }

    /** CORL's learnt log-std {@code {multiplier, offset}}, or null for CleanRL's bounded map. */
    @Override
    public double[] logStdAffine() {
        return head.logStdAffine();
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> h = PolicyBundles.configValues(cfg, Map.of("cql_actions", "cql_n_actions"));
        h.put("target_entropy", targetEntropy);
        return h;
    }
}
