package org.armature.agents.residual;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.armature.agents.Agent;
import org.armature.agents.Batch;
import org.armature.agents.BundlePolicy;
import org.armature.agents.LearnerState;
import org.armature.agents.PolicyBundles;
import org.armature.agents.QNetwork;
import org.armature.agents.Seeds;
import org.armature.envs.BoxSpace;
import org.armature.nn.Adam;
import org.armature.nn.Kernels;
import org.armature.nn.Mat;
import org.armature.nn.Mlp;
import org.armature.nn.MlpSpec;
import org.armature.nn.Param;
import org.armature.nn.ParamGroup;
import org.armature.nn.ParamIO;
import org.armature.nn.Rng;
import org.armature.nn.Targets;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Residual off-policy RL on a frozen base policy: ResFiT (Ankile et al. 2025, "Residual Off-Policy RL for Finetuning
 * Behavior Cloning Policies"), TD3 with a critic ensemble. The agent's observation is {@code [obs, a_base]} (env
 * units, from {@link BaseActionObservation}); inside, observations are normalised with the base bundle's normaliser
 * and actions mapped to [−1, 1] by the action box ({@code s} = observation and base action so normalised):
 *
 * <pre>
 *   residual:  Δ = scale · tanh(f(s)),  f's last layer zero at the start (the policy starts exactly at the base)
 *   action:    a = clip(a_base + Δ [+ clip(N(0, σ²), −c, c) when exploring], −1, 1)
 *   critic:    y = r^(n) + γ^n (1 − d) min_{i,j random} Q'_i,j(o', a'),  a' = clip(a'_base + Δ'(s') + clip(ε, −c, c))
 *              (y clipped to [0, 1] for sparse binary rewards);  L_Q = 1/H Σ_h mean (Q_h(o, a) − y)²
 *   actor:     after criticWarmupUpdates critic-only updates, every policyFrequency-th update,
 *              L_f = −mean_b 1/H Σ_h Q_h(o, a(s)) + λ mean_b |Δ|²  (o: the observation part of s)
 * </pre>
 * The min over two random heads of the target ensemble is REDQ's target (Chen et al. 2021), as ResFiT; the actor
 * maximises the ensemble mean. As in ResFiT the critic sees the observation and the executed action, not the base
 * action: with it, a critic can tell demonstration rows (actions far from the base's) from online ones and push the
 * residual toward "looking like a demonstration" (measured: a saturated residual and falling success).
 */
public final class ResidualTd3 implements Agent {

    /**
     * Hyperparameters. Defaults are this machine's scaled-down ResFiT ({@code residual_td3.py}); the reference value
     * is in each comment.
     */
    public record Config(
            double residualScale,       // ResFiT action_scale 0.1 (0.2 on Coffee)
            int[] actorHidden,          // ResFiT 1024, 1024; here 256, 256
            int[] criticHidden,         // ResFiT 1024, 1024 with LayerNorm; here 256, 256
            int criticHeads,            // ResFiT 10 (target: min over 2 random); here 2
            boolean layerNorm,          // ResFiT: LayerNorm in the critic
            double gamma,               // 0.99
            double tau,                 // critic_target_tau 0.005 (actor target too)
            double actorLr,             // actor_lr 1e-6
            double criticLr,            // critic_lr 1e-4; here 3e-4 (a usable critic within this budget, measured)
            double weightDecay,         // torch AdamW's default 0.01 (ResFiT builds AdamW with defaults)
            double maxGradNorm,         // actor/critic grad clip norm 1.0
            double explorationNoise,    // stddev 0.05 (normalised action units), also the target smoothing noise
            double noiseClip,           // stddev_clip 0.3
            double warmupNoise,         // random_action_noise_scale 0.2: warm-up actions are base + U(−0.2, 0.2)
            int criticWarmupUpdates,    // critic_warmup_steps 10,000
            int policyFrequency,        // actor update every k-th update; 1
            boolean qTargetClip,        // ResFiT clip_q_target_to_reward_range: y in [0, 1] (sparse {0, 1} rewards)
            double actionL2             // action_l2_reg_weight 0; here 1 (without it the residual saturated at its
                                        // bound and success fell to 0 on PegInsertSparse, measured)
    ) {
        public static Config defaults() {
            return new Config(0.1, new int[]{256, 256}, new int[]{256, 256}, 2, true, 0.99, 0.005, 1e-6, 3e-4,
                    0.01, 1.0, 0.05, 0.3, 0.2, 10_000, 1, true, 1.0);
        }

        public Config withActorLr(double v) {
            return new Config(residualScale, actorHidden, criticHidden, criticHeads, layerNorm, gamma, tau, v,
                    criticLr, weightDecay, maxGradNorm, explorationNoise, noiseClip, warmupNoise, criticWarmupUpdates,
                    policyFrequency, qTargetClip, actionL2);
        }

        public Config withCriticLr(double v) {
            return new Config(residualScale, actorHidden, criticHidden, criticHeads, layerNorm, gamma, tau, actorLr,
                    v, weightDecay, maxGradNorm, explorationNoise, noiseClip, warmupNoise, criticWarmupUpdates,
                    policyFrequency, qTargetClip, actionL2);
        }

        public Config withCriticWarmupUpdates(int v) {
            return new Config(residualScale, actorHidden, criticHidden, criticHeads, layerNorm, gamma, tau, actorLr,
                    criticLr, weightDecay, maxGradNorm, explorationNoise, noiseClip, warmupNoise, v, policyFrequency,
                    qTargetClip, actionL2);
        }

        public Config withHidden(int[] actor, int[] critic, int heads) {
            return new Config(residualScale, actor, critic, heads, layerNorm, gamma, tau, actorLr, criticLr,
                    weightDecay, maxGradNorm, explorationNoise, noiseClip, warmupNoise, criticWarmupUpdates,
                    policyFrequency, qTargetClip, actionL2);
        }

        /** The first value that cannot work, as one line, or null. */
        public String problem() {
            if (!(residualScale > 0) || residualScale > 2) {
                return "residual.residual_scale must be in (0, 2] (normalised action units), got " + residualScale;
            }
            if (criticHeads < 2) {
                return "residual.critic_heads must be >= 2 (the target takes the min over two), got " + criticHeads;
            }
            if (!(gamma >= 0 && gamma <= 1) || !(tau > 0 && tau <= 1)) {
                return "residual.gamma must be in [0, 1] and residual.tau in (0, 1], got " + gamma + " / " + tau;
            }
            if (!(actorLr > 0) || !(criticLr > 0) || Double.isInfinite(actorLr) || Double.isInfinite(criticLr)) {
                return "residual.actor_lr and residual.critic_lr must be finite numbers > 0";
            }
            if (!(weightDecay >= 0) || !(maxGradNorm > 0) || !(explorationNoise >= 0) || !(noiseClip >= 0)
                    || !(warmupNoise >= 0) || !(actionL2 >= 0)) {
                return "residual.weight_decay, exploration_noise, noise_clip, warmup_noise and action_l2 must be >= 0, "
                        + "max_grad_norm > 0";
            }
            if (criticWarmupUpdates < 0 || policyFrequency < 1) {
                return "residual.critic_warmup_updates must be >= 0 and residual.policy_frequency >= 1";
            }
            if (actorHidden == null || actorHidden.length == 0 || criticHidden == null || criticHidden.length == 0) {
                return "residual.actor_hidden and residual.critic_hidden need at least one layer, e.g. [256,256]";
            }
            return null;
        }
    }

    private static final String[] STATS = {"critic_loss", "actor_loss", "q_mean", "residual_abs_mean"};

    private final Config cfg;
    private final int obsDim;
    private final int actDim;
    private final int inDim;
    private final DataType dtype = DataType.FLOAT;
    private final PolicyBundles.Normalization obsNorm;
    private final float[] center;
    private final float[] half;
    private final Rng rng;
    private final Mlp actor;
    private final Mlp actorTarget;
    private final QNetwork[] critics;
    private final QNetwork[] targets;
    private final ParamGroup actorParams;
    private final ParamGroup actorTargetParams;
    private final ParamGroup criticParams;
    private final ParamGroup criticTargetParams;
    private final Adam actorOpt;
    private final Adam criticOpt;
    private final float[] fastIn;
    private final float[] fastOut;
    private final double[] stats = new double[STATS.length];
    private final double[] sums = new double[2];
    private long updates;
    // batch buffers
    private Mat s;
    private Mat sNext;
    private Mat o;
    private Mat oNext;
    private Mat act;
    private Mat nextAct;
    private Mat target;
    private Mat dq;
    private Mat dU;
    private Mat residual;
    private Mat aPolicy;

    /**
     * @param obsDim    the env's observation size (the agent's input is {@code obsDim + actionDim} wide)
     * @param actionBox the env's action box (bounded)
     * @param obsNorm   the base bundle's observation normaliser, or null (raw observations)
     */
    public ResidualTd3(int obsDim, BoxSpace actionBox, PolicyBundles.Normalization obsNorm, Config cfg, long seed) {
        String p = cfg.problem();
        if (p != null) {
            throw new IllegalArgumentException(p);
        }
        if (!actionBox.isBounded()) {
            throw new IllegalArgumentException("residual RL needs a bounded action space");
        }
        this.cfg = cfg;
        this.obsDim = obsDim;
        this.actDim = actionBox.low().length;
        this.inDim = obsDim + actDim;
        this.obsNorm = obsNorm;
        this.center = new float[actDim];
        this.half = new float[actDim];
        for (int j = 0; j < actDim; j++) {
            center[j] = (actionBox.high(j) + actionBox.low(j)) / 2f;
            half[j] = (actionBox.high(j) - actionBox.low(j)) / 2f;
        }
        Rng init = new Rng(Seeds.of(seed, "init"));
        this.rng = new Rng(Seeds.of(seed, "learner"));
        MlpSpec as = new MlpSpec(inDim, cfg.actorHidden(), actDim, "relu", false, 0.0);
        this.actor = Mlp.build(as, dtype, init);
        zeroLastLayer(actor); // ResFiT actor_last_layer_init_scale 0: the policy starts exactly at the base
        this.actorTarget = Mlp.build(as, dtype, init);
        this.critics = new QNetwork[cfg.criticHeads()];
        this.targets = new QNetwork[cfg.criticHeads()];
        List<List<Param>> cp = new ArrayList<>();
        List<List<Param>> tp = new ArrayList<>();
        for (int h = 0; h < critics.length; h++) {
            critics[h] = new QNetwork(obsDim, actDim, cfg.criticHidden(), "relu", cfg.layerNorm(), 0.0, dtype, init);
            targets[h] = new QNetwork(obsDim, actDim, cfg.criticHidden(), "relu", cfg.layerNorm(), 0.0, dtype, init);
            cp.add(critics[h].params());
            tp.add(targets[h].params());
        }
        this.actorParams = new ParamGroup(actor.params());
        this.actorTargetParams = new ParamGroup(actorTarget.params());
        this.criticParams = ParamGroup.of(cp.toArray(List[]::new));
        this.criticTargetParams = ParamGroup.of(tp.toArray(List[]::new));
        Targets.hard(actorTargetParams, actorParams);
        Targets.hard(criticTargetParams, criticParams);
        this.actorOpt = new Adam(actorParams, cfg.actorLr(), cfg.weightDecay(), cfg.maxGradNorm());
        this.criticOpt = new Adam(criticParams, cfg.criticLr(), cfg.weightDecay(), cfg.maxGradNorm());
        this.fastIn = new float[inDim];
        this.fastOut = new float[actDim];
        java.util.Arrays.fill(stats, Double.NaN);
    }

    private static void zeroLastLayer(Mlp mlp) {
        List<Param> ps = mlp.params();
        for (int i = ps.size() - 2; i < ps.size(); i++) { // weight and bias of the output layer
            ps.get(i).value().fill(0.0);
        }
    }

    @Override
    public String algo() {
        return "residual_td3";
    }

    public Config config() {
        return cfg;
    }

    // ---- acting (batch 1, no allocation) ----

    /** Writes the normalised network input of one agent observation {@code [obs, a_base]} into {@link #fastIn}. */
    private void input(float[] x) {
        for (int i = 0; i < obsDim; i++) {
            fastIn[i] = (float) BundlePolicy.normalize(obsNorm, i, x[i]);
        }
        for (int j = 0; j < actDim; j++) {
            fastIn[obsDim + j] = (x[obsDim + j] - center[j]) / half[j];
        }
    }

    @Override
    public void act(float[] observation, float[] out) {
        input(observation);
        actor.acting().forward(fastIn, fastOut);
        for (int j = 0; j < actDim; j++) {
            double a = fastIn[obsDim + j] + cfg.residualScale() * Kernels.tanh(fastOut[j]);
            out[j] = envUnits(j, a);
        }
    }

    /** a = clip(a_base + Δ + clip(N(0, σ²), −c, c), −1, 1), in env units. */
    @Override
    public void explore(float[] observation, float[] out) {
        input(observation);
        actor.acting().forward(fastIn, fastOut);
        for (int j = 0; j < actDim; j++) {
            double eps = Math.max(-cfg.noiseClip(), Math.min(cfg.noiseClip(), rng.nextGaussian()
                    * cfg.explorationNoise()));
            double a = fastIn[obsDim + j] + cfg.residualScale() * Kernels.tanh(fastOut[j]) + eps;
            out[j] = envUnits(j, a);
        }
    }

    /** Warm-up (before learning starts): the base's action plus U(−w, w) noise, from the loop's stream. */
    @Override
    public void warmupAction(float[] observation, BoxSpace box, Rng loopRng, float[] out) {
        for (int j = 0; j < actDim; j++) {
            double b = (observation[obsDim + j] - center[j]) / half[j];
            double a = b + cfg.warmupNoise() * (2 * loopRng.nextDouble() - 1);
            out[j] = envUnits(j, a);
        }
    }

    private float envUnits(int j, double normalised) {
        return (float) (Math.max(-1.0, Math.min(1.0, normalised)) * half[j] + center[j]);
    }

    // ---- updates ----

    private void ensureBuffers(int b) {
        if (s == null || s.rows != b) {
            s = Mat.zeros(dtype, b, inDim);
            sNext = Mat.zeros(dtype, b, inDim);
            o = Mat.zeros(dtype, b, obsDim);
            oNext = Mat.zeros(dtype, b, obsDim);
            act = Mat.zeros(dtype, b, actDim);
            nextAct = Mat.zeros(dtype, b, actDim);
            target = Mat.zeros(dtype, b, 1);
            dq = Mat.zeros(dtype, b, 1);
            dU = Mat.zeros(dtype, b, actDim);
            residual = Mat.zeros(dtype, b, actDim);
            aPolicy = Mat.zeros(dtype, b, actDim);
        }
    }

    /**
     * Normalises a batch of agent observations {@code [obs, a_base]} into {@code dst} (the actor's input) and the
     * observation part alone into {@code obsOnly} (the critic's).
     */
    private void normaliseObservations(Mat src, Mat dst, Mat obsOnly) {
        src.toHost();
        int b = src.rows;
        for (int r = 0; r < b; r++) {
            int row = r * inDim;
            for (int i = 0; i < obsDim; i++) {
                double v = BundlePolicy.normalize(obsNorm, i, src.get(row + i));
                dst.set(row + i, v);
                obsOnly.set(r * obsDim + i, v);
            }
            for (int j = 0; j < actDim; j++) {
                dst.set(row + obsDim + j, (src.get(row + obsDim + j) - center[j]) / half[j]);
            }
        }
        dst.hostWritten();
        obsOnly.hostWritten();
    }

    @Override
    public void update(Batch batch) {
        int b = batch.size;
        ensureBuffers(b);
        normaliseObservations(batch.observations, s, o);
        normaliseObservations(batch.nextObservations, sNext, oNext);
        Mat ba = batch.actions.toHost();
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < actDim; j++) {
                int k = r * actDim + j;
                act.set(k, Math.max(-1.0, Math.min(1.0, (ba.get(k) - center[j]) / half[j])));
            }
        }
        act.hostWritten();
        criticUpdate(batch);
        if (updates >= cfg.criticWarmupUpdates() && updates % cfg.policyFrequency() == 0) {
            actorUpdate();
            Targets.soft(actorTargetParams, actorParams, cfg.tau());
            actor.weightsChanged();
        }
        Targets.soft(criticTargetParams, criticParams, cfg.tau());
        updates++;
    }

    private void criticUpdate(Batch batch) {
        int b = batch.size;
        // a' = clip(a'_base + Δ'(s') + clip(ε, −c, c), −1, 1) with the target actor (TD3's target smoothing)
        Mat u = actorTarget.forward(sNext, false).toHost();
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < actDim; j++) {
                int k = r * actDim + j;
                double eps = Math.max(-cfg.noiseClip(), Math.min(cfg.noiseClip(), rng.nextGaussian()
                        * cfg.explorationNoise()));
                double a = sNext.get(r * inDim + obsDim + j) + cfg.residualScale() * Math.tanh(u.get(k)) + eps;
                nextAct.set(k, Math.max(-1.0, Math.min(1.0, a)));
            }
        }
        nextAct.hostWritten();
        // two distinct random heads of the target ensemble (REDQ)
        int h1 = rng.nextInt(targets.length);
        int h2 = rng.nextInt(targets.length - 1);
        if (h2 >= h1) {
            h2++;
        }
        Mat q1 = targets[h1].forward(oNext, nextAct, false).toHost();
        for (int r = 0; r < b; r++) {
            target.set(r, q1.get(r));
        }
        Mat q2 = targets[h2].forward(oNext, nextAct, false).toHost();
        Mat rew = batch.rewards.toHost();
        Mat disc = batch.discounts.toHost();
        for (int r = 0; r < b; r++) {
            double y = rew.get(r) + disc.get(r) * Math.min(target.get(r), q2.get(r));
            if (cfg.qTargetClip()) {
                y = Math.max(0.0, Math.min(1.0, y));
            }
            target.set(r, y);
        }
        target.hostWritten();
        double n = (double) b * critics.length;
        java.util.Arrays.fill(sums, 0.0);
        for (QNetwork q : critics) {
            q.regress(o, act, target, dq, n, sums);
        }
        criticOpt.step();
        stats[0] = sums[0] / n;
        stats[2] = sums[1] / n;
    }

    private void actorUpdate() {
        int b = s.rows;
        Mat u = actor.forward(s, true).toHost();
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < actDim; j++) {
                int k = r * actDim + j;
                double d = cfg.residualScale() * Math.tanh(u.get(k));
                residual.set(k, d);
                aPolicy.set(k, Math.max(-1.0, Math.min(1.0, s.get(r * inDim + obsDim + j) + d)));
            }
        }
        residual.hostWritten();
        aPolicy.hostWritten();
        int heads = critics.length;
        dU.fill(0.0);
        double qSum = 0;
        for (QNetwork q : critics) {
            Mat v = q.forward(o, aPolicy, false).toHost();
            for (int r = 0; r < b; r++) {
                qSum += v.get(r);
                dq.set(r, -1.0 / ((double) b * heads));
            }
            dq.hostWritten();
            Mat dA = q.backward(dq, false, true).toHost();
            for (int i = 0; i < dU.length(); i++) {
                dU.set(i, dU.get(i) + dA.get(i));
            }
        }
        double l2 = 0;
        double absSum = 0;
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < actDim; j++) {
                int k = r * actDim + j;
                double d = residual.get(k);
                double pre = s.get(r * inDim + obsDim + j) + d;
                double dd = pre > -1.0 && pre < 1.0 ? dU.get(k) : 0.0; // clip passes no gradient where it clips
                dd += 2.0 * cfg.actionL2() * d / b;
                l2 += d * d;
                absSum += Math.abs(d);
                double t = d / cfg.residualScale();
                dU.set(k, dd * cfg.residualScale() * (1 - t * t)); // through Δ = scale · tanh(u)
            }
        }
        dU.hostWritten();
        actor.backward(dU, true, false);
        actorOpt.step();
        stats[1] = -qSum / ((double) b * heads) + cfg.actionL2() * l2 / b;
        stats[3] = absSum / ((double) b * actDim);
    }

    @Override
    public double discount() {
        return cfg.gamma();
    }

    @Override
    public String[] statNames() {
        return STATS.clone();
    }

    @Override
    public void stats(double[] out) {
        System.arraycopy(stats, 0, out, 0, out.length);
    }

    @Override
    public long updates() {
        return updates;
    }

    @Override
    public LearnerState state() {
        return LearnerState.of(algo(), () -> updates, n -> updates = n).streams(rng)
                .params(actorParams, actorTargetParams, criticParams, criticTargetParams)
                .optimisers(actorOpt, criticOpt).onRestore(actor::weightsChanged);
    }

    /**
     * The residual network: input {@code [normalised obs, base action in [−1, 1]]}, output pre-tanh; the composite
     * bundle ({@code composition: residual}) runs it on top of its base as {@link org.armature.agents.ResidualPolicy}.
     */
    @Override
    public PolicyBundles.Network exportPolicy(Path bundleDir) throws IOException {
        ParamIO.write(bundleDir.resolve("residual.params"), actor.params());
        return new PolicyBundles.Network(PolicyBundles.DETERMINISTIC_TANH, actor.layerSpecs(), "residual.params");
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("residual_scale", cfg.residualScale());
        m.put("critic_heads", cfg.criticHeads());
        m.put("actor_lr", cfg.actorLr());
        m.put("critic_lr", cfg.criticLr());
        return m;
    }
}
