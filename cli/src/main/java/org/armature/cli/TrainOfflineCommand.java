package org.armature.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.armature.agents.data.TrajectoryWeighting;
import org.armature.offline.algo.OfflineConfig;
import org.armature.offline.algo.OfflineTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code armature offline}: train BC, TD3+BC, IQL or CQL on a dataset, with any sampler. */
@Command(name = "offline", mixinStandardHelpOptions = true,
        description = {"Train an offline RL policy on a dataset and evaluate it in the env.",
                "  armature offline --algo iql --dataset hopper-medium.h5 --env Hopper-v1 --steps 100000 "
                        + "--sampler aw --seed 0",
                "  armature offline --resume runs/offline-cql-Hopper-v1-uniform-s0",
                "Writes a run directory (config.json, metrics.csv, eval.csv, result.json, bundle/) and a checkpoint every "
                        + "--checkpoint-every steps that --resume continues from exactly."})
public class TrainOfflineCommand implements Callable<Integer> {

    @Option(names = "--algo", description = "bc, td3bc, iql or cql")
    String algo;

    @Option(names = "--dataset", paramLabel = "FILE", description = "D4RL-layout .h5 or Minari dataset")
    Path dataset;

    @Option(names = "--env", description = "env to evaluate in (must match the dataset's spaces)")
    String env;

    @Option(names = "--steps", description = "gradient steps (default: 100000; CORL uses 1000000)")
    Long steps;

