package org.armature.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.apache.ignite.Ignite;
import org.armature.cluster.MemberConfig;
import org.armature.cluster.Members;
import org.armature.cluster.Sweep;
import org.armature.cluster.SweepSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code armature sweep}: a grid or random search over a training command's config keys and seeds. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a grid or random search of train, offline, bc, residual or dsrl runs over config keys and "
                + "seeds, each run in its own process on a cluster member; write OUT/runs/<run>/ (ordinary run "
                + "directories), runs.csv, summary.csv (final eval return, mean ± std across seeds per "
                + "configuration) and curves.png.",
                "  armature sweep --spec sweep.json --out sweeps/lr            # on this machine, all cores",
                "  armature sweep --spec sweep.json --join 127.0.0.1:47500     # on a cluster (cluster/README.md)",
                "Spec: {\"command\": \"train\", \"base\": {\"algo\": \"sac\", \"env\": \"Pendulum-v1\", \"steps\": "
                        + "20000, \"set\": {\"learning_starts\": 1000}}, \"grid\": {\"sac.policy_lr\": [0.0003, "
                        + "0.001]}, \"seeds\": [1, 2, 3]}"})
public final class SweepCommand implements Callable<Integer> {

    @Option(names = "--spec", required = true, paramLabel = "SWEEP.json", description = "the sweep (see above)")
    Path spec;

    @Option(names = "--out", paramLabel = "DIR", description = "a new folder for the results (default: "
            + "sweeps/<date>-<spec name>)")
    Path out;

    @Option(names = "--workers", paramLabel = "N", description = "without --join: runs at once on this machine "
            + "(default: the number of cores)")
    Integer workers;

    @Option(names = "--poll-ms", defaultValue = "" + Sweep.DEFAULT_POLL_MILLIS, paramLabel = "MILLIS",
            description = "how often a member stores a run's new checkpoint in the cluster (default: "
                    + "${DEFAULT-VALUE})")
    long pollMillis;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        SweepSpec s = SweepSpec.read(spec);
        if (pollMillis < 10) {
            throw new IllegalArgumentException("--poll-ms must be >= 10, got " + pollMillis);
        }
        if (workers != null && !cluster.join.isEmpty()) {
            throw new IllegalArgumentException("--workers sizes the embedded member; with --join each member has its "
                    + "own (cluster member --workers)");
        }
        Path dir = out != null ? out : org.armature.train.RunDirectory.uniqueName(Path.of("sweeps"),
                spec.getFileName().toString().replaceFirst("\\.json$", ""));
        if (Files.exists(dir) && !(Files.isDirectory(dir) && isEmpty(dir))) {
            throw new IllegalArgumentException("--out " + dir + " already holds files; choose a new folder");
        }
        MemberConfig c = cluster.clientOrEmbeddedConfig(workers != null ? workers
                : Runtime.getRuntime().availableProcessors()); // without --join: this machine's cores
        List<Sweep.RunResult> results;
        try (Ignite ignite = Members.start(c)) {
            results = Sweep.run(ignite, s, dir, pollMillis, line -> {
                System.out.println(line);
                System.out.flush();
            });
        }
        System.out.println();
        System.out.printf("%-5s %-40s %5s %7s  %s%n", "", "configuration", "seeds", "failed", "final eval return");
        List<Sweep.ConfigSummary> summary = Sweep.summarise(s, results);
        for (int i = 0; i < summary.size(); i++) {
            Sweep.ConfigSummary cs = summary.get(i);
            System.out.printf(Locale.ROOT, "c%02d   %-40s %5d %7d  %s%n", i, cs.label(), cs.finished(), cs.failed(),
                    Double.isNaN(cs.mean()) ? "-" : String.format(Locale.ROOT, "%.2f ± %.2f", cs.mean(), cs.std()));
        }
        List<Path> finished = Sweep.finishedDirs(results);
        if (!finished.isEmpty()) {
            try {
                org.armature.viz.Plots.learningCurves(finished, dir.resolve("curves.png"), 900, 560,
                        "Sweep " + spec.getFileName());
                System.out.println("curves: " + dir.resolve("curves.png"));
            } catch (RuntimeException | java.io.IOException e) {
                System.out.println("curves: none (" + e.getMessage() + ")");
            }
        }
        System.out.println("summary: " + dir.resolve(Sweep.SUMMARY_CSV) + ", runs: " + dir.resolve(Sweep.RUNS_CSV));
        long failed = results.stream().filter(r -> !r.finished()).count();
        if (failed > 0) {
            System.err.println("error: " + failed + " of " + results.size() + " run(s) failed after their retries; "
                    + "their errors are in " + dir.resolve(Sweep.RUNS_CSV));
            return 1;
        }
        return 0;
    }

    private static boolean isEmpty(Path d) throws java.io.IOException {
        try (java.util.stream.Stream<Path> st = Files.list(d)) {
            return st.findAny().isEmpty();
        }
    }
}
