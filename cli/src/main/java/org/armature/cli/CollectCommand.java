package org.armature.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.armature.agents.Policy;
import org.armature.agents.ReplayBuffer;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;
import org.armature.envs.EnvSpec;
import org.armature.envs.Envs;
import org.armature.offline.collect.Collector;
import org.armature.offline.data.D4rlHdf5;
import org.armature.offline.data.DatasetInfo;
import org.armature.offline.data.ReplayExport;
import org.armature.train.TrainConfig;
import org.armature.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code armature collect}: roll a behaviour policy out and save the episodes as a D4RL-layout dataset. */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = {"Collect an offline dataset (D4RL HDF5 layout) by running a behaviour policy, or export a "
                + "training run's replay buffer (D4RL's medium-replay).",
                "  armature collect --env Pendulum-v1 --policy random --episodes 100 --out random.h5",
                "  armature collect --env PushT-v1 --policy expert --expert-noise default --success-only --episodes 200"
                        + " --seed 100000 --out pusht-demos.h5",
                "  armature collect --replay runs/RUN_DIR [--until-step N] --out medium-replay.h5",
                "  armature collect --env Hopper-v1 --policy random --episodes 1000 --out r.h5 --join 127.0.0.1:47500",
                "Episode i is reset with seed S + i and draws --noise from its own stream; the seeds are stored so "
                        + "episodes can be replayed. With --join the episodes are split into shards run on the "
                        + "cluster's members and merged: the file is the same as one collected here.",
                "--replay reads RUN_DIR/replay.bin (train with --set save_replay=true) or else the run's latest "
                        + "checkpoint."})
public final class CollectCommand implements Callable<Integer> {

    @Option(names = "--env", description = "env id (see `armature envs`)")
    String env;

    @Option(names = "--policy", paramLabel = "random|expert|BUNDLE_DIR",
            description = "random (uniform actions), expert (the env's scripted expert) or a policy bundle directory")
    String policy;

    @Option(names = "--episodes", description = "number of episodes")
    Integer episodes;

    @Option(names = "--replay", paramLabel = "RUN_DIR",
            description = "export this training run's replay buffer instead of running a policy")
    Path replay;

    @Option(names = "--until-step", paramLabel = "N", defaultValue = "0",
            description = "with --replay: only the first N transitions the run stored (0 = all; default: ${DEFAULT-VALUE})")
    long untilStep;