    @Option(names = "--checkpoint-every", defaultValue = "50000", paramLabel = "STEPS",
            description = "steps between checkpoints in <run>/checkpoints/latest.ckpt (default: ${DEFAULT-VALUE}; "
                    + "0 = none)")
    long checkpointEvery;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "continue an interrupted run from its last checkpoint, with the run's own configuration")
    Path resume;

    @Option(names = "--batch-size", defaultValue = "256", description = "minibatch (default: ${DEFAULT-VALUE}, CORL)")
    int batchSize;

    @Option(names = "--sampler", defaultValue = "uniform", description = "uniform, rw or aw (default: ${DEFAULT-VALUE})")
    String sampler;

    @Option(names = "--alpha", defaultValue = "" + TrajectoryWeighting.DEFAULT_ALPHA,
            description = "RW/AW temperature (default: ${DEFAULT-VALUE}, Hong et al. 2023)")
    double alpha = TrajectoryWeighting.DEFAULT_ALPHA; // also when bc hides the option

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Option(names = "--eval-every", defaultValue = "5000", description = "steps between evaluations (default: "
            + "${DEFAULT-VALUE}; the last step is always evaluated)")
    long evalEvery;

    @Option(names = "--eval-episodes", defaultValue = "10", description = "episodes per evaluation (default: "
            + "${DEFAULT-VALUE}, CORL)")
    int evalEpisodes;

    @Option(names = "--no-normalize-states", description = "train on raw observations (CORL normalises)")
    boolean noNormalize;

    @Option(names = "--reward-scale", description = "multiply rewards (default as CORL's locomotion configs: IQL "
            + "1000 / dataset return range, CQL on Hopper 5 x 1000 / return range; others 1)")
    Double rewardScale;

    @Option(names = "--reward-bias", description = "add to rewards after scaling (default as CORL: -1 for CQL on "
            + "Hopper, else 0)")
    Double rewardBias;

    @Option(names = "--huber", defaultValue = "0", paramLabel = "DELTA",
            description = "IQL only: RIQL's Huber critic loss with this threshold (0 = squared loss)")
    double huber;

    @Option(names = "--q-ensemble", defaultValue = "2", paramLabel = "K",
            description = "IQL only: number of critics (default: ${DEFAULT-VALUE}, CORL's twin critics; RIQL uses an "
                    + "ensemble, e.g. 5)")
    int qEnsemble = 2; // also when bc hides the option

    @Option(names = "--quantile", defaultValue = "0", paramLabel = "ALPHA",
            description = "IQL only: V's target is this quantile of the K target critics (default: ${DEFAULT-VALUE} = "
                    + "their minimum; RIQL: e.g. 0.25)")
    double quantile;

    @Option(names = "--run-dir", description = "this run's directory (default: a new "
            + "OUT/<date>-offline-<algo>-<dataset>-<sampler>-s<seed>)")
    Path runDir;

    @Option(names = "--out", paramLabel = "RUNS_DIR", description = "folder for the run directory (default: runs)")
    Path out;

    @Option(names = "--overwrite", description = "replace the run in a non-empty --run-dir (default: refuse)")
    boolean overwrite;

    @Option(names = "--config", paramLabel = "FILE.json", description = "run settings as JSON: the options' names in "
            + "snake_case (steps, batch_size, sampler, seed, ...) and the algorithm's hyperparameters under its name, "
            + "e.g. {\"steps\": 100000, \"iql\": {\"expectile\": 0.8}}; options on the command line win")
    Path config;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--hidden", defaultValue = "256", description = "hidden width of every network (default: "
            + "${DEFAULT-VALUE}, CORL)")
    int hidden;

    @Option(names = "--log-every", defaultValue = "1000", description = "steps between metrics.csv rows")
    int logEvery;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "override a field of the algorithm's CORL config (repeatable), e.g. --set tau=0.005 "
                    + "--set beta=3; snake_case field names (an unknown name lists them)")
    java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws java.io.IOException {
        if (resume != null) {
            if (algo != null || dataset != null || env != null || steps != null || runDir != null || out != null
                    || overwrite || !overrides.isEmpty()) {
                throw new IllegalArgumentException("--resume takes the run's own config.json; drop --algo/--dataset/"
                        + "--env/--steps/--run-dir/--out/--overwrite/--set");
            }
            org.armature.train.StopRequest.install();
            long total = OfflineConfig.totalSteps(resume);
            OfflineTraining.Result r;
            try (OfflineProgress p = new OfflineProgress("offline (resumed)", total, "step")) {
                r = OfflineTraining.resume(resume, p::stepTo);
            }
            return report(r, resume);
        }
        if (config != null) {
            applyConfigFile();
        }
        applyLoopKeysOfSet();
        if (algo == null || dataset == null || env == null) {
            throw new IllegalArgumentException("offline needs --algo, --dataset and --env (or --resume RUN_DIR)");
        }
        long steps = this.steps != null ? this.steps : 100_000;
        if (evalEpisodes < 1) {
            throw new IllegalArgumentException("--eval-episodes must be >= 1, got " + evalEpisodes);
        }
        if (logEvery < 1) {
            throw new IllegalArgumentException("--log-every must be >= 1, got " + logEvery);
        }
        if (!algo.equalsIgnoreCase("iql") && (qEnsemble != 2 || quantile != 0 || huber != 0)) {
            throw new IllegalArgumentException("--q-ensemble, --quantile and --huber apply to --algo iql only");
        }
        Path dir = TrainCommand.runDirectory(runDir, out,
                runName(dataset.getFileName().toString().replaceFirst("\\.(h5|hdf5)$", "")));
        if (hidden < 1) {
            throw new IllegalArgumentException("--hidden must be >= 1, got " + hidden);
        }
        // the network width and IQL's RIQL options are fields of the algorithm's config record: one key scheme
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>();
        if (!algo.equalsIgnoreCase("diffusion") || spec.commandLine().getParseResult().hasMatchedOption("--hidden")) {
            all.put("hidden", Integer.toString(hidden)); // the diffusion denoiser's width has its own default
        }
        if (algo.equalsIgnoreCase("iql")) {
            all.put("huber_delta", Double.toString(huber));
            all.put("ensemble", Integer.toString(qEnsemble));
            all.put("quantile", Double.toString(quantile));
        }
        all.putAll(overrides);
        OfflineConfig c = OfflineConfig.of(algo, dataset, env, dir)
                .withSteps(steps)
                .withBatchSize(batchSize)
                .withSampler(sampler, alpha)
                .withSeed(seed)
                .withEvaluation(evalEvery, evalEpisodes)
                .withNormalizeStates(!noNormalize)
                .withRewards(rewardScale, rewardBias)
                .withLogEvery(logEvery)
                .withOverrides(all)
                .withCheckpointEvery(checkpointEvery)
                .withOverwrite(overwrite);
        org.armature.train.StopRequest.install();
        OfflineTraining.Result r;
        try (OfflineProgress p = new OfflineProgress(spec.name() + " " + algo, steps, "step")) {
            r = OfflineTraining.run(c, p::stepTo);
        }
        return report(r, dir);
    }

    /** The run directory's default name (without date). */
    String runName(String datasetStem) {
        return "offline-" + algo + "-" + datasetStem + "-" + sampler + "-s" + seed;
    }

    /** Fills every option not given on the command line from {@code --config}; unknown keys are errors. */
    private void applyConfigFile() throws java.io.IOException {
        if (!java.nio.file.Files.isRegularFile(config)) {
            throw new IllegalArgumentException("config file " + config + " does not exist");
        }
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(config.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(config + ": malformed JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(config + ": expected a JSON object");
        }
        picocli.CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        java.util.Set<String> algos = java.util.Set.of("bc", "td3bc", "iql", "cql", "diffusion");
        java.util.Map<String, String> fromFile = new java.util.LinkedHashMap<>();
        java.util.Iterator<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = root.fields();
        while (it.hasNext()) {
            var e = it.next();
            String key = e.getKey();
            com.fasterxml.jackson.databind.JsonNode v = e.getValue();
            if (algos.contains(key)) {
                if (!v.isObject()) {
                    throw new IllegalArgumentException(config + ": '" + key + "' must be an object of hyperparameters");
                }
                v.fields().forEachRemaining(h -> fromFile.put(key + "." + h.getKey(), h.getValue().isTextual()
                        ? h.getValue().asText() : h.getValue().toString()));
                continue;
            }
            String option = "--" + key.replace('_', '-');
            if (key.equals("normalize_states")) {
                if (!pr.hasMatchedOption("--no-normalize-states")) {
                    noNormalize = !v.asBoolean();
                }
                continue;
            }
            if (spec.findOption(option) == null || List.of("--config", "--resume", "--help", "--version",
                    "--no-normalize-states").contains(option)) {
                throw new IllegalArgumentException(config + ": unknown key '" + key + "'; keys are the options' names in "
                        + "snake_case (steps, batch_size, sampler, seed, eval_every, ...) and the algorithm's name");
            }
            if (!pr.hasMatchedOption(option)) {
                set(spec.findOption(option), v.isTextual() ? v.asText() : v.toString(),
                        config + ": '" + key + "' = " + v + " is not a valid value for " + option);
            }
        }
        fromFile.putAll(overrides); // --set on the command line is applied after the file's, so it wins
        overrides = fromFile;
    }

    /** Settings of the run, not of the algorithm, that {@code --set} takes as {@code armature train} does. */
    private static final List<String> LOOP_KEYS = List.of("steps", "batch_size", "sampler", "seed", "eval_every",
            "eval_episodes", "log_every", "checkpoint_every", "reward_scale", "reward_bias");

    /** {@code --set batch_size=128} and the other run settings ({@link #LOOP_KEYS}) set their option. */
    private void applyLoopKeysOfSet() {
        picocli.CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        for (String key : LOOP_KEYS) {
            String value = overrides.remove(key);
            if (value == null) {
                continue;
            }
            String option = "--" + key.replace('_', '-');
            if (pr.hasMatchedOption(option)) {
                throw new IllegalArgumentException("--set " + key + "=" + value + " and " + option
                        + " both set it; give it once");
            }
            picocli.CommandLine.Model.OptionSpec o = spec.findOption(option);
            if (o == null) {
                throw new IllegalArgumentException("--set " + key + ": armature " + spec.name()
                        + " has no such setting");
            }
            set(o, value, "--set " + key + "=" + value + " is not a valid value for " + option);
        }
    }

    /** Sets option {@code o} from {@code text} (parsed as its type), failing with {@code error}. */
    private static void set(picocli.CommandLine.Model.OptionSpec o, String text, String error) {
        Class<?> t = o.type();
        try {
            if (t == long.class || t == Long.class) {
                o.setValue(Long.parseLong(text));
            } else if (t == int.class || t == Integer.class) {
                o.setValue(Integer.parseInt(text));
            } else if (t == double.class || t == Double.class) {
                o.setValue(Double.parseDouble(text));
            } else if (t == boolean.class || t == Boolean.class) {
                o.setValue(Boolean.parseBoolean(text));
            } else {
                o.setValue(t == Path.class ? Path.of(text) : text);
            }
        } catch (Exception ex) {
            throw new IllegalArgumentException(error);
        }
    }

    private static int report(OfflineTraining.Result r, Path dir) throws java.io.IOException {
        if (r.interrupted()) {
            System.out.printf("stopped after %d gradient steps: checkpoint and the current policy's bundle are in %s; "
                    + "continue with: armature offline --resume %s%n", r.steps(), dir, dir);
            return 130;
        }
        double[] last = r.evaluations().get(r.evaluations().size() - 1);
        System.out.printf("%s on %s (%s, seed %d): final return %.2f ± %.2f, normalised score %.1f, success %.0f%%%s, "
                        + "%.0f gradient steps/s%n", r.algo(), r.envId(), r.sampler(), r.seed(), r.finalReturn(),
                r.finalReturnStd(), r.finalNormalizedScore(), 100 * last[4],
                Double.isNaN(last[5]) ? "" : String.format(", mean best coverage %.3f", last[5]), r.stepsPerSecond());
        double[] best = OfflineTraining.best(r.evaluations());
        if (r.evaluations().size() > 1) {
            System.out.printf("best evaluation: step %d, return %.2f, success %.0f%%%s%n", (long) best[0], best[1],
                    100 * best[4], Double.isNaN(best[5]) ? "" : String.format(", mean best coverage %.3f", best[5]));
        }
        System.out.println("run directory: " + dir + " (policy bundle: " + dir.resolve("bundle") + ")");
        Path curve = org.armature.viz.Plots.writeRunLearningCurve(dir);
        System.out.println("learning curve: " + (curve != null ? curve : "none (no evaluation ran)"));
        return 0;
    }
}
