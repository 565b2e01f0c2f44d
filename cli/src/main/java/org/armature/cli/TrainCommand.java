package org.armature.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.ignite.Ignite;
import org.armature.cluster.Members;
import org.armature.cluster.RemoteRollouts;
import org.armature.offline.data.DatasetFiles;
import org.armature.train.Configs;
import org.armature.train.ConsoleProgress;
import org.armature.train.RunDirectory;
import org.armature.train.TrainConfig;
import org.armature.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code armature train}: off-policy RL (SAC, TD3) with a run directory, checkpoints and a policy bundle. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train SAC or TD3. Writes <out>/<date>-<algo>-<env>-<seed>/: config.json,",
                "versions.json, metrics.csv, checkpoints/ and the final policy bundle in bundle/.",
                "  armature train --algo sac --env Pendulum-v1 --steps 20000 --seed 1 \\",
                "      --set learning_starts=1000",
                "  armature train --resume runs/20260101-120000-sac-Pendulum-v1-1",
                "Config keys are those of config.json (snake_case), e.g.",
                "  --set batch_size=100 --set sac.actor_hidden=[64,64] --set updates_per_step=4"})
public class TrainCommand implements Callable<Integer> {

    @Option(names = "--algo", description = "sac | td3 (srl, sac-repeat, sac-chunk: see `armature fas`)")
    String algo;

    @Option(names = "--env", description = "env id (see `armature envs`)")
    String env;

    @Option(names = "--steps", description = "environment steps")
    Long steps;

