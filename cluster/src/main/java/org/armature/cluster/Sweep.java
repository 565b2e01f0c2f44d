package org.armature.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCompute;
import org.apache.ignite.cluster.ClusterGroup;
import org.apache.ignite.cluster.ClusterNode;
import org.armature.sim.AtomicFiles;

/**
 * Runs a {@link SweepSpec} on a cluster: every run is a {@link RunJob} on some member; finished run directories are
 * unpacked into {@code OUT/runs/<run>/} (the layout of a local run), a run that failed is tried again, from its
 * stored checkpoint, up to {@code max_retries} times, and {@code OUT/runs.csv} and {@code OUT/summary.csv} (final
 * evaluation return, mean ± std across seeds per configuration) are written at the end.
 */
public final class Sweep {

    public static final String RUNS = "runs";
    public static final String RUNS_CSV = "runs.csv";
    public static final String SUMMARY_CSV = "summary.csv";
    /** How often a member looks at a run's checkpoint to store it. */
    public static final long DEFAULT_POLL_MILLIS = 500;

    /** One run's end. {@code dir} is null when it failed; {@code finalReturn} NaN when unknown. */
    public record RunResult(SweepSpec.Run run, String label, Path dir, int attempts, boolean resumed, String member,
                            String error, double finalReturn) {
        public boolean finished() {
            return dir != null;
        }
    }

    /** One configuration across seeds. */
    public record ConfigSummary(String label, int finished, int failed, double mean, double std) {
    }

    private Sweep() {
    }

    /**
     * Runs every run of {@code spec} on the members of {@code ignite}'s cluster that run this build (others are
     * skipped, with a line saying why) and writes the results under {@code out}, which must not hold anything yet.
     */
    public static List<RunResult> run(Ignite ignite, SweepSpec spec, Path out, long pollMillis, Consumer<String> log)
            throws IOException {
        if (Files.exists(out) && !(Files.isDirectory(out) && isEmpty(out))) {
            throw new IllegalArgumentException("--out " + out + " already holds files; choose a new folder");
        }
        Files.createDirectories(out.resolve(RUNS));
        ClusterGroup members = eligibleMembers(ignite, log);
        IgniteCompute compute = ignite.compute(members);
        RunJob.store(ignite);
        String sweepId = UUID.randomUUID().toString();
        List<SweepSpec.Run> runs = spec.runs();
        log.accept(String.format(Locale.ROOT, "sweep: %d run(s) (%d configuration(s) x %d seed(s)) of `%s` on %d "
                        + "member(s), %d worker(s)", runs.size(), spec.configs().size(), spec.seeds().size(),
                spec.command(), members.nodes().size(), members.nodes().stream()
                        .mapToInt(n -> (Integer) n.attribute(Members.ATTR_WORKERS)).sum()));
        Completions<RunOutcome> jobs = new Completions<>(compute, runs.size());
        boolean[] resumed = new boolean[runs.size()];
        RunResult[] results = new RunResult[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            jobs.submit(i, job(sweepId, spec, runs.get(i), pollMillis));
        }
        int finished = 0;
        while (finished < runs.size()) {
            Completions.Done<RunOutcome> next = jobs.take();
            int i = next.index();
            SweepSpec.Run r = runs.get(i);
            RunOutcome o = next.value();
            String why = o != null ? "exit " + o.exitCode + (o.error.isEmpty() ? "" : ": " + o.error)
                    : Members.rootMessage(next.failure());
            if (o != null) {
                resumed[i] |= o.resumed;
            }
            if (o != null && o.finished()) {
                Path dir = out.resolve(RUNS).resolve(r.name());
                DirectoryArchive.unpack(o.runDirectory, dir);
                results[i] = new RunResult(r, spec.label(r.config()), dir, jobs.attempts(i), resumed[i], o.member, "",
                        finalReturn(dir));
            } else if (jobs.attempts(i) <= spec.maxRetries()) {
                log.accept(String.format(Locale.ROOT, "run %s failed (attempt %d of %d) on %s: %s; trying again",
                        r.name(), jobs.attempts(i), spec.maxRetries() + 1, o != null ? o.member : "?", why));
                jobs.submit(i, job(sweepId, spec, r, pollMillis));
                continue;
            } else {
                results[i] = new RunResult(r, spec.label(r.config()), null, jobs.attempts(i), resumed[i],
                        o != null ? o.member : "", why, Double.NaN);
                RunJob.store(ignite).remove(key(sweepId, r));
            }
            finished++;
            RunResult res = results[i];
            log.accept(String.format(Locale.ROOT, "[%d/%d] %s (%s, seed %d) %s on %s%s", finished, runs.size(),
                    r.name(), res.label(), r.seed(), res.finished() ? String.format(Locale.ROOT,
                            "finished, final eval return %.2f,", res.finalReturn()) : "FAILED", res.member(),
                    res.finished() ? (res.resumed() ? " (resumed from a stored checkpoint)" : "")
                            : ": " + res.error()));
        }
        List<RunResult> all = List.of(results);
        writeCsvs(out, spec, all);
        return all;
    }

