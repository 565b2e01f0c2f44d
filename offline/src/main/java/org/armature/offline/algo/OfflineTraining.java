package org.armature.offline.algo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.armature.envs.Env;
import org.armature.envs.EnvSpec;
import org.armature.envs.Envs;
import org.armature.offline.Collector;
import org.armature.offline.DatasetFiles;
import org.armature.offline.DatasetMetadata;
import org.armature.offline.OfflineDataset;
import org.armature.offline.ReferenceScores;
import org.armature.offline.TrajectoryWeightedSampler;
import org.armature.offline.TransitionSampler;

/**
 * One offline training run: load the dataset, build the sampler and the algorithm, take {@code steps} gradient
 * steps, evaluate the deterministic policy in the env every {@code evalEvery} steps, and write the run directory:
 * <pre>
 *   config.json    resolved configuration (algorithm hyperparameters included), seed, dataset provenance
 *   metrics.csv    step, wall time, losses (every logEvery steps)
 *   eval.csv       step, mean return, std, D4RL-normalised score of each evaluation
 *   result.json    final evaluation, steps per second
 *   bundle/        final policy bundle (armature eval / deploy), the same place as online training puts it
 * </pre>
 */
public final class OfflineTraining {

    /** @param rewardScale null: the algorithm's CORL default ({@link #defaultNormalizeRewards}: 1000 / return range, else 1) */
    public record Config(String algo, Path dataset, String envId, long steps, int batchSize, String sampler,
                         double samplerAlpha, long seed, long evalEvery, int evalEpisodes, boolean normalizeStates,
                         Double rewardScale, double iqlHuberDelta, Path runDir, int logEvery, int hidden,
                         int iqlEnsemble, double iqlQuantile, Map<String, String> overrides) {
        public Config {
            overrides = overrides == null ? Map.of()
                    : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides)); // keeps --set order
        }
    }

    /** Result of a run. */
    public record Result(String algo, String envId, String sampler, long seed, long steps, double finalReturn,
                         double finalReturnStd, double finalNormalizedScore, double stepsPerSecond,
                         List<double[]> evaluations) {
    }

    private OfflineTraining() {
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** @param hidden hidden width of every network (CORL: 256) */
    public static OfflineAlgorithm create(String algo, int od, int ad, long steps, double huberDelta, long seed,
                                          int hidden) {
        return create(algo, null, od, ad, steps, huberDelta, seed, hidden, 2, 0.0, Map.of());
    }

    /**
     * @param envId       the task, for CORL's per-task defaults (null: the algorithm's generic CORL config)
     * @param iqlEnsemble IQL critics (CORL 2)
     * @param iqlQuantile quantile of them for V's target (0 = min)
     * @param overrides   {@code --set name=value} pairs applied to the algorithm's config record last
     */
    public static OfflineAlgorithm create(String algo, String envId, int od, int ad, long steps, double huberDelta,
                                          long seed, int hidden, int iqlEnsemble, double iqlQuantile,
                                          Map<String, String> overrides) {
        if (hidden < 1) {
            throw new IllegalArgumentException("--hidden must be >= 1, got " + hidden);
        }
        return switch (algo.toLowerCase()) {
            case "bc" -> {
                Bc.Config c = Bc.Config.corl();
                yield new Bc(od, ad, ConfigOverrides.apply(new Bc.Config(hidden, c.layers(), c.learningRate()),
                        overrides, "bc"), seed);
            }
            case "td3bc", "td3+bc", "td3_bc" -> {
                Td3Bc.Config c = Td3Bc.Config.corl();
                yield new Td3Bc(od, ad, ConfigOverrides.apply(new Td3Bc.Config(hidden, c.layers(), c.actorLr(),
                        c.criticLr(), c.discount(), c.tau(), c.alpha(), c.policyNoise(), c.noiseClip(),
                        c.policyFrequency()), overrides, "td3bc"), seed);
            }
            case "iql" -> {
                Iql.Config c = Iql.Config.corl(envId, steps);
                yield new Iql(od, ad, ConfigOverrides.apply(new Iql.Config(hidden, c.layers(), c.actorLr(), c.qLr(),
                        c.vLr(), c.discount(), c.tau(), c.expectile(), c.beta(), c.maxWeight(), c.cosineActorLr(),
                        c.totalSteps(), huberDelta, iqlEnsemble, iqlQuantile, c.deterministicActor()), overrides,
                        "iql"), seed);
            }
            case "cql" -> {
                Cql.Config c = Cql.Config.corl();
                yield new Cql(od, ad, ConfigOverrides.apply(new Cql.Config(hidden, c.criticLayers(), c.actorLayers(),
                        c.policyLr(), c.qLr(), c.alphaLr(), c.discount(), c.tau(), c.cqlAlpha(), c.cqlActions(),
                        c.cqlTemperature(), c.importanceSample()), overrides, "cql"), seed);
            }
            default -> throw new IllegalArgumentException("unknown --algo '" + algo + "', expected bc, td3bc, iql or cql");
        };
    }

    /**
     * CORL's {@code normalize_reward} per algorithm and task: IQL always rescales rewards so returns span 1000
     * ({@code iql.py}); CQL does so only on Hopper ({@code configs/offline/cql/hopper/*.yaml}; HalfCheetah and
     * Walker2d keep raw rewards); BC and TD3+BC never do.
     */
    public static boolean defaultNormalizeRewards(String algo, String envId) {
        return switch (algo.toLowerCase(java.util.Locale.ROOT)) {
            case "iql" -> true;
            case "cql" -> isHopper(envId);
            default -> false;
        };
    }

    /** CORL's per-task configs single out Hopper (IQL's actor and τ, CQL's reward normalisation). */
    static boolean isHopper(String envId) {
        return envId != null && envId.toLowerCase(java.util.Locale.ROOT).startsWith("hopper");
    }

    /** CORL's default state normalisation per algorithm (all four normalise in CORL's locomotion configs). */
    public static boolean defaultNormalizeStates(String algo) {
        return true;
    }

    public static Result run(Config c, LongConsumer progress) {
        if (c.steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + c.steps);
        }
        if (c.batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + c.batchSize);
        }
        OfflineDataset raw = DatasetFiles.read(c.dataset);
        EnvSpec spec;
        try (Env env = Envs.make(c.envId)) {
            spec = env.spec();
        }
        if (raw.observationDim() != spec.observationDim() || raw.actionDim() != spec.actionDim()) {
            throw new IllegalArgumentException(c.dataset + " has observation/action dims " + raw.observationDim() + "/"
                    + raw.actionDim() + " but " + c.envId + " has " + spec.observationDim() + "/" + spec.actionDim());
        }
        Normalization norm = Normalization.of(raw, spec.actionSpace(), c.normalizeStates);
        double rewardScale = c.rewardScale != null ? c.rewardScale
                : defaultNormalizeRewards(c.algo, c.envId) ? TrainingData.returnRangeScale(raw) : 1.0;
        TrainingData data = new TrainingData(raw, norm, rewardScale, 0.0);
        TransitionSampler sampler = TransitionSampler.create(c.sampler, data.dataset, c.samplerAlpha, c.seed + 1);
        OfflineAlgorithm algo = create(c.algo, c.envId, data.observationDim, data.actionDim, c.steps, c.iqlHuberDelta,
                c.seed, c.hidden, c.iqlEnsemble, c.iqlQuantile, c.overrides);
        ReferenceScores.Reference ref = ReferenceScores.find(c.envId).orElse(null);

        try {
            Files.createDirectories(c.runDir);
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("algo", algo.name());
            config.put("dataset", c.dataset.toString());
            config.put("dataset_metadata", raw.metadata());
            config.put("dataset_transitions", data.size);
            config.put("env_id", c.envId);
            config.put("steps", c.steps);
            config.put("batch_size", c.batchSize);
            config.put("sampler", sampler.describe());
            if (sampler instanceof TrajectoryWeightedSampler tw && !tw.note().isEmpty()) {
                config.put("sampler_note", tw.note());
            }
            config.put("seed", c.seed);
            config.put("normalize_states", c.normalizeStates);
            config.put("reward_scale", rewardScale);
            config.put("overrides", c.overrides);
            config.put("eval_every", c.evalEvery);
            config.put("eval_episodes", c.evalEpisodes);
            config.put("hyperparameters", algo.hyperparameters());
            config.put("reference_scores", ref);
            config.put("armature_version", DatasetMetadata.currentVersion());
            config.put("java", System.getProperty("java.version"));
            config.put("available_processors", Runtime.getRuntime().availableProcessors());
            Files.writeString(c.runDir.resolve("config.json"), JSON.writeValueAsString(config));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run directory " + c.runDir + ": " + e.getMessage(), e);
        }

        OfflineBatch batch = new OfflineBatch(c.batchSize, data.observationDim, data.actionDim);
        List<double[]> evals = new ArrayList<>();
        long start = System.nanoTime();
        long trainNanos = 0;
        try (BufferedWriter metrics = Files.newBufferedWriter(c.runDir.resolve("metrics.csv"), StandardCharsets.UTF_8);
             BufferedWriter evalCsv = Files.newBufferedWriter(c.runDir.resolve("eval.csv"), StandardCharsets.UTF_8)) {
            evalCsv.write("step,wall_s,return_mean,return_std,normalized_score\n");
            List<String> keys = null;
            for (long step = 1; step <= c.steps; step++) {
                long t0 = System.nanoTime();
                sampler.sample(batch.indices);
                batch.fill(data);
                algo.update(batch);
                trainNanos += System.nanoTime() - t0;
                if (step % c.logEvery == 0 || step == c.steps) {
                    Map<String, Double> m = algo.lastMetrics();
                    if (keys == null) {
                        keys = new ArrayList<>(m.keySet());
                        metrics.write("step,wall_s," + String.join(",", keys) + "\n");
                    }
                    StringBuilder sb = new StringBuilder();
                    sb.append(step).append(',').append(String.format("%.2f", (System.nanoTime() - start) / 1e9));
                    for (String k : keys) {
                        Double v = m.get(k);
                        sb.append(',').append(v == null ? "" : String.format("%.6g", v));
                    }
                    metrics.write(sb.append('\n').toString());
                    metrics.flush();
                }
                if ((c.evalEvery > 0 && step % c.evalEvery == 0) || step == c.steps) {
                    double[] e = evaluate(algo, norm, c.envId, c.evalEpisodes, c.seed, ref);
                    evals.add(new double[]{step, e[0], e[1], e[2]});
                    evalCsv.write(String.format("%d,%.2f,%.4f,%.4f,%.4f%n", step, (System.nanoTime() - start) / 1e9,
                            e[0], e[1], e[2]));
                    evalCsv.flush();
                }
                if (progress != null) {
                    progress.accept(step);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics in " + c.runDir + ": " + e.getMessage(), e);
        }
        double[] last = evals.get(evals.size() - 1);
        double sps = c.steps / (trainNanos / 1e9);
        Result result = new Result(algo.name(), c.envId, sampler.describe(), c.seed, c.steps, last[1], last[2],
                last[3], sps, evals);
        try {
            PolicyExport.write(c.runDir.resolve("bundle"), algo, norm, spec, c.seed, c.steps);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("algo", result.algo());
            r.put("env_id", result.envId());
            r.put("sampler", result.sampler());
            r.put("seed", result.seed());
            r.put("steps", result.steps());
            r.put("final_return", result.finalReturn());
            r.put("final_return_std", result.finalReturnStd());
            r.put("final_normalized_score", result.finalNormalizedScore());
            r.put("gradient_steps_per_second", result.stepsPerSecond());
            Files.writeString(c.runDir.resolve("result.json"), JSON.writeValueAsString(r));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results in " + c.runDir + ": " + e.getMessage(), e);
        }
        return result;
    }

    /** Mean and std of the return over seeded episodes, and the D4RL-normalised score (NaN without a reference). */
    static double[] evaluate(OfflineAlgorithm algo, Normalization norm, String envId, int episodes, long seed,
                             ReferenceScores.Reference ref) {
        ActorPolicy policy = new ActorPolicy(algo.actorLayers(), algo.actorWeights(), norm);
        // evaluation episodes use seeds far from collection seeds: 1_000_000 + 1000 * seed + i
        OfflineDataset d = Collector.collect(envId, policy, "eval", episodes, 1_000_000L + 1000L * seed, 0.0, null);
        double[] g = d.trajectories().returns();
        double mean = 0;
        for (double x : g) {
            mean += x;
        }
        mean /= g.length;
        double var = 0;
        for (double x : g) {
            var += (x - mean) * (x - mean);
        }
        double std = Math.sqrt(var / g.length);
        return new double[]{mean, std, ref == null ? Double.NaN : ref.normalise(mean)};
    }
}