    @Option(names = "--seed", defaultValue = "0", description = "root seed of every random stream (default: "
            + "${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "RUNS_DIR", description = "folder for the run directory (default: runs)")
    Path out;

    @Option(names = "--run-dir", description = "this run's directory (default: a new OUT/<date>-<algo>-<env>-<seed>)")
    Path runDir;

    @Option(names = "--overwrite", description = "replace the run in a non-empty --run-dir (default: refuse)")
    boolean overwrite;

    @Option(names = "--config", description = "JSON file with config overrides")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "config override, repeatable (e.g. batch_size=128)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--num-envs", description = "parallel environments (default 1; resume is exact only with 1)")
    Integer numEnvs;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "continue a run from its last checkpoint")
    Path resume;

    @Option(names = "--rollout-workers", paramLabel = "N", description = "step the envs on N remote rollout workers "
            + "(cluster members given by --join; without --join an embedded member here), sending transitions back "
            + "in batches of rollouts.batch_steps while they act with the weights published every "
            + "rollouts.weights_every updates (default 0: the env steps in this process)")
    Integer rolloutWorkers;

    @Mixin
    ClusterOptions cluster;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The cluster of the rollout workers (null: the env steps in this process). */
    private Ignite ignite;

    @Override
    public Integer call() throws Exception {
        try {
            return train();
        } finally {
            if (ignite != null) {
                ignite.close();
            }
        }
    }

    private Integer train() throws Exception {
        Trainer trainer;
        if (resume != null) {
            if (algo != null || env != null || steps != null || config != null || !sets.isEmpty() || out != null
                    || runDir != null || overwrite || rolloutWorkers != null) {
                throw new IllegalArgumentException("--resume takes the run's own config.json; drop --algo/--env/--steps/"
                        + "--config/--set/--out/--run-dir/--overwrite/--rollout-workers");
            }
            ConsoleProgress progress = ConsoleProgress.auto(System.out, 10);
            trainer = Trainer.resume(resume, progress, DatasetFiles::read);
            checkJoin(trainer.config());
            startCluster(trainer.config());
        } else {
            if (algo == null || env == null || steps == null) {
                throw new IllegalArgumentException("train needs --algo, --env and --steps (or --resume RUN_DIR)");
            }
            if (!List.of("sac", "td3", TrainConfig.RESIDUAL, TrainConfig.DSRL, TrainConfig.SRL, TrainConfig.SAC_REPEAT,
                    TrainConfig.SAC_CHUNK).contains(algo)) {
                throw new IllegalArgumentException("unknown --algo '" + algo + "', expected sac, td3, srl, sac-repeat or "
                        + "sac-chunk");
            }
            List<String> all = new ArrayList<>(commandSets());
            if (numEnvs != null) {
                all.add("num_envs=" + numEnvs);
            }
            if (rolloutWorkers != null) {
                all.add("rollouts.workers=" + rolloutWorkers);
            }
            all.addAll(sets);
            TrainConfig cfg = Configs.resolve(TrainConfig.defaults(algo, env, steps, seed), config, all);
            for (String[] k : new String[][]{{"algo", cfg.algo(), algo}, {"env_id", cfg.envId(), env},
                    {"total_steps", Long.toString(cfg.totalSteps()), Long.toString(steps)},
                    {"seed", Long.toString(cfg.seed()), Long.toString(seed)}}) {
                if (!k[1].equals(k[2])) {
                    throw new IllegalArgumentException("the config sets " + k[0] + "=" + k[1] + " but the command line "
                            + "says " + k[2] + "; give it once");
                }
            }
            checkJoin(cfg);
            Path dir = runDirectory(runDir, out, cfg.algo() + "-" + cfg.envId() + "-" + cfg.seed());
            startCluster(cfg); // before the run directory: a cluster that cannot be joined leaves nothing behind
            ConsoleProgress progress = ConsoleProgress.auto(System.out, cfg.logIntervalSeconds());
            trainer = Trainer.create(cfg, dir, runDir != null && overwrite, progress, DatasetFiles::read);
            if (cfg.learningStarts() >= cfg.totalSteps()) { // after the config and env were accepted
                System.err.printf("warning: learning_starts (%d) >= steps (%d): no gradient update will run and the "
                        + "bundle will hold the untrained policy (lower it with --set learning_starts=N)%n",
                        cfg.learningStarts(), cfg.totalSteps());
            }
            System.out.println("run directory: " + trainer.runDir());
        }
        org.armature.train.StopRequest.install();
        Trainer.Result r = ignite == null ? trainer.run() : trainer.run(new RemoteRollouts(ignite,
                trainer.config().rollouts().workers(), line -> {
                    System.out.println(line);
                    System.out.flush();
                }));
        finishedRun = r.interrupted() ? null : r.runDir();
        if (r.interrupted()) {
            System.out.printf("stopped at env step %d of %d: checkpoint and the current policy's bundle are in %s; "
                    + "continue with: armature " + spec.name() + " --resume %s%n", r.envSteps(), trainer.config().totalSteps(),
                    r.runDir(), r.runDir());
            return 130;
        }
        String success = org.armature.envs.Envs.definesSuccess(trainer.config().envId())
                ? String.format(", success rate %.2f", r.finalEvalSuccessRate()) : "";
        System.out.printf("done: %d env steps, %d updates, %.1f s (training %.1f s, learner thread CPU %.1f s); "
                        + "final eval return %.2f +- %.2f%s%s%nbundle: %s%n", r.envSteps(), r.updates(),
                r.wallSeconds(), r.trainSeconds(), r.learnerCpuSeconds(), r.finalEvalMean(), r.finalEvalStd(),
                success, r.updates() == 0 ? " (no gradient update ran: the bundle is the untrained policy)" : "",
                r.runDir().resolve(Trainer.BUNDLE));
        java.nio.file.Path curve = org.armature.viz.Plots.writeRunLearningCurve(r.runDir());
        System.out.println("learning curve: " + (curve != null ? curve : "none (no evaluation ran)"));
        return 0;
    }

    private void checkJoin(TrainConfig cfg) {
        if (!cluster.join.isEmpty() && cfg.rollouts().workers() == 0) {
            throw new IllegalArgumentException("--join names the members that run remote rollout workers: add "
                    + "--rollout-workers N (or drop --join)");
        }
    }

    /**
     * For a run on remote rollout workers: joins the cluster given by --join as a client, or without --join starts a
     * member embedded in this process (the same code path), with a job thread per worker.
     */
    private void startCluster(TrainConfig cfg) throws java.io.IOException {
        int workers = cfg.rollouts().workers();
        if (workers == 0) {
            return;
        }
        ignite = Members.start(cluster.clientOrEmbeddedConfig(workers));
    }

    /** The run directory of the run {@link #call} finished (null: none, or it was interrupted). */
    Path finishedRun;

    /** Config settings the subcommand adds before the user's {@code --set}s (e.g. residual's base and demos). */
    List<String> commandSets() {
        return List.of();
    }

    /** {@code --run-dir}, or a new {@code <--out or runs>/<date>-<name>}; giving both is an error. */
    static Path runDirectory(Path runDir, Path out, String name) {
        if (runDir != null && out != null) {
            throw new IllegalArgumentException("--run-dir names the run directory itself, --out the folder of runs; "
                    + "give one");
        }
        return runDir != null ? runDir : RunDirectory.uniqueName(out != null ? out : Path.of("runs"), name);
    }

    /**
     * For a subcommand that trains {@code algo} on a frozen {@code --base}: with {@code --resume} its own options are
     * refused ({@code ownGiven}, named by {@code own}), else {@code --base}, {@code --env} and {@code --steps} are needed.
     */
    void requireBase(String base, String algo, boolean ownGiven, String own) {
        if (resume != null) {
            if (ownGiven) {
                throw new IllegalArgumentException("--resume takes the run's own config.json; drop " + own);
            }
        } else if (base == null || env == null || steps == null) {
            throw new IllegalArgumentException(spec.name() + " needs --base, --env and --steps (or --resume RUN_DIR)");
        } else {
            this.algo = algo;
        }
    }

    /**
     * The {@code base=} setting of a base policy: a bundle path made absolute (config.json must name the same files
     * from anywhere, for resume), {@code expert[:NOISE]} by name.
     */
    static String baseSetting(String base) {
        return "base=" + (base.equals("expert") || base.startsWith("expert:") ? base
                : Path.of(base).toAbsolutePath().normalize());
    }
}
