package org.armature.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.armature.envs.EnvChecker;
import org.armature.envs.Envs;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code armature quickstart}: the main job on a fresh machine. Lists the environments, runs the env checker on every
 * registered task and a short random rollout on each, rolls out the scripted experts, trains SAC on Pendulum-v1 and
 * evaluates its policy bundle, renders a GIF of the trained Pendulum policy and of an expert PushT episode and plots
 * the learning curve, and prints a summary table (also written to {@code OUT/summary.txt}).
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Tour of Armature on a fresh machine: list environments, check every task, roll out random "
                + "policies and the scripted experts, train SAC on Pendulum-v1 and evaluate it, render GIFs and a "
                + "learning curve, and print a summary table.")
public final class QuickstartCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "quickstart-out", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--episodes", defaultValue = "3", description = "random-rollout episodes per task (default: ${DEFAULT-VALUE})")
    int episodes;

    @Option(names = "--seed", defaultValue = "0", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--expert-episodes", defaultValue = "10",
            description = "noise-free expert episodes per manipulation task (default: ${DEFAULT-VALUE})")
    int expertEpisodes;

    @Option(names = "--no-media", description = "skip the GIFs and plots (headless OpenGL not needed)")
    boolean noMedia;

    @Option(names = "--sac-steps", defaultValue = "20000",
            description = "env steps of the SAC run on Pendulum-v1; 0 skips training (default: ${DEFAULT-VALUE})")
    long sacSteps;

    @Override
    public Integer call() throws IOException {
        if (episodes < 1) {
            throw new Errors.UserException("--episodes must be positive, got " + episodes);
        }
        Files.createDirectories(out);
        StringBuilder summary = new StringBuilder();
        section(summary, "Environments");
        summary.append(EnvsCommand.table());

        section(summary, "Environment checks and random rollouts (" + episodes + " episodes, seed " + seed + ")");
        summary.append(String.format("%-22s %-8s %12s %12s %10s %9s%n", "env", "checker", "return", "± std",
                "length", "steps/s"));
        List<String> failed = new ArrayList<>();
        EnvChecker checker = new EnvChecker(200);
        for (String id : Envs.ids()) {
            EnvChecker.Report report = checker.check(id);
            if (!report.passed()) {
                failed.add(id + " " + report.failures());
            }
            RolloutCommand.Stats s = RolloutCommand.run(id, "random", episodes, seed, false, false, 0.0);
            String line = String.format("%-22s %-8s %12.2f %12.2f %10.1f %9.0f%n", id,
                    report.passed() ? "pass" : "FAIL", s.meanReturn(), s.stdReturn(), s.meanLength(),
                    s.steps() / Math.max(s.seconds(), 1e-9));
            summary.append(line);
            System.err.printf("quickstart: %s checked and rolled out%n", id);
        }

        if (!org.armature.envs.experts.Experts.ids().isEmpty()) {
            section(summary, "Scripted experts, no action noise (" + expertEpisodes + " episodes, seed " + seed + ")");
            summary.append(String.format("%-22s %12s %12s %10s %9s%n", "env", "return", "± std", "length", "success"));
            for (String id : org.armature.envs.experts.Experts.ids()) {
                RolloutCommand.Stats s = RolloutCommand.run(id, "expert", expertEpisodes, seed, false, false, 0.0);
                summary.append(String.format("%-22s %12.2f %12.2f %10.1f %9s%n", id, s.meanReturn(), s.stdReturn(),
                        s.meanLength(), s.definesSuccess() ? String.format("%.0f%%", 100 * s.successRate()) : "-"));
                System.err.printf("quickstart: %s expert rolled out%n", id);
            }
        }

        org.armature.train.Trainer.Result sac = null;
        if (sacSteps > 0) {
            // the configuration BENCHMARKS.md shows solving Pendulum-v1 within 20k steps on 3/3 seeds: CleanRL's SAC
            // defaults with 64x64 networks and a 1000-step warm-up
            section(summary, "SAC on Pendulum-v1 (" + sacSteps + " env steps, seed " + seed + ")");
            System.err.println("quickstart: training SAC on Pendulum-v1 (" + sacSteps + " steps) ...");
            org.armature.train.TrainConfig cfg = org.armature.train.Configs.resolve(
                    org.armature.train.TrainConfig.defaults("sac", "Pendulum-v1", sacSteps, seed), null, List.of(
                            "learning_starts=1000", "eval_interval=2000", "eval_episodes=10",
                            "checkpoint_interval=0", "sac.actor_hidden=[64,64]", "sac.critic_hidden=[64,64]"));
            try (org.armature.train.ConsoleProgress progress = new org.armature.train.ConsoleProgress(System.err,
                    Terminal.stderr(), 10)) {
                sac = org.armature.train.Trainer.create(cfg, out.resolve("runs"), progress).run();
            }
            org.armature.agents.Policy policy = org.armature.agents.PolicyBundles.load(
                    sac.runDir().resolve(org.armature.train.Trainer.BUNDLE));
            org.armature.train.Evaluation.Result eval = org.armature.train.Evaluation.run(policy, "Pendulum-v1", 20,
                    seed + 1000);
            summary.append(String.format("run %s%n", sac.runDir()));
            summary.append(String.format("training %.1f s wall; evaluation of the bundle on 20 held-out episodes: "
                    + "return %.1f ± %.1f (random policy: about -1200)%n", sac.trainSeconds(), eval.mean(), eval.std()));
        }

        if (!noMedia) {
            section(summary, "Media");
            org.armature.viz.RenderOptions media = org.armature.viz.RenderOptions.defaults().withSize(480, 360);
            if (sac != null) {
                Path gif = out.resolve("pendulum_sac.gif");
                org.armature.agents.Policy policy = org.armature.agents.PolicyBundles.load(
                        sac.runDir().resolve(org.armature.train.Trainer.BUNDLE));
                try (org.armature.envs.Env env = Envs.make("Pendulum-v1")) {
                    var rec = org.armature.viz.EpisodeRenderer.recordGif(env, policy, "sac", seed, gif, media);
                    summary.append(String.format("Pendulum-v1 SAC episode (seed %d): return %.1f -> %s%n", seed,
                            rec.episodeReturn(), gif));
                }
                Path curve = out.resolve("learning_curve.png");
                org.armature.viz.Plots.learningCurve(sac.runDir(), curve);
                summary.append("learning curve -> ").append(curve).append('\n');
                System.err.println("quickstart: wrote " + gif + " and " + curve);
            }
        }

        if (!noMedia && Envs.contains("PushT-v1") && org.armature.envs.experts.Experts.has("PushT-v1")) {
            Path gif = out.resolve("pusht_expert.gif");
            try (org.armature.envs.Env env = Envs.make("PushT-v1")) {
                var policy = PolicyResolver.resolve("expert", env.spec(), seed).policy();
                var rec = org.armature.viz.EpisodeRenderer.recordGif(env, policy, "expert", seed, gif,
                        org.armature.viz.RenderOptions.defaults().withSize(480, 360));
                summary.append(String.format("PushT-v1 expert episode (seed %d): return %.2f, %d steps, success %s -> %s%n",
                        seed, rec.episodeReturn(), rec.steps(), rec.success(), gif));
            }
            System.err.println("quickstart: wrote " + gif);
        }

        Path file = out.resolve("summary.txt");
        org.armature.sim.AtomicFiles.write(file, summary.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        System.out.println();
        System.out.print(summary);
        System.out.println("\nwritten: " + file);
        if (!failed.isEmpty()) {
            System.err.println("error: environment checks failed: " + failed);
            return 1;
        }
        return 0;
    }

    private static void section(StringBuilder sb, String title) {
        sb.append('\n').append("== ").append(title).append(" ==").append('\n');
    }
}
