package org.armature.agents;

import java.io.IOException;
import java.nio.file.Path;

import org.armature.nn.Adam;
import org.armature.nn.DeterministicHead;
import org.armature.nn.Mat;
import org.armature.nn.Mlp;
import org.armature.nn.MlpSpec;
import org.armature.nn.ParamGroup;
import org.armature.nn.ParamIO;
import org.armature.nn.Rng;
import org.armature.nn.Targets;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Twin Delayed DDPG (Fujimoto, van Hoof &amp; Meger 2018, Algorithm 1), following CleanRL's
 * td3_continuous_action.py:
 *
 * <pre>
 *   target smoothing: a' = clip(mu'(s') + clip(N(0, sigma~), -c, c) * scale, low, high)
 *   critic:  y = r + gamma_k min_i Q'_i(s', a');   L_Q = sum_i mean (Q_i(s, a) - y)^2
 *   actor (every d-th update): L_mu = -mean Q_1(s, mu(s)); then Polyak updates of mu', Q'_1, Q'_2
 * </pre>
 * With {@link #withBehaviourCloning(double)} it is the core of TD3+BC (Fujimoto &amp; Gu 2021, Eq. 3 and 5):
 * {@code L_mu = -lambda mean Q_1(s, mu(s)) + mean (mu(s) - a)^2}, {@code lambda = alpha / mean |Q_1(s, mu(s))|}
 * (no gradient through lambda), the actions {@code a} of the batch.
 */
public final class Td3 implements Agent {

    /** TD3 hyperparameters; defaults are CleanRL td3_continuous_action.py's. */
    public record Config(
            int[] actorHidden,          // CleanRL Actor: 256, 256
            int[] criticHidden,         // CleanRL QNetwork: 256, 256
            String activation,          // ReLU
            double gamma,               // --gamma 0.99
            double tau,                 // --tau 0.005
            double learningRate,        // --learning-rate 3e-4 (actor and critics)
            double policyNoise,         // --policy-noise 0.2 (target smoothing std, in units of the action scale)
            double noiseClip,           // --noise-clip 0.5
            double explorationNoise,    // --exploration-noise 0.1 (in units of the action scale)
            int policyFrequency,        // --policy-frequency 2
            double maxGradNorm          // off (infinity)
    ) {
        public static Config cleanRl() {
            return new Config(new int[]{256, 256}, new int[]{256, 256}, "relu", 0.99, 0.005, 3e-4, 0.2, 0.5, 0.1, 2,
                    Double.POSITIVE_INFINITY);
        }
    }

    private static final String[] STATS = {"critic_loss", "actor_loss", "q_mean"};
    private static final String[] BC_STATS = {"critic_loss", "actor_loss", "q_mean", "bc_loss", "q_pi"};

    private final Config cfg;
    private final int actDim;
    private final DataType dtype;
    private final Rng rng;
    private final Mlp actor;
    private final Mlp actorTarget;
    private final DeterministicHead head;
    private final DeterministicHead targetHead;
    private final QNetwork q1;
    private final QNetwork q2;
    private final QNetwork q1Target;
    private final QNetwork q2Target;
    private final ParamGroup actorParams;
    private final ParamGroup actorTargetParams;
    private final ParamGroup criticParams;
    private final ParamGroup criticTargetParams;
    private final Adam actorOpt;
    private final Adam criticOpt;
    private final float[] fastOut;
    private final float[] low;
    private final float[] high;
    private long updates;
    private final double[] stats = new double[BC_STATS.length];
    private final double[] sums = new double[2];
    /** TD3+BC's alpha; NaN for plain TD3. */
    private double bcAlpha = Double.NaN;
    private String tag = "td3";
    private Mat target;
    private Mat dq;
    private Mat nextAct;

    public Td3(int obsDim, float[] actionLow, float[] actionHigh, Config cfg, long seed) {
        this(obsDim, actionLow, actionHigh, cfg, seed, DataType.FLOAT);
    }

    public Td3(int obsDim, float[] actionLow, float[] actionHigh, Config cfg, long seed, DataType dtype) {
        this.cfg = cfg;
        this.actDim = actionLow.length;
        this.dtype = dtype;
        this.low = actionLow.clone();
        this.high = actionHigh.clone();
        Rng init = new Rng(Seeds.of(seed, "init"));
        this.rng = new Rng(Seeds.of(seed, "learner"));
        MlpSpec as = new MlpSpec(obsDim, cfg.actorHidden(), actDim, cfg.activation(), false, 0.0);
        this.actor = Mlp.build(as, dtype, init);
        this.actorTarget = Mlp.build(as, dtype, init);
        this.head = new DeterministicHead(actionLow, actionHigh, dtype);
        this.targetHead = new DeterministicHead(actionLow, actionHigh, dtype);
        this.q1 = new QNetwork(obsDim, actDim, cfg.criticHidden(), cfg.activation(), false, 0.0, dtype, init);
        this.q2 = new QNetwork(obsDim, actDim, cfg.criticHidden(), cfg.activation(), false, 0.0, dtype, init);
        this.q1Target = new QNetwork(obsDim, actDim, cfg.criticHidden(), cfg.activation(), false, 0.0, dtype, init);
        this.q2Target = new QNetwork(obsDim, actDim, cfg.criticHidden(), cfg.activation(), false, 0.0, dtype, init);
        this.actorParams = new ParamGroup(actor.params());
        this.actorTargetParams = new ParamGroup(actorTarget.params());
        this.criticParams = ParamGroup.of(q1.params(), q2.params());
        this.criticTargetParams = ParamGroup.of(q1Target.params(), q2Target.params());
        Targets.hard(actorTargetParams, actorParams);
        Targets.hard(criticTargetParams, criticParams);
        this.actorOpt = new Adam(actorParams, cfg.learningRate(), 0.0, cfg.maxGradNorm());
        this.criticOpt = new Adam(criticParams, cfg.learningRate(), 0.0, cfg.maxGradNorm());
        this.fastOut = new float[actDim];
        java.util.Arrays.fill(stats, Double.NaN);
    }

    @Override
    public String algo() {
        return tag;
    }

    /**
     * Adds TD3+BC's behaviour-cloning term to the actor loss (weight {@code alpha}: CORL 2.5) and tags the learner
     * {@code td3bc}; the critic update is TD3's. Call before training.
     */
    public Td3 withBehaviourCloning(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("TD3+BC alpha must be a finite number > 0, got " + alpha);
        }
        this.bcAlpha = alpha;
        this.tag = "td3bc";
        return this;
    }

    /** Sets the critic's learning rate apart from the actor's (TD3+BC configures them separately). */
    public Td3 withCriticLearningRate(double lr) {
        criticOpt.setLearningRate(lr);
        return this;
    }

    /** The networks and the learner's random stream (reference tests against PyTorch). */
    public record Networks(Mlp actor, Mlp actorTarget, QNetwork q1, QNetwork q2, QNetwork q1Target,
                           QNetwork q2Target, Rng rng) {
    }

    public Networks networks() {
        return new Networks(actor, actorTarget, q1, q2, q1Target, q2Target, rng);
    }

    public Mlp actor() {
        return actor;
    }

    @Override
    public void act(float[] observation, float[] out) {
        actor.acting().forward(observation, fastOut);
        head.forward(fastOut, out);
    }

    /** mu(s) + N(0, (explorationNoise * scale)^2), clipped to the action box (CleanRL). */
    @Override
    public void explore(float[] observation, float[] out) {
        act(observation, out);
        for (int j = 0; j < actDim; j++) {
            double a = out[j] + rng.nextGaussian() * head.scale(j) * cfg.explorationNoise();
            out[j] = (float) Math.max(low[j], Math.min(high[j], a));
        }
    }

    private void ensureBuffers(int b) {
        if (target == null || target.rows != b) {
            target = Mat.zeros(dtype, b, 1);
            dq = Mat.zeros(dtype, b, 1);
            nextAct = Mat.zeros(dtype, b, actDim);
        }
    }

    @Override
    public void update(Batch batch) {
        computeCriticGradients(batch, null);
        criticOpt.step();
        if (updates % cfg.policyFrequency() == 0) {
            computeActorGradients(batch.observations, batch.actions);
            actorOpt.step();
            Targets.soft(actorTargetParams, actorParams, cfg.tau());
            Targets.soft(criticTargetParams, criticParams, cfg.tau());
            actor.weightsChanged();
        }
        updates++;
    }

    /** Fills critic gradients; {@code fixedNoise} (tests) replaces the target smoothing noise N(0,1) draws. */
    public double computeCriticGradients(Batch batch, Mat fixedNoise) {
        int b = batch.size;
        ensureBuffers(b);
        Mat mu = targetHead.forward(actorTarget.forward(batch.nextObservations, false)).toHost();
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < actDim; j++) {
                int k = i * actDim + j;
                double n = fixedNoise != null ? fixedNoise.get(k) : rng.nextGaussian();
                double noise = Math.max(-cfg.noiseClip(), Math.min(cfg.noiseClip(), n * cfg.policyNoise()))
                        * targetHead.scale(j);
                nextAct.set(k, Math.max(low[j], Math.min(high[j], mu.get(k) + noise)));
            }
        }
        nextAct.hostWritten();
        Mat t1 = q1Target.forward(batch.nextObservations, nextAct, false).toHost();
        Mat t2 = q2Target.forward(batch.nextObservations, nextAct, false).toHost();
        Mat r = batch.rewards.toHost();
        Mat disc = batch.discounts.toHost();
        for (int i = 0; i < b; i++) {
            target.set(i, r.get(i) + disc.get(i) * Math.min(t1.get(i), t2.get(i)));
        }
        target.hostWritten();
        java.util.Arrays.fill(sums, 0.0);
        q1.regress(batch.observations, batch.actions, target, dq, b, sums);
        stats[2] = sums[1] / b;
        q2.regress(batch.observations, batch.actions, target, dq, b, sums);
        stats[0] = sums[0] / b;
        return stats[0];
    }

    /**
     * Fills the actor's gradients of {@code L_mu = -mean Q1(s, mu(s))}, with TD3+BC's term when it is on
     * ({@code dataActions}: the batch's actions); critic gradients untouched. Returns the actor loss.
     */
    public double computeActorGradients(Mat observations, Mat dataActions) {
        int b = observations.rows;
        ensureBuffers(b);
        Mat a = head.forward(actor.forward(observations, true)).toHost();
        Mat v = q1.forward(observations, a, false).toHost();
        boolean bc = !Double.isNaN(bcAlpha);
        double qSum = 0;
        double absSum = 0;
        for (int i = 0; i < b; i++) {
            qSum += v.get(i);
            absSum += Math.abs(v.get(i));
        }
        double qMean = qSum / b;
        double lambda = bc ? bcAlpha / (absSum / b) : 1.0; // TD3+BC Eq. 5, detached
        for (int i = 0; i < b; i++) {
            dq.set(i, -lambda / b);
        }
        dq.hostWritten();
        Mat dA = q1.backward(dq, false, true);
        double bcLoss = 0;
        if (bc) {
            dA.toHost();
            dataActions.toHost();
            double k = 2.0 / ((double) b * actDim);
            for (int i = 0; i < b * actDim; i++) {
                double diff = a.get(i) - dataActions.get(i);
                bcLoss += diff * diff;
                dA.set(i, dA.get(i) + k * diff);
            }
            dA.hostWritten();
            bcLoss /= (double) b * actDim;
            stats[3] = bcLoss;
            stats[4] = qMean;
        }
        actor.backward(head.backward(dA), true, false);
        stats[1] = -lambda * qMean + bcLoss;
        return stats[1];
    }

    ParamGroup actorParams() {
        return actorParams;
    }

    ParamGroup criticParams() {
        return criticParams;
    }

    @Override
    public String[] statNames() {
        return Double.isNaN(bcAlpha) ? STATS.clone() : BC_STATS.clone();
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
        return LearnerState.of(tag, () -> updates, n -> updates = n).streams(rng)
                .params(actorParams, actorTargetParams, criticParams, criticTargetParams).optimisers(actorOpt, criticOpt)
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
        return new PolicyBundles.Network(PolicyBundles.DETERMINISTIC_TANH, actor.layerSpecs(), "actor.params");
    }
}
