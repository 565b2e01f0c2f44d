package org.armature.offline.algo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.armature.agents.Batch;
import org.armature.agents.ChunkLayout;
import org.armature.agents.Policy;
import org.armature.agents.Sampler;
import org.armature.agents.data.WindowSampler;
import org.armature.nn.ParamIO;
import org.armature.agents.Learner;
import org.armature.agents.LearnerPolicy;
import org.armature.agents.PolicyBundles;
import org.armature.agents.Seeds;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.DatasetSampler;
import org.armature.agents.data.Normalization;
import org.armature.agents.data.OfflineDataset;
import org.armature.agents.data.TrainingData;
import org.armature.agents.data.TrajectoryWeighting;
import org.armature.envs.Env;
import org.armature.envs.EnvSpec;
import org.armature.envs.Envs;
import org.armature.nn.Rng;
import org.armature.offline.data.DatasetFiles;
import org.armature.offline.metrics.ReferenceScores;
import org.armature.train.CsvLog;
import org.armature.train.Evaluation;
import org.armature.train.RunDirectory;
import org.armature.train.StopRequest;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One offline training run: load the dataset, build the sampler and the algorithm, take {@code steps} gradient
 * steps, evaluate the deterministic policy in the env every {@code evalEvery} steps, and write the run directory:
 * <pre>
 *   config.json    resolved configuration (algorithm hyperparameters included), seed, dataset provenance
 *   metrics.csv    step, wall time, losses (every logEvery steps)
 *   eval.csv       step, mean return, std, D4RL-normalised score of each evaluation
 *   result.json    final evaluation, steps per second
 *   checkpoints/latest.ckpt  every {@code checkpointEvery} steps until the run finishes ({@link #resume})
 *   bundle/        final policy bundle (armature eval / deploy), the same place as online training puts it
 * </pre>
 */
public final class OfflineTraining {

    /** Result of a run. */
    public record Result(String algo, String envId, String sampler, long seed, long steps, double finalReturn,
                         double finalReturnStd, double finalNormalizedScore, double stepsPerSecond,
                         List<double[]> evaluations, boolean interrupted) {
    }

    /** Wall seconds between checkpoints, besides every {@code checkpointEvery} steps (when that is on). */
    public static final double CHECKPOINT_SECONDS = 600;

    private OfflineTraining() {
    }

    /** Observation clip in the bundle: CORL does not clip normalised states, so the bound is far outside the data. */
    static final double OBSERVATION_CLIP = 1e6;

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Result run(OfflineConfig c, LongConsumer progress) {
        if (c.steps() < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + c.steps());
        }
        if (c.batchSize() < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + c.batchSize());
        }
        if (c.checkpointEvery() < 0) {
            throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + c.checkpointEvery());
        }
        Setup s = new Setup(c);
        RunDirectory run;
        try {
            run = RunDirectory.create(c.runDir(), c.overwrite());
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        try {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("algo", s.algo.algo());
            config.put("dataset", c.dataset().toString());
            config.put("dataset_metadata", s.raw.metadata());
            config.put("dataset_transitions", s.data.size);
            config.put("env_id", c.envId());
            config.put("steps", c.steps());
            config.put("batch_size", c.batchSize());
            config.put("sampler", s.samplerName);
            if (!s.samplerNote.isEmpty()) {
                config.put("sampler_note", s.samplerNote);
            }
            config.put("seed", c.seed());
            config.put("normalize_states", c.normalizeStates());
            config.put("reward_scale", s.rewardScale);
            config.put("reward_bias", s.rewardBias);
            config.put("overrides", c.overrides());
            config.put("eval_every", c.evalEvery());
            config.put("eval_episodes", c.evalEpisodes());
            // evaluation episode k is reset with evaluation_seed + k: `armature eval --seed` reproduces it
            config.put("evaluation_seed", Seeds.of(c.seed(), "evaluation"));
            config.put("checkpoint_every", c.checkpointEvery());
            config.put("hyperparameters", s.algo.hyperparameters());
            config.put("reference_scores", s.ref);
            config.put("armature_version", DatasetMetadata.currentVersion());
            config.put("java", System.getProperty("java.version"));
            config.put("available_processors", Runtime.getRuntime().availableProcessors());
            config.put(OfflineConfig.RUN_KEY, c.runSection());
            run.writeConfig(JSON.writeValueAsString(config));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run directory " + c.runDir() + ": " + e.getMessage(), e);
        }
        return s.train(run, new ArrayList<>(), 0, 0, 0, progress);
    }

    /**
     * Continues a run from {@code <run>/checkpoints/latest.ckpt} with the configuration in its config.json. The
     * continuation is exact: the same numbers as a run that was never interrupted (the checkpoint holds the loop's
     * random stream with the learner; metric and evaluation rows written after the checkpoint are dropped).
     */
    public static Result resume(Path runDir, LongConsumer progress) {
        RunDirectory run;
        try {
            run = RunDirectory.resume(runDir, "armature offline");
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage()
                    + (e.getMessage().contains("no checkpoint") ? "; offline runs write one every --checkpoint-every steps"
                    : ""), e);
        }
        JsonNode root = OfflineConfig.readConfig(runDir);
        OfflineConfig c = OfflineConfig.read(root, runDir);
        long transitions = root.path("dataset_transitions").asLong(-1);
        Setup s = new Setup(c);
        if (transitions >= 0 && transitions != s.data.size) {
            throw new IllegalArgumentException(c.dataset() + " now has " + s.data.size + " transitions, the run was "
                    + "started on " + transitions + "; resume needs the same dataset");
        }
        List<double[]> evals = new ArrayList<>();
        RunDirectory.Resumed<Long> loop;
        try {
            loop = run.resumeCheckpoint(LOOP, s.loopRng, s.algo, in -> {
                long trainNanos = in.readLong();
                int nEval = in.readInt();
                for (int i = 0; i < nEval; i++) {
                    double[] e = new double[EVAL_VALUES];
                    for (int j = 0; j < EVAL_VALUES; j++) {
                        e[j] = in.readDouble();
                    }
                    evals.add(e);
                }
                return trainNanos;
            });
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (loop.step() < 1 || loop.step() >= c.steps()) {
            throw new IllegalArgumentException(run.file(RunDirectory.CHECKPOINT) + " is at step " + loop.step()
                    + ", outside the run's 1.." + (c.steps() - 1));
        }
        return s.train(run, evals, loop.step(), loop.wallSeconds(), loop.loopState(), progress);
    }

    /** Which loop wrote a checkpoint ({@link RunDirectory#writeCheckpoint}). */
    static final String LOOP = "offline";
    /** Values per evaluation row: step, return mean, std, normalised score, success rate, mean max coverage. */
    private static final int EVAL_VALUES = 6;
    private static final List<String> EVAL_COLUMNS = List.of("step", "wall_s", "return_mean", "return_std",
            "normalized_score", "success_rate", "max_coverage_mean");

    /** Everything a run builds from its config before the first gradient step (deterministic in the config). */
    private static final class Setup {
        final OfflineConfig c;
        final OfflineDataset raw;
        final EnvSpec spec;
        final Normalization norm;
        final double rewardScale;
        final double rewardBias;
        final TrainingData data;
        /** Transitions (uniform, rw, aw) or, for a chunked learner, windows of its {@link Learner#chunking()}. */
        final Sampler sampler;
        final String samplerName;
        /** Evaluated through its bundle: chunked and diffusion policies keep history, queue and noise themselves. */
        final boolean evaluateBundle;
        /** The loop's stream (Seeds "loop"): the sampler draws from it; checkpointed with the learner. */
        final Rng loopRng;
        final Learner algo;
        final ReferenceScores.Reference ref;
        final String samplerNote;

        Setup(OfflineConfig c) {
            this.c = c;
            raw = DatasetFiles.read(c.dataset());
            try (Env env = Envs.make(c.envId())) {
                spec = env.spec();
            }
            if (raw.observationDim() != spec.observationDim() || raw.actionDim() != spec.actionDim()) {
                throw new IllegalArgumentException(c.dataset() + " has observation/action dims " + raw.observationDim()
                        + "/" + raw.actionDim() + " but " + c.envId() + " has " + spec.observationDim() + "/"
                        + spec.actionDim());
            }
            String recorded = raw.metadata().envId();
            if (recorded != null && !recorded.isBlank() && !Envs.sameFamily(recorded, c.envId())) {
                System.err.println("warning: dataset " + c.dataset() + " was collected on " + recorded
                        + ", but is used with " + c.envId() + " (the sizes match; the task does not)");
            }
            algo = OfflineAlgorithms.create(c.algo(), c.envId(), raw.observationDim(), raw.actionDim(), c.steps(),
                    c.overrides(), c.seed());
            ChunkLayout layout = algo.chunking();
            norm = algo.minMaxNormalised() ? Normalization.minMax(raw)
                    : Normalization.of(raw, spec.actionSpace(), c.normalizeStates());
            OfflineAlgorithms.RewardTransform t = OfflineAlgorithms.rewards(c.algo(), c.envId());
            boolean normalizeRewards = c.rewardScale() == null && t.returnRangeNormalised();
            rewardScale = c.rewardScale() != null ? c.rewardScale()
                    : normalizeRewards ? TrainingData.returnRangeScale(raw) * t.scale() : 1.0;
            rewardBias = c.rewardBias() != null ? c.rewardBias() : normalizeRewards ? t.bias() : 0.0;
            data = new TrainingData(raw, norm, rewardScale, rewardBias);
            if (layout.isSingleStep()) {
                DatasetSampler ds = DatasetSampler.create(c.sampler(), data, algo.discount(), c.samplerAlpha());
                sampler = ds;
                samplerName = ds.describe();
                samplerNote = ds.draw() instanceof TrajectoryWeighting tw ? tw.note() : "";
            } else {
                if (!c.sampler().equalsIgnoreCase("uniform")) {
                    throw new IllegalArgumentException("--sampler " + c.sampler() + ": a chunked learner samples windows "
                            + "uniformly (give --sampler uniform)");
                }
                sampler = new WindowSampler(data, layout, algo.discount());
                samplerName = "windows(To=" + layout.observationHistory() + ", Tp=" + layout.chunkLength() + ", Ta="
                        + layout.executedChunk() + ")";
                samplerNote = "";
            }
            evaluateBundle = !layout.isSingleStep() || algo.minMaxNormalised() || algo.noiseSchedule() != null;
            loopRng = new Rng(Seeds.of(c.seed(), "loop"));
            ref = ReferenceScores.find(c.envId()).orElse(null);
        }

        /** Gradient steps {@code done + 1 .. c.steps()}, appending to metrics.csv and eval.csv when resuming. */
        Result train(RunDirectory run, List<double[]> evals, long done, double wallOffset, long trainNanos,
                     LongConsumer progress) {
            ChunkLayout w = algo.chunking();
            Batch batch = new Batch(c.batchSize(), w.observationHistory() * data.observationDim,
                    w.chunkLength() * data.actionDim, DataType.FLOAT);
            String[] statNames = algo.statNames();
            double[] stats = new double[statNames.length];
            List<String> columns = new ArrayList<>(List.of("step", "wall_s"));
            columns.addAll(List.of(statNames));
            long start = System.nanoTime() - (long) (wallOffset * 1e9);
            try (CsvLog metrics = run.csv(RunDirectory.METRICS, columns, done > 0);
                 CsvLog evalCsv = run.csv(RunDirectory.EVAL, EVAL_COLUMNS, done > 0)) {
                if (progress != null && done > 0) {
                    progress.accept(done);
                }
                double lastCheckpointWall = wallOffset;
                for (long step = done + 1; step <= c.steps(); step++) {
                    if (StopRequest.requested() && step > 1) {
                        // an operator stop: checkpoint at the last finished step and the bundle of the current policy
                        double wall = (System.nanoTime() - start) / 1e9;
                        writeCheckpoint(run, step - 1, wall, trainNanos, evals);
                        writeBundle(run.file(RunDirectory.BUNDLE));
                        System.err.println("stopped after gradient step " + (step - 1) + ": checkpoint and bundle of the "
                                + "current policy written to " + c.runDir() + "; continue with --resume " + c.runDir());
                        return result(step - 1, trainNanos, evals, true);
                    }
                    long t0 = System.nanoTime();
                    sampler.sample(batch, loopRng);
                    algo.update(batch);
                    trainNanos += System.nanoTime() - t0;
                    if (step % c.logEvery() == 0 || step == c.steps()) {
                        algo.stats(stats);
                        List<String> row = new ArrayList<>(List.of(Long.toString(step),
                                String.format("%.2f", (System.nanoTime() - start) / 1e9)));
                        for (double v : stats) {
                            row.add(Double.isNaN(v) ? "" : String.format("%.6g", v));
                        }
                        metrics.write(row);
                    }
                    if ((c.evalEvery() > 0 && step % c.evalEvery() == 0) || step == c.steps()) {
                        double[] e = evaluateBundle ? evaluateBundle(run, evals) : evaluate(algo, norm, c.envId(),
                                c.evalEpisodes(), c.seed(), ref);
                        evals.add(new double[]{step, e[0], e[1], e[2], e[3], e[4]});
                        evalCsv.write(List.of(Long.toString(step), String.format("%.2f",
                                (System.nanoTime() - start) / 1e9), String.format("%.4f", e[0]),
                                String.format("%.4f", e[1]), String.format("%.4f", e[2]), String.format("%.4f", e[3]),
                                Double.isNaN(e[4]) ? "" : String.format("%.4f", e[4])));
                    }
                    double wall = (System.nanoTime() - start) / 1e9;
                    if (c.checkpointEvery() > 0 && step < c.steps() && (step % c.checkpointEvery() == 0
                            || wall - lastCheckpointWall >= CHECKPOINT_SECONDS)) {
                        writeCheckpoint(run, step, wall, trainNanos, evals);
                        lastCheckpointWall = wall;
                    }
                    if (progress != null) {
                        progress.accept(step);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write metrics in " + c.runDir() + ": " + e.getMessage(), e);
            }
            double[] last = evals.get(evals.size() - 1);
            Result result = result(c.steps(), trainNanos, evals, false);
            try {
                writeBundle(run.file(RunDirectory.BUNDLE));
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("algo", result.algo());
                r.put("env_id", result.envId());
                r.put("sampler", result.sampler());
                r.put("seed", result.seed());
                r.put("steps", result.steps());
                if (done > 0) {
                    r.put("resumed_from_step", done);
                }
                r.put("final_return", result.finalReturn());
                r.put("final_return_std", result.finalReturnStd());
                r.put("final_normalized_score", result.finalNormalizedScore());
                r.put("final_success_rate", last[4]);
                if (!Double.isNaN(last[5])) {
                    r.put("final_max_coverage_mean", last[5]);
                }
                double[] best = best(evals);
                r.put("best_step", (long) best[0]);
                r.put("best_return", best[1]);
                r.put("best_success_rate", best[4]);
                if (!Double.isNaN(best[5])) {
                    r.put("best_max_coverage_mean", best[5]);
                }
                r.put("gradient_steps_per_second", result.stepsPerSecond());
                run.writeText(RunDirectory.RESULT, JSON.writeValueAsString(r));
                run.deleteCheckpoint();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write results in " + c.runDir() + ": " + e.getMessage(), e);
            }
            return result;
        }

        /** The run after {@code steps} gradient steps (training before a resume included), at its last evaluation. */
        private Result result(long steps, long trainNanos, List<double[]> evals, boolean interrupted) {
            double[] e = evals.isEmpty() ? new double[]{0, Double.NaN, Double.NaN, Double.NaN}
                    : evals.get(evals.size() - 1);
            return new Result(algo.algo(), c.envId(), samplerName, c.seed(), steps, e[1], e[2], e[3],
                    steps / (Math.max(1, trainNanos) / 1e9), evals, interrupted);
        }

        /** The bundle of the current policy (normalisation of the dataset, provenance with the gradient steps). */
        private void writeBundle(Path dir) throws IOException {
            PolicyBundles.Provenance p = PolicyBundles.Provenance.now(algo.algo(), c.envId(), c.seed(), 0, algo.updates());
            if (algo.minMaxNormalised()) {
                float[][] o = norm.observationRange();
                float[][] a = norm.actionRange();
                PolicyBundles.write(dir, algo, spec, PolicyBundles.Normalization.minMax(o[0], o[1]),
                        PolicyBundles.Normalization.minMax(a[0], a[1]), p, null, null);
            } else {
                PolicyBundles.write(dir, algo, spec, new PolicyBundles.Normalization(norm.observationMean(),
                        norm.observationStd(), OBSERVATION_CLIP), p);
            }
        }

        /**
         * Evaluates the policy as it will be deployed: the bundle of the current (for diffusion: averaged) weights,
         * loaded with {@link Policy#load}. A bundle that beats every earlier evaluation (success rate, then return)
         * is kept as {@code bundle-best/}.
         */
        private double[] evaluateBundle(RunDirectory run, List<double[]> evals) throws IOException {
            Path dir = run.file(".eval-bundle");
            writeBundle(dir);
            Policy policy = Policy.load(dir);
            double[] e = scores(Evaluation.run(policy, c.envId(), c.evalEpisodes(), Seeds.of(c.seed(), "evaluation")),
                    ref);
            double[] best = evals.isEmpty() ? null : best(evals);
            if (best == null || e[3] > best[4] || (e[3] == best[4] && e[0] > best[1])) {
                Path keep = run.file(BEST_BUNDLE);
                ParamIO.deleteRecursively(keep);
                Files.move(dir, keep, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } else {
                ParamIO.deleteRecursively(dir);
            }
            return e;
        }

        /** {@code checkpoints/latest.ckpt}, written to a temporary file and renamed over the previous one. */
        private void writeCheckpoint(RunDirectory run, long step, double wallSeconds, long trainNanos,
                                     List<double[]> evals) throws IOException {
            run.writeCheckpoint(LOOP, step, wallSeconds, loopRng, algo, out -> {
                out.writeLong(trainNanos);
                out.writeInt(evals.size());
                for (double[] e : evals) {
                    for (int i = 0; i < EVAL_VALUES; i++) {
                        out.writeDouble(e[i]);
                    }
                }
            });
        }
    }

    /**
     * Mean and std of the return of the deterministic policy (the one evaluation routine, on the same episodes at
     * every evaluation: Seeds "evaluation" + k), and the D4RL-normalised score (NaN without a reference).
     */
    static double[] evaluate(Learner algo, Normalization norm, String envId, int episodes, long seed,
                             ReferenceScores.Reference ref) {
        LearnerPolicy policy = new LearnerPolicy(algo, norm, norm.observationMean().length,
                norm.actionCenter().length);
        return scores(Evaluation.run(policy, envId, episodes, Seeds.of(seed, "evaluation")), ref);
    }

    /** Return mean and std, D4RL-normalised score (NaN without a reference), success rate, mean max coverage. */
    private static double[] scores(Evaluation.Result r, ReferenceScores.Reference ref) {
        return new double[]{r.mean(), r.std(), ref == null ? Double.NaN : ref.normalise(r.mean()), r.successRate(),
                r.meanMaxCoverage()};
    }

    /** The best evaluation row (step, return, std, score, success, coverage): success rate first, then return. */
    public static double[] best(List<double[]> evals) {
        double[] b = evals.get(0);
        for (double[] e : evals) {
            if (e[4] > b[4] || (e[4] == b[4] && e[1] > b[1])) {
                b = e;
            }
        }
        return b;
    }

    /** The best evaluated bundle of a run whose policy is evaluated through its bundle. */
    public static final String BEST_BUNDLE = "bundle-best";
}