    private static RunJob job(String sweepId, SweepSpec spec, SweepSpec.Run r, long pollMillis) {
        return new RunJob(key(sweepId, r), r.name(), spec.command(), r.args(), pollMillis);
    }

    private static String key(String sweepId, SweepSpec.Run r) {
        return sweepId + "/" + r.name();
    }

    /** The servers that run this build with this BLAS core type; the others are named and skipped. */
    static ClusterGroup eligibleMembers(Ignite ignite, Consumer<String> log) {
        ClusterNode me = ignite.cluster().localNode();
        List<ClusterNode> ok = new ArrayList<>();
        for (ClusterNode n : ignite.cluster().forServers().nodes()) {
            String why = Members.difference(me, n);
            if (why == null) {
                ok.add(n);
            } else {
                log.accept("refused " + why);
            }
        }
        if (ok.isEmpty()) {
            throw new ClusterException("no member runs this build with this OPENBLAS_CORETYPE (see the lines above)");
        }
        return ignite.cluster().forNodes(ok);
    }

    /** The final evaluation return in a run's result.json (train: final_eval_return_mean; offline: final_return). */
    static double finalReturn(Path runDir) {
        try {
            JsonNode r = new ObjectMapper().readTree(runDir.resolve(org.armature.train.RunDirectory.RESULT).toFile());
            JsonNode v = r.has("final_eval_return_mean") ? r.get("final_eval_return_mean") : r.get("final_return");
            return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** Mean and sample standard deviation across seeds of each configuration's finished runs. */
    public static List<ConfigSummary> summarise(SweepSpec spec, List<RunResult> results) {
        List<ConfigSummary> out = new ArrayList<>();
        for (int c = 0; c < spec.configs().size(); c++) {
            final int config = c;
            double[] v = results.stream().filter(r -> r.run().config() == config && r.finished())
                    .mapToDouble(RunResult::finalReturn).toArray();
            long failed = results.stream().filter(r -> r.run().config() == config && !r.finished()).count();
            double mean = Double.NaN;
            double std = Double.NaN;
            if (v.length > 0) {
                mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
                double m = mean;
                std = v.length > 1 ? Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - m) * (x - m)).sum()
                        / (v.length - 1)) : 0;
            }
            out.add(new ConfigSummary(spec.label(c), v.length, (int) failed, mean, std));
        }
        return out;
    }

    private static void writeCsvs(Path out, SweepSpec spec, List<RunResult> results) throws IOException {
        StringBuilder runs = new StringBuilder("run,config,seed,status,final_eval_return,attempts,resumed,member,"
                + "error\n");
        for (RunResult r : results) {
            runs.append(String.join(",", r.run().name(), csv(r.label()), Long.toString(r.run().seed()),
                    r.finished() ? "finished" : "failed", num(r.finalReturn()), Integer.toString(r.attempts()),
                    Boolean.toString(r.resumed()), csv(r.member()), csv(r.error()))).append('\n');
        }
        AtomicFiles.write(out.resolve(RUNS_CSV), runs.toString().getBytes(StandardCharsets.UTF_8));
        List<String> keys = new ArrayList<>();
        spec.configs().forEach(m -> m.keySet().forEach(k -> {
            if (!keys.contains(k)) {
                keys.add(k);
            }
        }));
        StringBuilder sum = new StringBuilder("config");
        keys.forEach(k -> sum.append(',').append(csv(k)));
        sum.append(",seeds,finished,failed,final_eval_return_mean,final_eval_return_std\n");
        List<ConfigSummary> summaries = summarise(spec, results);
        for (int c = 0; c < summaries.size(); c++) {
            ConfigSummary s = summaries.get(c);
            Map<String, String> values = spec.configs().get(c);
            sum.append(String.format(Locale.ROOT, "c%02d", c));
            keys.forEach(k -> sum.append(',').append(csv(values.getOrDefault(k, ""))));
            sum.append(',').append(spec.seeds().size()).append(',').append(s.finished()).append(',')
                    .append(s.failed()).append(',').append(num(s.mean())).append(',').append(num(s.std())).append('\n');
        }
        AtomicFiles.write(out.resolve(SUMMARY_CSV), sum.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n")
                ? "\"" + s.replace("\"", "\"\"").replace("\n", " ") + "\"" : s;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** The finished runs' directories (for plots). */
    public static List<Path> finishedDirs(Collection<RunResult> results) {
        return results.stream().filter(RunResult::finished).map(RunResult::dir).toList();
    }
}
