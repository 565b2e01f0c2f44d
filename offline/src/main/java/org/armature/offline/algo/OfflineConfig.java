package org.armature.offline.algo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.armature.agents.PolicyBundles;
import org.armature.agents.data.TrajectoryWeighting;

/**
 * What {@code armature offline} was asked to run: built by name with {@link #of} and the {@code with...} methods, kept
 * in the '{@value #RUN_KEY}' section of the run's config.json so that {@link OfflineTraining#resume} rebuilds it.
 *
 * @param checkpointEvery gradient steps between checkpoints (0 = none)
 * @param rewardScale null: the algorithm's CORL default ({@link OfflineAlgorithms#rewards}: 1000 / return range
 *                    times the algorithm's {@link OfflineAlgorithms#rewards} scale, else 1)
 * @param rewardBias  null: its bias when rewards are normalised by default, else 0
 */
public record OfflineConfig(String algo, Path dataset, String envId, long steps, int batchSize, String sampler,
                            double samplerAlpha, long seed, long evalEvery, int evalEpisodes, boolean normalizeStates,
                            Double rewardScale, Double rewardBias, Path runDir, int logEvery,
                            Map<String, String> overrides, long checkpointEvery, boolean overwrite) {
    public OfflineConfig {
        overrides = overrides == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides)); // keeps --set order
    }

    /**
     * A run of {@code algo} on {@code dataset}, evaluated in {@code envId}, written to {@code runDir}, with the
     * command's defaults (100,000 steps, batch 256, uniform sampling, seed 0, 10 evaluation episodes every 5,000
     * steps, CORL's state normalisation and reward transform, a checkpoint every 50,000 steps); change any of them
     * with the {@code with...} methods.
     */
    public static OfflineConfig of(String algo, Path dataset, String envId, Path runDir) {
        return new OfflineConfig(algo, dataset, envId, 100_000, 256, "uniform", TrajectoryWeighting.DEFAULT_ALPHA, 0,
                5_000, 10, true, null, null, runDir, 1_000, Map.of(), 50_000, false);
    }

    public OfflineConfig withSteps(long v) {
        return ConfigOverrides.copy(this, "steps", v);
    }

    public OfflineConfig withBatchSize(int v) {
        return ConfigOverrides.copy(this, "batchSize", v);
    }

    /** {@code uniform}, {@code rw} or {@code aw} with temperature {@code alpha}. */
    public OfflineConfig withSampler(String v, double alpha) {
        return ConfigOverrides.copy(this, "sampler", v, "samplerAlpha", alpha);
    }

    public OfflineConfig withSeed(long v) {
        return ConfigOverrides.copy(this, "seed", v);
    }

    /** Evaluate {@code episodes} episodes every {@code every} steps (0: only at the end). */
    public OfflineConfig withEvaluation(long every, int episodes) {
        return ConfigOverrides.copy(this, "evalEvery", every, "evalEpisodes", episodes);
    }

    public OfflineConfig withNormalizeStates(boolean v) {
        return ConfigOverrides.copy(this, "normalizeStates", v);
    }

    /** Reward transform {@code r · scale + bias}; null keeps the algorithm's CORL default. */
    public OfflineConfig withRewards(Double scale, Double bias) {
        return ConfigOverrides.copy(this, "rewardScale", scale, "rewardBias", bias);
    }

    public OfflineConfig withLogEvery(int v) {
        return ConfigOverrides.copy(this, "logEvery", v);
    }

    /** The algorithm's hyperparameter overrides ({@code --set}), applied to its config record in order. */
    public OfflineConfig withOverrides(Map<String, String> v) {
        return ConfigOverrides.copy(this, "overrides", v);
    }

    public OfflineConfig withCheckpointEvery(long v) {
        return ConfigOverrides.copy(this, "checkpointEvery", v);
    }

    /** Replace a run already in {@code runDir} (default: refuse). */
    public OfflineConfig withOverwrite(boolean v) {
        return ConfigOverrides.copy(this, "overwrite", v);
    }

    /** The section of config.json that holds this configuration. */
    static final String RUN_KEY = "run";

    /** The command-line configuration, as config.json keeps it for {@link #resume}. */
    Map<String, Object> runSection() {
        Map<String, Object> m = PolicyBundles.configValues(this, Map.of("run_dir", "", "overwrite", ""));
        m.put("dataset", dataset.toAbsolutePath().normalize().toString());
        return m;
    }

    /** The configuration of the offline run in {@code runDir}, from the '{@value #RUN_KEY}' section of its config.json. */
    static OfflineConfig read(JsonNode root, Path runDir) {
        JsonNode r = root.get(RUN_KEY);
        Map<String, String> overrides = new LinkedHashMap<>();
        r.path("overrides").fields().forEachRemaining(e -> overrides.put(e.getKey(), e.getValue().asText()));
        JsonNode scale = r.get("reward_scale");
        JsonNode bias = r.get("reward_bias");
        return OfflineConfig.of(need(r, "algo").asText(), Path.of(need(r, "dataset").asText()), need(r, "env_id").asText(),
                        runDir)
                .withSteps(need(r, "steps").asLong())
                .withBatchSize(need(r, "batch_size").asInt())
                .withSampler(need(r, "sampler").asText(), need(r, "sampler_alpha").asDouble())
                .withSeed(need(r, "seed").asLong())
                .withEvaluation(need(r, "eval_every").asLong(), need(r, "eval_episodes").asInt())
                .withNormalizeStates(need(r, "normalize_states").asBoolean())
                .withRewards(scale == null || scale.isNull() ? null : scale.asDouble(),
                        bias == null || bias.isNull() ? null : bias.asDouble())
                .withLogEvery(need(r, "log_every").asInt())
                .withOverrides(overrides)
                .withCheckpointEvery(need(r, "checkpoint_every").asLong());
    }

    private static JsonNode need(JsonNode r, String key) {
        JsonNode v = r.get(key);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("config.json's '" + RUN_KEY + "' section lacks '" + key + "'");
        }
        return v;
    }

    /** The gradient steps a run directory was configured for (for a progress bar before {@link OfflineTraining#resume}). */
    public static long totalSteps(Path runDir) {
        return need(readConfig(runDir).get(RUN_KEY), "steps").asLong();
    }

    static JsonNode readConfig(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            throw new IllegalArgumentException("run directory " + runDir + " does not exist");
        }
        Path f = runDir.resolve("config.json");
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException(runDir + " is not an offline run directory (no config.json)");
        }
        JsonNode root;
        try {
            root = OfflineTraining.JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage(), e);
        }
        if (root == null || root.get(RUN_KEY) == null) {
            throw new IllegalArgumentException(f + " has no '" + RUN_KEY + "' section (not an offline run, or written "
                    + "by an Armature version without offline resume)");
        }
        return root;
    }
}
