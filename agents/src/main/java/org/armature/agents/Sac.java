package org.armature.agents;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.armature.nn.Adam;
import org.armature.nn.Mat;
import org.armature.nn.Mlp;
import org.armature.nn.MlpSpec;
import org.armature.nn.Param;
import org.armature.nn.ParamGroup;
import org.armature.nn.ParamIO;
import org.armature.nn.Rng;
import org.armature.nn.SquashedGaussianHead;
import org.armature.nn.Targets;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Soft Actor-Critic with twin critics and automatic entropy tuning (Haarnoja et al. 2018, "Soft Actor-Critic
 * Algorithms and Applications", Algorithm 1), following CleanRL's sac_continuous_action.py:
 *
 * <pre>
 *   critic:  y = r + gamma_k * (min_i Q'_i(s', a') - alpha log pi(a'|s')),  a' ~ pi(.|s')          (Eq. 3, 5)
 *            L_Q = sum_i mean (Q_i(s, a) - y)^2
 *   actor:   L_pi = mean (alpha log pi(a~|s) - min_i Q_i(s, a~)),  a~ = reparameterised sample   (Eq. 7, 11)
 *   alpha:   L_alpha = mean (-alpha (log pi(a~|s) + target_entropy)),  target_entropy = -|A|       (Eq. 18)
 *   targets: Q'_i <- tau Q_i + (1 - tau) Q'_i
 * </pre>
 * {@code gamma_k} is the batch's discount ({@code gamma^k (1 - terminated)}), so time-outs bootstrap and n-step
 * samplers work unchanged. The temperature loss reuses the actor step's log-probabilities (detached) instead of a
 * second actor forward (same expectation, one forward less).
 */
public final class Sac implements Agent {

    /** SAC hyperparameters; defaults are CleanRL sac_continuous_action.py's unless noted. */
    public record Config(
            int[] actorHidden,            // CleanRL Actor: 256, 256
            int[] criticHidden,           // CleanRL SoftQNetwork: 256, 256
            String activation,            // CleanRL: ReLU
            boolean criticLayerNorm,      // off (DroQ/RLPD turn it on for high update-to-data ratios)
            double criticDropout,         // 0 (DroQ, Hiraoka et al. 2022: 0.01)
            double gamma,                 // CleanRL --gamma 0.99
            double tau,                   // CleanRL --tau 0.005
            double policyLr,              // CleanRL --policy-lr 3e-4
            double qLr,                   // CleanRL --q-lr 1e-3 (also the temperature's learning rate)
            int policyFrequency,          // CleanRL --policy-frequency 2 (then 2 actor steps: same actor/critic ratio)
            int targetNetworkFrequency,   // CleanRL --target-network-frequency 1
            boolean autotune,             // CleanRL --autotune True
            double alpha,                 // CleanRL --alpha 0.2 (initial/fixed temperature; autotune starts at 1)
            double targetEntropyScale,    // target entropy = scale * |A|; SAC paper: -1
            double maxGradNorm            // off (infinity): CleanRL does not clip
    ) {
        public static Config cleanRl() {
            return new Config(new int[]{256, 256}, new int[]{256, 256}, "relu", false, 0.0, 0.99, 0.005, 3e-4,
                    1e-3, 2, 1, true, 0.2, -1.0, Double.POSITIVE_INFINITY);
        }

        /** A critic of these widths, activation, layer norm and dropout (SAC's four, SRL's). */
        public QNetwork critic(int obsDim, int actDim, DataType dtype, Rng init) {
            return new QNetwork(obsDim, actDim, criticHidden, activation, criticLayerNorm, criticDropout, dtype, init);
        }
    }

    private static final String[] STATS = {"critic_loss", "actor_loss", "alpha", "alpha_loss", "entropy", "q_mean"};

    private final Config cfg;
    private final int actDim;
    private final DataType dtype;
    private final Rng rng;
    private final Mlp actor;
    private final SquashedGaussianHead head;
    private final SquashedGaussianHead targetHead;
    private final QNetwork q1;
    private final QNetwork q2;
    private final QNetwork q1Target;
    private final QNetwork q2Target;
    private final ParamGroup actorParams;
    private final ParamGroup criticParams;
    private final ParamGroup criticTargetParams;
    private final ParamGroup logAlphaParams;
    private final Param logAlpha;
    private final Adam actorOpt;
    private final Adam criticOpt;
    private final Adam alphaOpt;
    private final double targetEntropy;
    private final float[] fastOut;
    private long updates;
    private final double[] stats = new double[STATS.length];
    private final double[] sums = new double[2];
    // preallocated per-batch buffers
    private Mat target;
    private Mat dq1;
    private Mat dq2;
    private Mat dAction;
    private Mat dLogProb;

    public Sac(int obsDim, float[] actionLow, float[] actionHigh, Config cfg, long seed) {
        this(obsDim, actionLow, actionHigh, cfg, seed, DataType.FLOAT);
    }

    public Sac(int obsDim, float[] actionLow, float[] actionHigh, Config cfg, long seed, DataType dtype) {
        this.cfg = cfg;
        this.actDim = actionLow.length;
        this.dtype = dtype;
        Rng init = new Rng(Seeds.of(seed, "init"));
        this.rng = new Rng(Seeds.of(seed, "learner"));
        this.actor = Mlp.build(new MlpSpec(obsDim, cfg.actorHidden(), 2 * actDim, cfg.activation(), false, 0.0),
                dtype, init);
        this.head = new SquashedGaussianHead(actionLow, actionHigh, dtype);
        this.targetHead = new SquashedGaussianHead(actionLow, actionHigh, dtype);
        this.q1 = cfg.critic(obsDim, actDim, dtype, init);
        this.q2 = cfg.critic(obsDim, actDim, dtype, init);
        this.q1Target = cfg.critic(obsDim, actDim, dtype, init);
        this.q2Target = cfg.critic(obsDim, actDim, dtype, init);
        this.actorParams = new ParamGroup(actor.params());
        this.criticParams = ParamGroup.of(q1.params(), q2.params());
        this.criticTargetParams = ParamGroup.of(q1Target.params(), q2Target.params());
        Targets.hard(criticTargetParams, criticParams);
        this.logAlpha = new Param("log_alpha", dtype, 1, 1);
        logAlpha.value().set(0, cfg.autotune() ? 0.0 : Math.log(cfg.alpha())); // CleanRL: log_alpha = zeros(1)
        logAlpha.value().hostWritten();
        this.logAlphaParams = new ParamGroup(List.of(logAlpha));
        this.actorOpt = new Adam(actorParams, cfg.policyLr(), 0.0, cfg.maxGradNorm());
        this.criticOpt = new Adam(criticParams, cfg.qLr(), 0.0, cfg.maxGradNorm());
        this.alphaOpt = new Adam(logAlphaParams, cfg.qLr());
        this.targetEntropy = cfg.targetEntropyScale() * actDim;
        this.fastOut = new float[2 * actDim];
        java.util.Arrays.fill(stats, Double.NaN);
    }

    @Override
    public String algo() {
        return "sac";
    }

    public double alpha() {
        return Math.exp(logAlpha.value().get(0));
    }

    @Override
    public void explore(float[] observation, float[] out) {
        actor.acting().forward(observation, fastOut);
        head.sample(fastOut, rng, out);
    }

    @Override
    public void act(float[] observation, float[] out) {
        actor.acting().forward(observation, fastOut);
        head.deterministic(fastOut, out);
    }

    private void ensureBuffers(int b) {
        if (target == null || target.rows != b) {
            target = Mat.zeros(dtype, b, 1);
            dq1 = Mat.zeros(dtype, b, 1);
            dq2 = Mat.zeros(dtype, b, 1);
            dAction = Mat.zeros(dtype, b, actDim);
            dLogProb = Mat.zeros(dtype, b, 1);
        }
    }

    @Override
    public void update(Batch batch) {
        computeCriticGradients(batch, null);
        criticOpt.step();
        if (updates % cfg.policyFrequency() == 0) {
            for (int k = 0; k < cfg.policyFrequency(); k++) {
                updateActorAndAlpha(batch.observations, null);
            }
            actor.weightsChanged();
        }
        if (updates % cfg.targetNetworkFrequency() == 0) {
            Targets.soft(criticTargetParams, criticParams, cfg.tau());
        }
        updates++;
    }

    /**
     * Fills the critic parameter gradients of L_Q for the batch (no step); returns L_Q. {@code fixedEps} (tests)
     * replaces the next-action noise.
     */
    double computeCriticGradients(Batch batch, Mat fixedEps) {
        int b = batch.size;
        ensureBuffers(b);
        double alpha = alpha();
        // y = r + gamma_k (min Q'(s', a') - alpha log pi(a'|s'))
        Mat nextOut = actor.forward(batch.nextObservations, false);
        Mat nextAct = targetHead.sample(nextOut, rng, fixedEps);
        Mat nextLogp = targetHead.lastLogProb();
        Mat t1 = q1Target.forward(batch.nextObservations, nextAct, false);
        Mat t2 = q2Target.forward(batch.nextObservations, nextAct, false);
        Mat r = batch.rewards.toHost();
        Mat disc = batch.discounts.toHost();
        t1.toHost();
        t2.toHost();
        nextLogp.toHost();
        for (int i = 0; i < b; i++) {
            double minQ = Math.min(t1.get(i), t2.get(i));
            target.set(i, r.get(i) + disc.get(i) * (minQ - alpha * nextLogp.get(i)));
        }
        target.hostWritten();
        // L_Q = mean (Q1 - y)^2 + mean (Q2 - y)^2
        java.util.Arrays.fill(sums, 0.0);
        q1.regress(batch.observations, batch.actions, target, dq1, b, sums);
        stats[5] = sums[1] / b;
        q2.regress(batch.observations, batch.actions, target, dq2, b, sums);
        stats[0] = sums[0] / b;
        return stats[0];
    }

    /** Actor and temperature step from the observations. */
    void updateActorAndAlpha(Mat observations, Mat fixedEps) {
        double meanLogp = computeActorGradients(observations, fixedEps);
        actorOpt.step();
        if (cfg.autotune()) {
            // L_alpha = mean(-alpha (log pi + target_entropy)); d/d log_alpha = -alpha (mean log pi + H_target)
            double alpha = alpha();
            logAlpha.grad().set(0, -alpha * (meanLogp + targetEntropy));
            logAlpha.grad().hostWritten();
            stats[3] = -alpha * (meanLogp + targetEntropy);
            alphaOpt.step();
        }
        stats[2] = alpha();
        stats[4] = -meanLogp;
    }

    /** Fills the actor parameter gradients of L_pi (no step); returns mean log pi. Critic grads untouched. */
    double computeActorGradients(Mat observations, Mat fixedEps) {
        int b = observations.rows;
        ensureBuffers(b);
        double alpha = alpha();
        Mat out = actor.forward(observations, true);
        Mat pi = head.sample(out, rng, fixedEps);
        Mat logp = head.lastLogProb().toHost();
        double[] sums = QNetwork.softActorGradients(q1, q2, observations, pi, logp, alpha, dq1, dq2, dLogProb,
                dAction);
        Mat dOut = head.backward(dAction, dLogProb);
        actor.backward(dOut, true, false);
        stats[1] = sums[0] / b;
        return sums[1] / b;
    }

    ParamGroup actorParams() {
        return actorParams;
    }

    ParamGroup criticParams() {
        return criticParams;
    }

    @Override
    public String[] statNames() {
        return STATS.clone();
    }

    @Override
    public void stats(double[] out) {
        System.arraycopy(stats, 0, out, 0, stats.length);
    }

    @Override
    public long updates() {
        return updates;
    }

    @Override
    public LearnerState state() {
        return LearnerState.of("sac", () -> updates, n -> updates = n).streams(rng)
                .params(actorParams, criticParams, criticTargetParams, logAlphaParams).optimisers(actorOpt, criticOpt, alphaOpt)
                .policy(actorParams)
                .onRestore(actor::weightsChanged);
    }

    @Override
    public double discount() {
        return cfg.gamma();
    }

    @Override
    public PolicyBundles.Network exportPolicy(Path bundleDir) throws IOException {
        ParamIO.write(bundleDir.resolve("actor.params"), actor.params());
        return new PolicyBundles.Network(PolicyBundles.SQUASHED_GAUSSIAN, actor.layerSpecs(), "actor.params");
    }
}