    @Option(names = "--out", required = true, description = "output .h5 file")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "first episode seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--noise", defaultValue = "0", paramLabel = "SIGMA",
            description = "Gaussian action noise added by the collector, std relative to the action half-range "
                    + "(default: ${DEFAULT-VALUE}); combines with --expert-noise")
    double noise;

    @Option(names = "--expert-noise", paramLabel = "SIGMA|default",
            description = "with --policy expert: the expert's own demonstration noise, as `rollout --expert-noise` "
                    + "(units per task, see envs/README.md; 'default' = the documented demonstration level; "
                    + "default: 0, noise-free)")
    String expertNoise;

    @Option(names = "--success-only",
            description = "keep only the episodes that succeed (--episodes counts the episodes tried; the file's "
                    + "attributes record tried, kept and the success rate over all tried episodes)")
    boolean successOnly;

    @picocli.CommandLine.Mixin
    ClusterOptions cluster;

    @Option(names = "--shard-episodes", paramLabel = "N", defaultValue = "0",
            description = "with --join: episodes per shard (default: about 4 shards per cluster worker)")
    int shardEpisodes;

    /** A shard of a distributed collection: episodes FIRST .. FIRST + --episodes - 1 (set by the cluster jobs). */
    @Option(names = "--first-episode", hidden = true, defaultValue = "-1")
    int firstEpisode;

    @Override
    public Integer call() throws java.io.IOException {
        if (replay != null) {
            return exportReplay();
        }
        if (untilStep != 0) {
            throw new IllegalArgumentException("--until-step only applies to --replay");
        }
        if (env == null || policy == null || episodes == null) {
            throw new IllegalArgumentException("collect needs --env, --policy and --episodes (or --replay RUN_DIR)");
        }
        if (episodes < 1) {
            throw new IllegalArgumentException("--episodes must be >= 1, got " + episodes);
        }
        EnvSpec spec;
        try (var e = Envs.make(env)) {
            spec = e.spec();
        }
        double expertSigma = expertNoise == null ? 0 : RolloutCommand.expertNoise(expertNoise, env, policy);
        // random: Collector's seeded uniform policy; expert and bundles: the shared PolicyResolver
        Policy behaviour = policy.equals("random") ? Collector.randomPolicy(spec, seed)
                : PolicyResolver.resolve(policy, spec, seed, expertSigma).policy();
        String name = policy.equals("random") || policy.equals("expert") ? policy : "bundle:" + policy;
        if (!cluster.join.isEmpty() && firstEpisode >= 0) {
            throw new IllegalArgumentException("--first-episode is the cluster's own option; drop it with --join");
        }
        Collector.Result r;
        if (!cluster.join.isEmpty()) {
            r = collectOnCluster(expertSigma, name);
        } else {
            try (OfflineProgress progress = new OfflineProgress("collect " + env, episodes, "ep")) {
                r = Collector.collect(env, behaviour, name, Math.max(0, firstEpisode), episodes, seed, noise,
                        successOnly, progress::stepTo);
            }
            if (firstEpisode >= 0 && r.dataset() == null) { // a shard in which no episode succeeded
                System.out.println("no episode of this shard succeeded; no file written");
                return 0;
            }
        }
        String successes = r.definesSuccess() ? String.format("%d of %d tried episodes succeeded (%.1f%%)",
                r.successful(), r.tried(), 100 * r.successRate()) : "";
        if (r.dataset() == null) {
            throw new Errors.UserException("--success-only: none of the " + r.tried() + " episodes succeeded; "
                    + "nothing written");
        }
        OfflineDataset d = r.dataset();
        if (policy.equals("expert")) {
            d = d.withMetadata(d.metadata().withExtra("expert_noise_std", Double.toString(expertSigma)));
        }
        D4rlHdf5.write(d, out);
        DatasetInfo info = DatasetInfo.of(d);
        System.out.printf("wrote %s: %d episodes%s, %d transitions, return mean %.2f (min %.2f, max %.2f)%s%n", out,
                info.episodes(), successOnly ? " (the successful ones of " + r.tried() + " tried)" : "",
                info.transitions(), info.returnMean(), info.returnMin(), info.returnMax(),
                successes.isEmpty() ? "" : "; " + successes);
        return 0;
    }

    /** The episodes in shards on the cluster's members, merged in episode order. */
    private Collector.Result collectOnCluster(double expertSigma, String name) throws java.io.IOException {
        if (shardEpisodes < 0) {
            throw new IllegalArgumentException("--shard-episodes must be >= 1, got " + shardEpisodes);
        }
        java.nio.file.Path asPath = java.nio.file.Path.of(policy);
        String policyArg = java.nio.file.Files.isDirectory(asPath) ? asPath.toAbsolutePath().toString() : policy;
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--env", env, "--policy", policyArg,
                "--seed", Long.toString(seed), "--noise", Double.toString(noise)));
        if (expertNoise != null) {
            args.addAll(java.util.List.of("--expert-noise", Double.toString(expertSigma)));
        }
        if (successOnly) {
            args.add("--success-only");
        }
        try (org.apache.ignite.Ignite ignite = org.armature.cluster.Members.start(cluster.clientConfig())) {
            java.util.List<Collector.Result> shards = org.armature.cluster.Collection.run(ignite, args, episodes,
                    shardEpisodes, System.out::println);
            return Collector.merge(shards, env, name, seed, noise, successOnly);
        }
    }

    private int exportReplay() throws java.io.IOException {
        if (env != null || policy != null || episodes != null || noise != 0 || seed != 0 || expertNoise != null
                || successOnly) {
            throw new IllegalArgumentException("--replay exports a run's replay buffer; it takes no --env, --policy, "
                    + "--episodes, --noise, --expert-noise, --success-only or --seed");
        }
        if (untilStep < 0) {
            throw new IllegalArgumentException("--until-step must be >= 0, got " + untilStep);
        }
        Trainer.RunReplay run = Trainer.loadReplay(replay);
        TrainConfig cfg = run.config();
        ReplayBuffer rb = run.buffer();
        DatasetMetadata meta = DatasetMetadata.of(cfg.envId(), "replay:" + cfg.algo() + "(run=" + replay.getFileName()
                + (untilStep > 0 ? ", until_step=" + untilStep : "") + ")", cfg.seed(), null);
        OfflineDataset d = ReplayExport.toDataset(rb, untilStep, meta);
        D4rlHdf5.write(d, out);
        DatasetInfo info = DatasetInfo.of(d);
        System.out.printf("wrote %s: %d episodes, %d transitions from %s's replay buffer, return mean %.2f (min %.2f,"
                        + " max %.2f)%n", out, info.episodes(), info.transitions(), cfg.envId(), info.returnMean(),
                info.returnMin(), info.returnMax());
        return 0;
    }
}
