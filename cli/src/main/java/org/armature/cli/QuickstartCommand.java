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
 * registered task and a short random rollout on each, and prints a summary table (also written to
 * {@code OUT/summary.txt}).
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Tour of Armature on a fresh machine: list environments, check every task, roll out a random "
                + "policy on each, and print a summary table.")
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
            RolloutCommand.Stats s = RolloutCommand.run(id, "random", episodes, seed, false, false);
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
                RolloutCommand.Stats s = RolloutCommand.run(id, "expert", expertEpisodes, seed, false, false);
                summary.append(String.format("%-22s %12.2f %12.2f %10.1f %8.0f%%%n", id, s.meanReturn(), s.stdReturn(),
                        s.meanLength(), 100 * s.successRate()));
                System.err.printf("quickstart: %s expert rolled out%n", id);
            }
        }

        if (!noMedia && Envs.contains("PushT-v1") && org.armature.envs.experts.Experts.has("PushT-v1")) {
            section(summary, "Media");
            Path gif = out.resolve("pusht_expert.gif");
            try (org.armature.envs.Env env = Envs.make("PushT-v1")) {
                var policy = PolicyResolver.resolve("expert", env.spec(), seed).policy();
                var rec = org.armature.viz.EpisodeRenderer.recordGif(env, policy, "expert", seed, gif,
                        org.armature.viz.RenderOptions.defaults());
                summary.append(String.format("PushT-v1 expert episode (seed %d): return %.2f, %d steps, success %s -> %s%n",
                        seed, rec.episodeReturn(), rec.steps(), rec.success(), gif));
            }
            System.err.println("quickstart: wrote " + gif);
        }

        Path file = out.resolve("summary.txt");
        Path tmp = out.resolve("summary.txt.tmp");
        Files.writeString(tmp, summary.toString());
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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
