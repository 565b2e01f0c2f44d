package org.armature.train;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.function.Function;

import org.armature.agents.Agent;
import org.armature.agents.MixedSampler;
import org.armature.agents.data.OfflineDataset;
import org.armature.agents.dsrl.NoiseSpaceEnv;
import org.armature.envs.wrappers.DecisionInterval;
import org.armature.agents.Batch;
import org.armature.agents.LearnerPolicy;
import org.armature.agents.PolicyBundles;
import org.armature.agents.ReplayBuffer;
import org.armature.agents.Sampler;
import org.armature.agents.Seeds;
import org.armature.envs.Env;
import org.armature.envs.EnvSpec;
import org.armature.envs.Envs;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.nn.ParamIO;
import org.armature.nn.Rng;
import org.armature.sim.AtomicFiles;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The off-policy training loop (CleanRL's structure): uniform random actions for {@code learning_starts} steps,
 * then exploration actions; every transition goes to the replay buffer (time-outs keep their true final
 * observation and bootstrap); {@code updates_per_step} gradient updates per env step once learning started;
 * deterministic evaluations every {@code eval_interval} steps; checkpoints at the first episode end after every
 * {@code checkpoint_interval} steps; the final policy bundle in {@code <run>/bundle/}.
 *
 * <p>Exact resume: every episode starts with {@code env.reset(episodeSeed(seed, episode))}, and a checkpoint holds
 * the learner (networks, targets, Adam moments, temperature, its random stream), the replay buffer, the trainer's
 * random stream and counters, all taken at an episode boundary. Resuming therefore replays the same numbers as an
 * uninterrupted run (single environment, same thread count).
 */
public final class Trainer {

    public static final String METRICS = RunDirectory.METRICS;
    public static final String CONFIG = RunDirectory.CONFIG;
    public static final String CHECKPOINT = RunDirectory.CHECKPOINT;
    public static final String BUNDLE = RunDirectory.BUNDLE;
    /** A residual run's frozen base policy: a copy of the base bundle (or the scripted expert's bundle). */
    public static final String BASE = "base";
    /** Final replay buffer ({@code save_replay}). */
    public static final String REPLAY = "replay.bin";
    private static final String REPLAY_MAGIC = "armature-replay-v1";
    /** Which loop wrote a checkpoint ({@link RunDirectory#writeCheckpoint}). */
    static final String LOOP = "train";
    /** Directory of per-evaluation bundles ({@code save_eval_bundles}). */
    public static final String EVAL_BUNDLES = "bundles";
    private static final String[] FIXED_COLUMNS = {"env_steps", "wall_seconds", "episode_return", "episode_length",
            "eval_return_mean", "eval_return_std", "eval_success_rate"};

    /** Summary of a finished run. */
    public record Result(Path runDir, long envSteps, double finalEvalMean, double finalEvalStd,
                         double finalEvalSuccessRate, double wallSeconds, double trainSeconds, long updates,
                         double learnerCpuSeconds, boolean interrupted) {
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private long cpuAtStart;

    private double cpuSeconds() {
        return (THREADS.getCurrentThreadCpuTime() - cpuAtStart) / 1e9;
    }

    private final TrainConfig cfg;
    private final Path runDir;
    private final RunDirectory run;
    private final Progress progress;
    private final Env env;
    private final Env evalEnv;
    /** The agent's view of the env (residual RL: observations with the base action appended). */
    private final EnvSpec spec;
    /** The env's own spec (what a bundle is deployed on). */
    private final EnvSpec envSpec;
        private final Agent agent;
    private final ReplayBuffer buffer;
    /** The agent learns from each control step of its decisions ({@link Agent#learnsFromControlSteps}). */
    private final boolean controlSteps;
    private final float[] primitive;
    private final Sampler sampler;
    private final Batch batch;
    private final Rng rng;
    private final String[] statNames;
    private final double[] stats;
    private final List<String> columns = new ArrayList<>();
    private CsvLog metrics;
    /** Update count and wall time at the previous metrics row (for updates_per_second). */
    private long rowUpdates;
    private double rowWall;

    // loop state (checkpointed)
    private long step;
    private long episode;
    private double episodeReturn;
    private int episodeLength;
    private double wallSeconds;
    private double evalSeconds;
    private long lastCheckpointStep;
    private double lastCheckpointWall;
    /** The checkpoint was taken inside an episode (an operator stop): a resume starts a fresh episode. */
    private boolean midEpisode;
    private double latestEval = Double.NaN;
    private double latestEvalStd = Double.NaN;
    private double latestSuccess = Double.NaN;
    private float[] obs;

    private Trainer(TrainConfig cfg, RunDirectory run, Progress progress,
                    Function<Path, OfflineDataset> demoReader) throws IOException {
        this.cfg = cfg.validate();
        this.run = run;
        this.runDir = run.path();
        this.progress = progress;
        this.env = OnlineAlgorithms.makeEnv(cfg, run.path());
        this.evalEnv = OnlineAlgorithms.makeEnv(cfg, run.path());
        this.envSpec = OnlineAlgorithms.taskSpec(cfg, env);
        this.spec = env.spec();
        if (!spec.actionSpace().isBounded()) {
            throw new IllegalArgumentException(cfg.envId() + ": " + cfg.algo() + " needs a bounded action space");
        }
        int obsDim = spec.observationDim();
        this.agent = OnlineAlgorithms.create(cfg, spec, envSpec, run.path());
        int capacity = (int) Math.min(cfg.bufferSize(), cfg.totalSteps());
        int k = cfg.numEnvs();
        capacity = Math.max(k, capacity - capacity % k); // whole rounds of numEnvs transitions (n-step stride)
        // an agent that learns from every control step stores the task's transitions, not its decisions
        this.controlSteps = agent.learnsFromControlSteps();
        int storedActions = controlSteps ? envSpec.actionDim() : spec.actionDim();
        this.buffer = new ReplayBuffer(capacity, obsDim, storedActions, k, java.util.Map.of());
        this.primitive = new float[envSpec.actionDim()];
        double gamma = OnlineAlgorithms.transitionDiscount(cfg, env);
        Sampler online = buffer.sampler(cfg.nStep(), gamma);
        // RLPD: a fixed fraction of every batch from the demonstrations
        this.sampler = cfg.demos() != null && cfg.demoFraction() > 0 ? new MixedSampler(OnlineAlgorithms
                .demonstrations(cfg, env, envSpec, demoReader).sampler(cfg.nStep(), gamma), online, cfg.demoFraction())
                : online;
        this.batch = new Batch(cfg.batchSize(), obsDim, storedActions, DataType.FLOAT);
        this.rng = new Rng(Seeds.of(cfg.seed(), "loop"));
        this.statNames = agent.statNames();
        this.stats = new double[statNames.length];
        columns.addAll(Arrays.asList(FIXED_COLUMNS));
        columns.addAll(Arrays.asList(statNames));
        columns.add("updates_per_second");
        if (cfg.rollouts().workers() > 0) {
            columns.add("policy_lag");
        }
    }

    /** Creates {@code <runsDir>/<date>-<algo>-<env>-<seed>/} with config.json and versions.json. */
    public static Trainer create(TrainConfig cfg, Path runsDir, Progress progress) throws IOException {
        return create(cfg, RunDirectory.uniqueName(runsDir, cfg.algo() + "-" + cfg.envId() + "-" + cfg.seed()), false,
                progress);
    }

    /**
     * Creates the run in {@code dir}; a non-empty {@code dir} is refused unless {@code overwrite} (see
     * {@link RunDirectory#create}).
     */
    public static Trainer create(TrainConfig cfg, Path dir, boolean overwrite, Progress progress) throws IOException {
        return create(cfg, dir, overwrite, progress, null);
    }

    /**
     * As {@link #create(TrainConfig, Path, boolean, Progress)}; {@code demoReader} reads a residual run's
     * demonstration dataset ({@code demos}). A residual run copies its base bundle into {@code <run>/base/} first (a
     * base of {@code expert} or {@code expert:NOISE} becomes the scripted expert's bundle), so the run keeps the exact
     * base it was trained on.
     */
    public static Trainer create(TrainConfig cfg, Path dir, boolean overwrite, Progress progress,
                                 Function<Path, OfflineDataset> demoReader) throws IOException {
        cfg.validate();
        EnvSpec envSpec;
        try (Env e = Envs.make(cfg.envId())) { // unknown id fails before anything is written
            envSpec = e.spec();
        }
        if (cfg.onBase()) {
            OnlineAlgorithms.check(cfg, envSpec);
        }
        RunDirectory run = RunDirectory.create(dir, overwrite);
        if (cfg.onBase()) {
            OnlineAlgorithms.copy(cfg.base(), envSpec, dir.resolve(BASE));
        }
        Trainer t;
        try {
            t = new Trainer(cfg, run, progress, demoReader);
        } catch (IOException | RuntimeException e) {
            ParamIO.deleteRecursively(dir); // nothing half-written stays behind
            throw e;
        }
        run.writeConfig(Configs.toJson(cfg));
        t.metrics = run.csv(METRICS, t.columns, false);
        if (cfg.numEnvs() == 1) {
            t.obs = t.env.reset(episodeSeed(cfg.seed(), 0)).observation();
        }
        return t;
    }

    /** Re-opens a run directory at its last checkpoint. */
    public static Trainer resume(Path runDir, Progress progress) throws IOException {
        return resume(runDir, progress, null);
    }

    /** As {@link #resume(Path, Progress)}, reading a residual run's demonstrations with {@code demoReader}. */
    public static Trainer resume(Path runDir, Progress progress, Function<Path, OfflineDataset> demoReader)
            throws IOException {
        RunDirectory run = RunDirectory.resume(runDir, "armature train");
        TrainConfig cfg = readConfig(run.file(CONFIG));
        Trainer t = new Trainer(cfg, run, progress, demoReader);
        t.restore(run.resumeCheckpoint(LOOP, t.rng, t.agent, t::readLoopState));
        t.metrics = run.csv(METRICS, t.columns, true);
        if (t.midEpisode) {
            // the unfinished episode(s) at an operator stop or a vector checkpoint are not resumed: close them in the
            // buffer (as time-outs, so n-step returns stop there but still bootstrap) and start fresh episodes
            t.buffer.closeOpenEpisodes();
            t.midEpisode = false;
        }
        if (cfg.numEnvs() == 1) {
            t.obs = t.env.reset(episodeSeed(cfg.seed(), t.episode)).observation();
        }
        t.lastCheckpointWall = t.wallSeconds;
        return t;
    }

    /** The env of the run in {@code runDir} (from its config.json), before resuming it. */
    public static String resumeEnvId(Path runDir) throws IOException {
        return readConfig(RunDirectory.resume(runDir, "armature train").file(CONFIG)).envId();
    }

    /** A run's config.json; an unreadable or foreign one is an error naming the file. */
    static TrainConfig readConfig(Path file) throws IOException {
        try {
            return Configs.JSON.readValue(file.toFile(), TrainConfig.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is not the config of an `armature train` run written by this version ("
                    + e.getOriginalMessage() + ")");
        }
    }

    /** Reset seed of training episode {@code episode}. */
    static long episodeSeed(long seed, long episode) {
        return Seeds.of(seed, "episode") + episode;
    }

    public Path runDir() {
        return runDir;
    }

    public TrainConfig config() {
        return cfg;
    }

    public Agent agent() {
        return agent;
    }

    /** Trains until {@code total_steps} (or {@code stopAfter} steps, for tests), then writes the bundle. */
    public Result run() throws IOException {
        return run(Long.MAX_VALUE);
    }

    /**
     * Trains; if {@code stopAtStep} comes before the end, stops there without a bundle (simulated interruption).
     */
    public Result run(long stopAtStep) throws IOException {
        if (cfg.rollouts().workers() > 0) {
            throw new IllegalStateException("this run steps its envs on " + cfg.rollouts().workers() + " rollout "
                    + "workers: give it a RolloutSource (run(source))");
        }
        return loop(cfg.numEnvs() > 1 ? new VectorCollector() : new SingleEnvCollector(), stopAtStep);
    }

    /**
     * Trains on transitions from {@code rollouts.workers} remote rollout workers (Ape-X / Sample Factory style):
     * the workers act with the policy weights this loop publishes every {@code rollouts.weights_every} updates, and
     * each batch of {@code rollouts.batch_steps} consecutive steps they send is stored, then followed by
     * {@code updates_per_step} updates per step (the same update-to-data ratio as a local run). metrics.csv gets
     * {@code policy_lag}: learner updates between the weights that chose a batch's actions and its arrival (0 for
     * warm-up batches). n-step returns stop at batch boundaries. Not deterministic: which worker's batch arrives first
     * depends on timing. A resumed run starts fresh worker episodes, seeded from the checkpoint's step.
     */
    public Result run(RolloutSource source) throws IOException {
        return run(source, Long.MAX_VALUE);
    }

    /** As {@link #run(RolloutSource)}; stops at {@code stopAtStep} without a bundle (simulated interruption). */
    public Result run(RolloutSource source, long stopAtStep) throws IOException {
        if (cfg.rollouts().workers() < 1) {
            throw new IllegalStateException("rollouts.workers is 0: this run steps its own env (run())");
        }
        return loop(new WorkerCollector(source), stopAtStep);
    }

    /**
     * Where a loop's transitions come from: this thread's env, a {@link org.armature.envs.VectorEnv}, or remote
     * rollout workers. {@link #collect} stores the next transitions and adds a metrics row per finished episode.
     */
    private abstract static class Collector implements AutoCloseable {
        final String title;

        Collector(String title) {
            this.title = title;
        }

        /** Opens what it steps (inside the loop's try, so that a failure still closes the run's files). */
        void start() throws IOException {
        }

        /** Acts (before {@code learning_starts}: uniform random actions) and stores; returns the env steps taken. */
        abstract long collect(List<Map<String, String>> rows) throws IOException;

        /** Gradient updates owed once this iteration brought the run from {@code before} to {@code step}. */
        abstract long updatesOwed(long before, long step);

        /** After this iteration's updates (rollout workers: publish the new weights). */
        void afterUpdates() throws IOException {
        }

        /** Adds the loop's own columns to an evaluation row. */
        void tag(Map<String, String> evalRow) {
        }

        /**
         * Whether a checkpoint may be taken now: vector envs and workers end episodes at different times, so they
         * checkpoint at the step itself; a single env only at an episode end (an exact resume).
         */
        boolean checkpointable() {
            return true;
        }

        /** After the checkpoint (a single env starts its next episode). */
        void endIteration() {
        }

        @Override
        public void close() {
        }
    }

    /**
     * The one training loop over any {@link Collector}: collect, then {@code updates_per_step} updates per step once
     * {@code learning_starts} is passed, an evaluation at every multiple of {@code eval_interval} crossed (and at
     * the end), one metrics row per finished episode, checkpoints when due; the final bundle and result.json at
     * {@code total_steps}.
     */
    private Result loop(Collector collector, long stopAtStep) throws IOException {
        cpuAtStart = THREADS.getCurrentThreadCpuTime();
        long total = cfg.totalSteps();
        progress.start(collector.title, total, step);
        long t0 = System.nanoTime();
        double wallAtStart = wallSeconds;
        rowUpdates = agent.updates();
        rowWall = wallSeconds;
        List<Map<String, String>> rows = new ArrayList<>();
        try (collector) {
            collector.start();
            while (step < total) {
                if (step >= stopAtStep) {
                    return result(false);
                }
                if (StopRequest.requested()) {
                    return interrupted();
                }
                rows.clear();
                long before = step;
                step += collector.collect(rows);
                for (long u = collector.updatesOwed(before, step); u > 0; u--) {
                    sampler.sample(batch, rng);
                    agent.update(batch);
                }
                collector.afterUpdates();
                wallSeconds = wallAtStart + (System.nanoTime() - t0) / 1e9;
                if (cfg.evalInterval() > 0 && step / cfg.evalInterval() > before / cfg.evalInterval()
                        || step >= total) {
                    long e0 = System.nanoTime();
                    evaluate(step);
                    snapshotBundle();
                    evalSeconds += (System.nanoTime() - e0) / 1e9;
                    wallSeconds = wallAtStart + (System.nanoTime() - t0) / 1e9;
                    // the evaluation joins the row of the episode that ended at this step, if any
                    Map<String, String> row = rows.isEmpty() ? new LinkedHashMap<>() : rows.remove(rows.size() - 1);
                    row.put("eval_return_mean", fmt(latestEval));
                    row.put("eval_return_std", fmt(latestEvalStd));
                    row.put("eval_success_rate", fmt(latestSuccess));
                    collector.tag(row);
                    rows.add(row);
                    progress.message(evalLine());
                }
                for (Map<String, String> row : rows) {
                    finishRow(row);
                }
                if (step / 64 > before / 64 || step == total) {
                    progress.update(step, step / Math.max(1e-9, wallSeconds), latestEval);
                }
                if (collector.checkpointable() && checkpointDue() && step < total) {
                    lastCheckpointStep = step;
                    writeCheckpoint();
                }
                collector.endIteration();
            }
        } finally {
            metrics.close();
            progress.close();
        }
        if (cfg.saveReplay()) {
            writeReplay();
        }
        return finish();
    }

    /** The exact loop: one env on this thread, every episode reset with {@link #episodeSeed}. */
    private final class SingleEnvCollector extends Collector {
        private final float[] action = new float[spec.actionDim()];
        private boolean done;
        private int executed;

        SingleEnvCollector() {
            super(cfg.algo() + " " + cfg.envId());
        }

        @Override
        long collect(List<Map<String, String>> rows) {
            if (step < cfg.learningStarts()) {
                agent.warmupAction(obs, spec.actionSpace(), rng, action);
            } else {
                agent.explore(obs, action);
            }
            Step s = env.step(action);
            if (controlSteps) {
                addControlSteps(obs, action, s);
            } else {
                buffer.add(obs, action, s.info().get(NoiseSpaceEnv.DISCOUNTED_REWARD) instanceof Double d ? d
                        : s.reward(), s.observation(), s.terminated(), s.truncated());
            }
            episodeReturn += s.reward();
            episodeLength++;
            obs = s.observation();
            done = s.done();
            if (done) {
                rows.add(episodeRow(episodeReturn, episodeLength));
                episode++;
                episodeReturn = 0;
                episodeLength = 0;
            }
            // env steps are primitive actions: a wrapper that plays several per decision reports how many
            executed = s.info().get(DecisionInterval.DECISION_STEPS) instanceof Integer k ? k : 1;
            return executed;
        }

        @Override
        long updatesOwed(long before, long step) {
            return step > cfg.learningStarts() ? (long) cfg.updatesPerStep() * (controlSteps ? executed : 1) : 0;
        }

        @Override
        boolean checkpointable() {
            return done;
        }

        @Override
        void endIteration() {
            if (done) {
                obs = env.reset(episodeSeed(cfg.seed(), episode)).observation();
            }
        }
    }

    /**
     * K envs on worker threads (env i seeded with seed + i, same-step auto-reset): each vector step adds K
     * transitions (stream-interleaved, for n-step returns) and owes {@code updates_per_step * K} updates, so the
     * update-to-data ratio is the same as with one env.
     */
    private final class VectorCollector extends Collector {
        private final int k = cfg.numEnvs();
        private final float[][] actions = new float[k][spec.actionDim()];
        private final double[] returns = new double[k];
        private final int[] lengths = new int[k];
        private org.armature.envs.VectorEnv venv;
        private float[][] o;

        VectorCollector() {
            super(cfg.algo() + " " + cfg.envId() + " x" + cfg.numEnvs());
        }

        @Override
        void start() {
            // a resumed run starts fresh episodes in every env, seeded from the checkpoint's step
            venv = new org.armature.envs.VectorEnv(cfg.envId(), k, episodeSeed(cfg.seed(), step == 0 ? 0 : step * k));
            o = venv.reset();
        }

        @Override
        long collect(List<Map<String, String>> rows) {
            for (int i = 0; i < k; i++) {
                if (step < cfg.learningStarts()) {
                    agent.warmupAction(o[i], spec.actionSpace(), rng, actions[i]);
                } else {
                    agent.explore(o[i], actions[i]);
                }
            }
            org.armature.envs.VectorStep vs = venv.step(actions);
            for (int i = 0; i < k; i++) {
                float[] next = vs.finalObservations()[i] != null ? vs.finalObservations()[i] : vs.observations()[i];
                buffer.add(o[i], actions[i], vs.rewards()[i], next, vs.terminated()[i], vs.truncated()[i]);
                returns[i] += vs.rewards()[i];
                lengths[i]++;
                if (vs.terminated()[i] || vs.truncated()[i]) {
                    rows.add(episodeRow(returns[i], lengths[i]));
                    returns[i] = 0;
                    lengths[i] = 0;
                    episode++;
                }
            }
            o = vs.observations();
            return k;
        }

        @Override
        long updatesOwed(long before, long step) {
            return step > cfg.learningStarts() ? (long) cfg.updatesPerStep() * k : 0;
        }

        @Override
        public void close() {
            if (venv != null) {
                venv.close();
            }
        }
    }

    /** Batches of consecutive steps from remote rollout workers ({@link #run(RolloutSource)}). */
    private final class WorkerCollector extends Collector {
        private final RolloutSource source;
        private final float[] o = new float[spec.observationDim()];
        private final float[] a = new float[spec.actionDim()];
        private final float[] next = new float[spec.observationDim()];
        private long published = agent.updates();
        private long lag;

        WorkerCollector(RolloutSource source) {
            super(cfg.algo() + " " + cfg.envId() + " on " + cfg.rollouts().workers() + " rollout workers");
            this.source = source;
        }

        @Override
        void start() throws IOException {
            source.start(cfg, step, RolloutWorker.policyWeights(agent), published);
        }

        @Override
        long collect(List<Map<String, String>> rows) throws IOException {
            RolloutBatch b = source.next(step < cfg.learningStarts());
            lag = b.policyVersion < 0 ? 0 : agent.updates() - b.policyVersion;
            int ended = 0;
            for (int i = 0; i < b.steps; i++) {
                System.arraycopy(b.observations, i * o.length, o, 0, o.length);
                System.arraycopy(b.actions, i * a.length, a, 0, a.length);
                System.arraycopy(b.nextObservations, i * o.length, next, 0, o.length);
                buffer.add(o, a, b.rewards[i], next, b.ends[i] == RolloutBatch.TERMINATED,
                        b.ends[i] == RolloutBatch.TRUNCATED);
                if (b.ends[i] != 0) {
                    Map<String, String> row = episodeRow(b.episodeReturns[ended], b.episodeLengths[ended++]);
                    tag(row);
                    rows.add(row);
                    episode++;
                }
            }
            buffer.closeOpenEpisodes(); // the next batch may come from another worker
            return b.steps;
        }

        @Override
        long updatesOwed(long before, long step) {
            return cfg.updatesPerStep() * Math.max(0, step - Math.max(before, cfg.learningStarts()));
        }

        @Override
        void afterUpdates() throws IOException {
            if (agent.updates() - published >= cfg.rollouts().weightsEvery()) {
                published = agent.updates();
                source.publish(RolloutWorker.policyWeights(agent), published);
            }
        }

        @Override
        void tag(Map<String, String> row) {
            row.putIfAbsent("policy_lag", Long.toString(lag));
        }

        @Override
        public void close() {
            source.close();
        }
    }

    private static Map<String, String> episodeRow(double episodeReturn, int episodeLength) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("episode_return", fmt(episodeReturn));
        row.put("episode_length", Integer.toString(episodeLength));
        return row;
    }

    /**
     * Stores the control steps of one decision as transitions of the task: the observation before each step, its slice
     * of the action sequence, its reward and the observation after it; only the last can end the episode.
     */
    private void addControlSteps(float[] first, float[] sequence, Step s) {
        float[][] after = (float[][]) s.info().get(DecisionInterval.STEP_OBSERVATIONS);
        double[] rewards = (double[]) s.info().get(DecisionInterval.STEP_REWARDS);
        if (after == null || rewards == null) {
            throw new IllegalStateException(cfg.algo() + " learns from control steps, but the env reports none ("
                    + DecisionInterval.STEP_OBSERVATIONS + ")");
        }
        float[] before = first;
        for (int i = 0; i < after.length; i++) {
            System.arraycopy(sequence, i * primitive.length, primitive, 0, primitive.length);
            boolean last = i == after.length - 1;
            buffer.add(before, primitive, rewards[i], after[i], last && s.terminated(), last && s.truncated());
            before = after[i];
        }
    }

    /** The progress line of an evaluation (success only for tasks that define it). */
    private String evalLine() {
        return String.format("step %d: eval return %.2f +- %.2f%s", step, latestEval, latestEvalStd,
                evalEnv.definesSuccess() ? String.format(", success %.2f", latestSuccess) : "");
    }

    /** Whether a checkpoint is due by steps ({@code checkpoint_interval}) or by wall time. */
    private boolean checkpointDue() {
        return cfg.checkpointInterval() > 0 && step - lastCheckpointStep >= cfg.checkpointInterval()
                || cfg.checkpointIntervalSeconds() > 0 && wallSeconds - lastCheckpointWall
                >= cfg.checkpointIntervalSeconds();
    }

    /**
     * An operator stop ({@link StopRequest}): after the update in progress, a checkpoint (inside an episode if need
     * be; a resume then starts a fresh episode) and the bundle of the current policy, then return.
     */
    private Result interrupted() throws IOException {
        midEpisode = episodeLength > 0;
        writeCheckpoint();
        writeBundle(runDir.resolve(BUNDLE));
        progress.message("stopped at env step " + step + ": checkpoint and bundle of the current policy written to "
                + runDir + "; continue with --resume " + runDir);
        return result(true);
    }

    /** The run's state now, as a {@link Result} ({@code interrupted}: stopped by the operator). */
    private Result result(boolean interrupted) {
        return new Result(runDir, step, latestEval, latestEvalStd, latestSuccess, wallSeconds,
                wallSeconds - evalSeconds, agent.updates(), cpuSeconds(), interrupted);
    }

    /** Final bundle, then result.json (which marks the run finished). */
    private Result finish() throws IOException {
        writeBundle(runDir.resolve(BUNDLE));
        Result r = result(false);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("algo", cfg.algo());
        m.put("env_id", cfg.envId());
        m.put("seed", cfg.seed());
        m.put("env_steps", step);
        m.put("updates", agent.updates());
        m.put("final_eval_return_mean", latestEval);
        m.put("final_eval_return_std", latestEvalStd);
        m.put("final_eval_success_rate", latestSuccess);
        m.put("evaluation_seed", Seeds.of(cfg.seed(), "evaluation")); // `armature eval --seed` reproduces it
        m.put("wall_seconds", wallSeconds);
        run.writeText(RunDirectory.RESULT, Configs.JSON.writeValueAsString(m));
        return r;
    }

    /** The deterministic policy on the same evaluation episodes every time (Seeds "evaluation" + k). */
    private void evaluate(long atStep) {
        Evaluation.Result r = Evaluation.run(new LearnerPolicy(agent, null, spec.observationDim(), spec.actionDim()),
                evalEnv, cfg.evalEpisodes(), Seeds.of(cfg.seed(), "evaluation"));
        latestEval = r.mean();
        latestEvalStd = r.std();
        latestSuccess = r.successRate();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    /** Adds the learner's statistics and the update rate since the previous row, then writes the row. */
    private void finishRow(Map<String, String> row) throws IOException {
        agent.stats(stats);
        for (int i = 0; i < statNames.length; i++) {
            row.put(statNames[i], fmt(stats[i]));
        }
        double dt = wallSeconds - rowWall;
        long du = agent.updates() - rowUpdates;
        if (du > 0 && dt > 0) {
            row.put("updates_per_second", fmt(du / dt));
        }
        rowWall = wallSeconds;
        rowUpdates = agent.updates();
        writeRow(row);
    }

    private void writeRow(Map<String, String> row) throws IOException {
        row.put("env_steps", Long.toString(step));
        row.put("wall_seconds", String.format(java.util.Locale.ROOT, "%.3f", wallSeconds));
        metrics.write(row);
    }

    /** The one checkpoint layout ({@link RunDirectory#writeCheckpoint}); this loop's own part follows. */
    private void writeCheckpoint() throws IOException {
        run.writeCheckpoint(LOOP, step, wallSeconds, rng, agent, out -> {
            out.writeLong(episode);
            out.writeDouble(evalSeconds);
            out.writeLong(lastCheckpointStep);
            out.writeDouble(latestEval);
            out.writeDouble(latestEvalStd);
            out.writeDouble(latestSuccess);
            out.writeBoolean(midEpisode || (cfg.numEnvs() > 1 || cfg.rollouts().workers() > 0) && step > 0);
            buffer.write(out);
        });
        lastCheckpointWall = wallSeconds;
        progress.message("step " + step + ": checkpoint written");
    }

    /** This loop's part of a checkpoint; the random stream and the learner are already restored. */
    private Void readLoopState(DataInputStream in) throws IOException {
        episode = in.readLong();
        evalSeconds = in.readDouble();
        lastCheckpointStep = in.readLong();
        latestEval = in.readDouble();
        latestEvalStd = in.readDouble();
        latestSuccess = in.readDouble();
        midEpisode = in.readBoolean();
        buffer.read(in);
        episodeReturn = 0;
        episodeLength = 0;
        return null;
    }

    private void restore(RunDirectory.Resumed<Void> r) {
        step = r.step();
        wallSeconds = r.wallSeconds();
    }

    /** A run's config and its replay buffer, as {@link #loadReplay} read them. */
    public record RunReplay(TrainConfig config, ReplayBuffer buffer) {
    }

    /** The replay buffer (read it, do not add to it). */
    public ReplayBuffer replayBuffer() {
        return buffer;
    }

    private void writeReplay() throws IOException {
        AtomicFiles.write(runDir.resolve(REPLAY), tmp -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp),
                    1 << 16))) {
                out.writeUTF(REPLAY_MAGIC);
                out.writeLong(step);
                buffer.write(out);
            }
        });
    }

    /**
     * The replay buffer of a run directory: {@code replay.bin} when the run saved it ({@code save_replay}), else the
     * buffer inside its latest checkpoint. Fails with a message naming what is missing.
     */
    public static RunReplay loadReplay(Path runDir) throws IOException {
        RunDirectory run = RunDirectory.open(runDir);
        TrainConfig cfg = readConfig(run.file(CONFIG));
        Path replay = runDir.resolve(REPLAY);
        Path ckpt = runDir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(replay) && !Files.isRegularFile(ckpt)) {
            throw new IOException(runDir + " has neither " + REPLAY + " nor a checkpoint; train with --set save_replay=true"
                    + " (or checkpoint_interval > 0 and num_envs = 1)");
        }
        Trainer t = new Trainer(cfg, run, Progress.SILENT, null);
        try {
            if (Files.isRegularFile(replay)) {
                RunDirectory.readState(replay, in -> {
                    String magic = in.readUTF();
                    if (!magic.equals(REPLAY_MAGIC)) {
                        throw new IOException(replay + ": not an Armature replay file (header '" + magic + "')");
                    }
                    in.readLong();
                    t.buffer.read(in);
                    return null;
                });
            } else {
                t.restore(RunDirectory.readCheckpoint(ckpt, LOOP, t.rng, t.agent, t::readLoopState));
            }
        } finally {
            t.env.close();
            t.evalEnv.close();
        }
        return new RunReplay(cfg, t.buffer);
    }

    /**
     * With {@code save_eval_bundles}, keeps the policy of every evaluation as {@code bundles/step-<N>/} (behaviour
     * policies for datasets: D4RL's "medium" is an early-stopped policy at about a third of the final return).
     */
    private void snapshotBundle() throws IOException {
        if (cfg.saveEvalBundles()) {
            writeBundle(runDir.resolve(EVAL_BUNDLES).resolve(String.format("step-%09d", step)));
        }
    }

    /** Writes the policy bundle into {@code dir} (replacing an older one; built in a temp dir, then renamed). */
    public void writeBundle(Path dir) throws IOException {
        OnlineAlgorithms.writeBundle(dir, cfg, agent, spec, envSpec, runDir, PolicyBundles.Provenance.now(cfg.algo(),
                cfg.envId(), cfg.seed(), step, agent.updates()));
    }
}
