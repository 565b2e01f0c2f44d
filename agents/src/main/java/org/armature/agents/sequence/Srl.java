package org.armature.agents.sequence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.armature.agents.Agent;
import org.armature.agents.Batch;
import org.armature.agents.ChunkLayout;
import org.armature.agents.LearnerState;
import org.armature.agents.PolicyBundles;
import org.armature.agents.QNetwork;
import org.armature.agents.Sac;
import org.armature.agents.Seeds;
import org.armature.envs.BoxSpace;
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
 * Sequence Reinforcement Learning (SRL; Patel &amp; Siegelmann, "Overcoming Slow Decision Frequencies in Continuous
 * Control: Model-Based Sequence Reinforcement Learning for Model-Free Control", ICLR 2025), on SAC. The actor sees one
 * state and emits a sequence of {@code J} primitive actions, played open loop (one decision every J control steps);
 * a critic and a dynamics model work at the control rate, on the primitive transitions of every decision
 * ({@link #learnsFromControlSteps}):
 *
 * <pre>
 *   model:   m(s, a) = s + mu_d + sigma_d * f([(s - mu_s) / sigma_s, a])
 *            L_m = mean ((f(.) - (s' - s - mu_d) / sigma_d)^2)                  (normalised state differences)
 *   critic:  y = r + gamma_k (min_i Q'_i(s', a') - alpha log pi_0(a'|s')),  a' ~ pi_0(.|s')   (SAC, primitive steps)
 *   actor:   a_0..a_{J-1} ~ pi(.|s),  s^_0 = s,  s^_{i+1} = m(s^_i, a_i)                        ("temporal recall")
 *            L_pi = mean_i (alpha log pi_i(a_i|s) - min_j Q_j(s^_i, a_i))
 *   alpha:   L_alpha = mean_i (-alpha (log pi_i + target_entropy)),  target_entropy = -|A|
 * </pre>
 * The critic scores every action of the sequence at the state the model predicts it will be taken in, so each
 * primitive action gets its own learning signal; after training the actor runs without the model. Choices where the
 * paper is silent or that this implementation makes (see agents/README.md, "Sequence RL"):
 * <ul>
 *   <li>The actor is an MLP whose head emits the J actions at once ({@code [means | log stds]}, step-major, the layout
 *   of SAC over a flattened sequence, so its bundle is an ordinary Gaussian chunk). The paper's actor is a GRU that can
 *   unroll past J; here a decision interval k &gt; J holds the last action (the rule every method gets in the
 *   Frequency-Averaged Score).</li>
 *   <li>Predicted states are inputs to the critic, not differentiated through: the actor's gradient reaches action
 *   a_i only through Q(s^_i, a_i).</li>
 *   <li>The model trains at every update on the same primitive batch as the critic (update ratio 1); the actor waits
 *   {@code model_warmup_updates} updates so that the intermediate states it is scored at come from a fitted model.
 *   The normalisation statistics are running means over the batches (rate 0.01), checkpointed with the learner.</li>
 *   <li>The target action at s' is the sequence's first action from s' (the critic values acting at the control
 *   rate; the sequence's later actions are scored by the same critic at predicted states).</li>
 * </ul>
 */
public final class Srl implements Agent {

    /**
     * The sequence part of the run; the SAC part (networks, learning rates, entropy) is {@link Sac.Config}.
     *
     * @param decisionInterval     J: actions per decision (the paper's sequence length; also the action repeat and
     *                             chunk length of the baselines)
     * @param modelHidden          dynamics model widths
     * @param modelLr              dynamics model Adam learning rate
     * @param modelWarmupUpdates   updates that train the model (and critic) before the actor starts
     */
    public record Config(int decisionInterval, int[] modelHidden, double modelLr, int modelWarmupUpdates) {
        public static Config defaults() {
            return new Config(8, new int[]{256, 256}, 1e-3, 1_000);
        }

        /** A value that cannot work, or null. */
        public String problem() {
            if (decisionInterval < 1 || decisionInterval > 64) {
                return "sequence.decision_interval must be in [1, 64], got " + decisionInterval;
            }
            if (modelHidden == null || modelHidden.length == 0) {
                return "sequence.model_hidden needs at least one hidden layer, e.g. [256,256]";
            }
            for (int h : modelHidden) {
                if (h < 1 || h > 65_536) {
                    return "sequence.model_hidden widths must be in [1, 65536], got " + h;
                }
            }
            if (!(modelLr > 0) || Double.isInfinite(modelLr)) {
                return "sequence.model_lr must be a finite number > 0, got " + modelLr;
            }
            if (modelWarmupUpdates < 0) {
                return "sequence.model_warmup_updates must be >= 0, got " + modelWarmupUpdates;
            }
            return null;
        }
    }

    /** Running-statistics rate of the model's normalisation. */
    private static final double NORM_RATE = 0.01;
    private static final String[] STATS = {"critic_loss", "actor_loss", "alpha", "alpha_loss", "entropy", "q_mean",
            "model_loss"};

    private final Sac.Config sac;
    private final Config cfg;
    private final int obsDim;
    private final int actDim;
    private final int j;
    private final Rng rng;
    private final Mlp actor;
    private final SquashedGaussianHead head;
    private final QNetwork q1;
    private final QNetwork q2;
    private final QNetwork q1Target;
    private final QNetwork q2Target;
    private final Mlp model;
    /** Model normalisation, rows: state mean, state std, difference mean, difference std. */
    private final Param modelNorm;
    private final Param logAlpha;
    private final ParamGroup actorParams;
    private final ParamGroup criticParams;
    private final ParamGroup criticTargetParams;
    private final ParamGroup modelParams;
    private final ParamGroup alphaParams;
    private final ParamGroup normParams;
    private final Adam actorOpt;
    private final Adam criticOpt;
    private final Adam modelOpt;
    private final Adam alphaOpt;
    private final double targetEntropy;
    private final float[] fastOut;
    private final float[] block;
    private final float[] one;
    private long updates;
    private final double[] stats = new double[STATS.length];
    private final double[] sums = new double[2];
    private final DataType dtype = DataType.FLOAT;

    /**
     * @param obsDim    the task's observation size
     * @param actionBox the task's (primitive) action box; the agent acts with {@code J} of them per decision
     */
    public Srl(int obsDim, BoxSpace actionBox, Sac.Config sac, Config cfg, long seed) {
        this.sac = sac;
        this.cfg = cfg;
        this.obsDim = obsDim;
        this.actDim = actionBox.dim();
        this.j = cfg.decisionInterval();
        Rng init = new Rng(Seeds.of(seed, "init"));
        this.rng = new Rng(Seeds.of(seed, "learner"));
        this.actor = Mlp.build(new MlpSpec(obsDim, sac.actorHidden(), 2 * j * actDim, sac.activation(), false, 0.0),
                dtype, init);
        this.head = new SquashedGaussianHead(actionBox.low(), actionBox.high(), dtype);
        this.q1 = sac.critic(obsDim, actDim, dtype, init);
        this.q2 = sac.critic(obsDim, actDim, dtype, init);
        this.q1Target = sac.critic(obsDim, actDim, dtype, init);
        this.q2Target = sac.critic(obsDim, actDim, dtype, init);
        this.model = Mlp.build(new MlpSpec(obsDim + actDim, cfg.modelHidden(), obsDim, sac.activation(), false, 0.0),
                dtype, init);
        this.modelNorm = new Param("model_norm", dtype, 4, obsDim);
        for (int i = 0; i < obsDim; i++) {
            modelNorm.value().set(obsDim + i, 1.0);
            modelNorm.value().set(3 * obsDim + i, 1.0);
        }
        modelNorm.value().hostWritten();
        this.logAlpha = new Param("log_alpha", dtype, 1, 1);
        logAlpha.value().set(0, sac.autotune() ? 0.0 : Math.log(sac.alpha()));
        logAlpha.value().hostWritten();
        this.actorParams = new ParamGroup(actor.params());
        this.criticParams = ParamGroup.of(q1.params(), q2.params());
        this.criticTargetParams = ParamGroup.of(q1Target.params(), q2Target.params());
        this.modelParams = new ParamGroup(model.params());
        // one group per parameter set: a ParamGroup owns its parameters' storage
        this.alphaParams = new ParamGroup(List.of(logAlpha));
        this.normParams = new ParamGroup(List.of(modelNorm));
        Targets.hard(criticTargetParams, criticParams);
        this.actorOpt = new Adam(actorParams, sac.policyLr(), 0.0, sac.maxGradNorm());
        this.criticOpt = new Adam(criticParams, sac.qLr(), 0.0, sac.maxGradNorm());
        this.modelOpt = new Adam(modelParams, cfg.modelLr());
        this.alphaOpt = new Adam(alphaParams, sac.qLr());
        this.targetEntropy = sac.targetEntropyScale() * actDim;
        this.fastOut = new float[2 * j * actDim];
        this.block = new float[2 * actDim];
        this.one = new float[actDim];
        java.util.Arrays.fill(stats, Double.NaN);
    }

    @Override
    public String algo() {
        return "srl";
    }

    @Override
    public boolean learnsFromControlSteps() {
        return true;
    }

    @Override
    public ChunkLayout chunking() {
        return new ChunkLayout(1, j, j);
    }

    /** The J x 2A actor output rearranged as the head's input for action {@code i}: {@code [mean_i | log std_i]}. */
    private void block(int i) {
        System.arraycopy(fastOut, i * actDim, block, 0, actDim);
        System.arraycopy(fastOut, (j + i) * actDim, block, actDim, actDim);
    }

    @Override
    public void explore(float[] observation, float[] out) {
        actor.acting().forward(observation, fastOut);
        for (int i = 0; i < j; i++) {
            block(i);
            head.sample(block, rng, one);
            System.arraycopy(one, 0, out, i * actDim, actDim);
        }
    }

    @Override
    public void act(float[] observation, float[] out) {
        actor.acting().forward(observation, fastOut);
        for (int i = 0; i < j; i++) {
            block(i);
            head.deterministic(block, one);
            System.arraycopy(one, 0, out, i * actDim, actDim);
        }
    }

    // preallocated per-batch buffers (batch size B, sequence rows B*J)
    private int b = -1;
    private Mat target;
    private Mat dqCritic;
    private Mat dq1;
    private Mat dq2;
    private Mat modelIn;
    private Mat dModel;
    private Mat seqIn;
    private Mat seqObs;
    private Mat dLogProb;
    private Mat dSeqAction;
    private Mat dActorOut;
    private Mat firstIn;

    private void ensureBuffers(int rows) {
        if (b == rows) {
            return;
        }
        b = rows;
        int n = rows * j;
        target = Mat.zeros(dtype, rows, 1);
        dqCritic = Mat.zeros(dtype, rows, 1);
        dq1 = Mat.zeros(dtype, n, 1);
        dq2 = Mat.zeros(dtype, n, 1);
        modelIn = Mat.zeros(dtype, rows, obsDim + actDim);
        dModel = Mat.zeros(dtype, rows, obsDim);
        seqIn = Mat.zeros(dtype, n, 2 * actDim);
        seqObs = Mat.zeros(dtype, n, obsDim);
        dLogProb = Mat.zeros(dtype, n, 1);
        dSeqAction = Mat.zeros(dtype, n, actDim);
        dActorOut = Mat.zeros(dtype, rows, 2 * j * actDim);
        firstIn = Mat.zeros(dtype, rows, 2 * actDim);
    }

    public double alpha() {
        return Math.exp(logAlpha.value().get(0));
    }

    @Override
    public void update(Batch batch) {
        ensureBuffers(batch.size);
        stats[6] = updateModel(batch);
        stats[0] = updateCritic(batch);
        if (updates >= cfg.modelWarmupUpdates() && updates % sac.policyFrequency() == 0) {
            for (int k = 0; k < sac.policyFrequency(); k++) {
                updateActorAndAlpha(batch.observations);
            }
            actor.weightsChanged();
        }
        if (updates % sac.targetNetworkFrequency() == 0) {
            Targets.soft(criticTargetParams, criticParams, sac.tau());
        }
        updates++;
    }

    /** Fits f to the normalised state differences of the batch; returns L_m. */
    private double updateModel(Batch batch) {
        Mat o = batch.observations.toHost();
        Mat o2 = batch.nextObservations.toHost();
        Mat norm = modelNorm.value().toHost();
        // running statistics of states and differences (rate NORM_RATE)
        for (int d = 0; d < obsDim; d++) {
            double ms = 0;
            double md = 0;
            for (int r = 0; r < b; r++) {
                ms += o.get(r * obsDim + d);
                md += o2.get(r * obsDim + d) - o.get(r * obsDim + d);
            }
            ms /= b;
            md /= b;
            double vs = 0;
            double vd = 0;
            for (int r = 0; r < b; r++) {
                double xs = o.get(r * obsDim + d) - ms;
                double xd = o2.get(r * obsDim + d) - o.get(r * obsDim + d) - md;
                vs += xs * xs;
                vd += xd * xd;
            }
            double first = updates == 0 ? 1.0 : NORM_RATE;
            blend(norm, d, ms, first);
            blend(norm, obsDim + d, Math.sqrt(vs / b) + 1e-6, first);
            blend(norm, 2 * obsDim + d, md, first);
            blend(norm, 3 * obsDim + d, Math.sqrt(vd / b) + 1e-6, first);
        }
        norm.hostWritten();
        fillModelInput(o, batch.actions.toHost(), 1, 0);
        Mat y = model.forward(modelIn, true).toHost();
        double loss = 0;
        int n = b * obsDim;
        for (int r = 0; r < b; r++) {
            for (int d = 0; d < obsDim; d++) {
                int k = r * obsDim + d;
                double t = (o2.get(k) - o.get(k) - norm.get(2 * obsDim + d)) / norm.get(3 * obsDim + d);
                double e = y.get(k) - t;
                loss += e * e;
                dModel.set(k, 2.0 * e / n);
            }
        }
        dModel.hostWritten();
        model.backward(dModel, true, false);
        modelOpt.step();
        return loss / n;
    }

    private static void blend(Mat m, int k, double v, double rate) {
        m.set(k, (1 - rate) * m.get(k) + rate * v);
    }

    /**
     * Model input rows {@code [(s - mu_s) / sigma_s, a]}: row r takes state and action row {@code r * stride + offset}
     * (a batch: stride 1, offset 0; step i of every sequence: stride J, offset i).
     */
    private void fillModelInput(Mat states, Mat acts, int stride, int offset) {
        Mat norm = modelNorm.value();
        int w = obsDim + actDim;
        for (int r = 0; r < b; r++) {
            int row = r * stride + offset;
            for (int d = 0; d < obsDim; d++) {
                modelIn.set(r * w + d, (states.get(row * obsDim + d) - norm.get(d)) / norm.get(obsDim + d));
            }
            for (int d = 0; d < actDim; d++) {
                modelIn.set(r * w + obsDim + d, acts.get(row * actDim + d));
            }
        }
        modelIn.hostWritten();
    }

    /** SAC's critic step on primitive transitions; the target action is the first of the sequence from s'. */
    private double updateCritic(Batch batch) {
        double alpha = alpha();
        Mat next = actor.forward(batch.nextObservations, false).toHost();
        copyBlock(next, 0, firstIn, 1, 0);
        Mat nextAct = head.sample(firstIn, rng, null);
        Mat nextLogp = head.lastLogProb().toHost();
        Mat t1 = q1Target.forward(batch.nextObservations, nextAct, false).toHost();
        Mat t2 = q2Target.forward(batch.nextObservations, nextAct, false).toHost();
        Mat r = batch.rewards.toHost();
        Mat disc = batch.discounts.toHost();
        for (int i = 0; i < b; i++) {
            target.set(i, r.get(i) + disc.get(i) * (Math.min(t1.get(i), t2.get(i)) - alpha * nextLogp.get(i)));
        }
        target.hostWritten();
        double loss = criticStep(q1, batch) + criticStep(q2, batch);
        criticOpt.step();
        return loss / b;
    }

    /** Accumulates dL/dθ of sum_i (Q(s_i, a_i) - y_i)^2 / B for one critic; returns the summed squared error. */
    private double criticStep(QNetwork q, Batch batch) {
        java.util.Arrays.fill(sums, 0.0);
        q.regress(batch.observations, batch.actions, target, dqCritic, b, sums);
        stats[5] = sums[1] / b;
        return sums[0];
    }

    /**
     * The head input {@code [mean_i | log std_i]} of action i from each row of {@code out} (B x 2JA actor outputs),
     * into row {@code r * stride + i * offsetPerAction} of {@code into} (stride 1: one action per row; stride J: the
     * sequence rows b*J + i).
     */
    private void copyBlock(Mat out, int i, Mat into, int stride, int offsetPerAction) {
        int w = 2 * j * actDim;
        for (int r = 0; r < b; r++) {
            int row = (r * stride + i * offsetPerAction) * 2 * actDim;
            for (int d = 0; d < actDim; d++) {
                into.set(row + d, out.get(r * w + i * actDim + d));
                into.set(row + actDim + d, out.get(r * w + (j + i) * actDim + d));
            }
        }
        into.hostWritten();
    }

    /** The temporal-recall actor step and the temperature step. */
    private void updateActorAndAlpha(Mat observations) {
        double alpha = alpha();
        int n = b * j;
        int w = 2 * j * actDim;
        Mat out = actor.forward(observations, true).toHost();
        // sequence rows b*J + i: the head input of action i from state b
        for (int i = 0; i < j; i++) {
            copyBlock(out, i, seqIn, j, 1);
        }
        Mat acts = head.sample(seqIn, rng, null).toHost();
        Mat logp = head.lastLogProb().toHost();
        // s^_0 = s, s^_{i+1} = m(s^_i, a_i): the states the sequence's actions will be taken in
        Mat obs = observations.toHost();
        Mat norm = modelNorm.value().toHost();
        for (int r = 0; r < b; r++) {
            for (int d = 0; d < obsDim; d++) {
                seqObs.set((r * j) * obsDim + d, obs.get(r * obsDim + d));
            }
        }
        for (int i = 0; i + 1 < j; i++) {
            fillModelInput(seqObs, acts, j, i);
            Mat f = model.forward(modelIn, false).toHost();
            for (int r = 0; r < b; r++) {
                for (int d = 0; d < obsDim; d++) {
                    double s = seqObs.get((r * j + i) * obsDim + d);
                    double next = s + norm.get(2 * obsDim + d) + norm.get(3 * obsDim + d) * f.get(r * obsDim + d);
                    seqObs.set((r * j + i + 1) * obsDim + d, next);
                }
            }
        }
        seqObs.hostWritten();
        double[] sums = QNetwork.softActorGradients(q1, q2, seqObs, acts, logp, alpha, dq1, dq2, dLogProb,
                dSeqAction);
        Mat dIn = head.backward(dSeqAction, dLogProb).toHost();
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < j; i++) {
                int row = (r * j + i) * 2 * actDim;
                for (int d = 0; d < actDim; d++) {
                    dActorOut.set(r * w + i * actDim + d, dIn.get(row + d));
                    dActorOut.set(r * w + (j + i) * actDim + d, dIn.get(row + actDim + d));
                }
            }
        }
        dActorOut.hostWritten();
        actor.backward(dActorOut, true, false);
        actorOpt.step();
        double meanLogp = sums[1] / n;
        stats[1] = sums[0] / n;
        if (sac.autotune()) {
            logAlpha.grad().set(0, -alpha * (meanLogp + targetEntropy));
            logAlpha.grad().hostWritten();
            stats[3] = -alpha * (meanLogp + targetEntropy);
            alphaOpt.step();
        }
        stats[2] = alpha();
        stats[4] = -meanLogp;
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
    public double discount() {
        return sac.gamma();
    }

    @Override
    public LearnerState state() {
        return LearnerState.of("srl", () -> updates, k -> updates = k).streams(rng)
                .params(actorParams, criticParams, criticTargetParams, modelParams, alphaParams, normParams)
                .optimisers(actorOpt, criticOpt, modelOpt, alphaOpt)
                .onRestore(actor::weightsChanged);
    }

    @Override
    public PolicyBundles.Network exportPolicy(Path bundleDir) throws IOException {
        ParamIO.write(bundleDir.resolve("actor.params"), actor.params());
        return new PolicyBundles.Network(PolicyBundles.SQUASHED_GAUSSIAN, actor.layerSpecs(), "actor.params");
    }
}
