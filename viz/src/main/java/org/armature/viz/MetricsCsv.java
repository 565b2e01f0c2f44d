package org.armature.viz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the evaluation columns of a run directory's {@code metrics.csv}: a header row, then one row per logging
 * point; the columns used here are {@code env_steps} and those of an {@link EvalMetric}: {@code eval_return_mean} and
 * (optional) {@code eval_return_std}, or {@code eval_success_rate}. Rows whose evaluation cells are empty
 * (training-only rows) are skipped.
 */
public final class MetricsCsv {

    public static final String FILE = "metrics.csv";
    public static final String ENV_STEPS = "env_steps";
    public static final String EVAL_RETURN_MEAN = "eval_return_mean";
    public static final String EVAL_RETURN_STD = "eval_return_std";

    /** Offline runs (org.armature.offline) log evaluations to {@code eval.csv}: step, return_mean, return_std. */
    public static final String OFFLINE_FILE = "eval.csv";
    public static final String ENV_STEPS_AXIS = "environment steps";
    public static final String GRADIENT_STEPS_AXIS = "gradient steps";
    /** x in wall-clock seconds since the run started: {@code wall_seconds} of metrics.csv, {@code wall_s} of eval.csv. */
    public static final String WALL_AXIS = "wall-clock seconds";

    /**
     * Evaluation points of one run, sorted by x. {@code std} holds NaN where not measured. {@code xAxis} says what
     * x counts: env steps for online runs, gradient steps for offline ones.
     */
    public record EvalSeries(Path runDir, double[] envSteps, double[] mean, double[] std, String xAxis) {
        public int size() {
            return envSteps.length;
        }
    }

    private MetricsCsv() {
    }

    /** True when {@code dir} looks like a run directory (has metrics.csv or an offline eval.csv). */
    public static boolean isRunDir(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE)) || Files.isRegularFile(dir.resolve(OFFLINE_FILE));
    }

    /**
     * Reads the evaluations of a run: {@code metrics.csv} ({@code env_steps}, {@code eval_return_mean},
     * {@code eval_return_std}) or, when that has no evaluation columns, an offline run's {@code eval.csv}
     * ({@code step}, {@code return_mean}, {@code return_std}). Problems are an {@link IllegalArgumentException}
     * naming the file.
     */
    public static EvalSeries readEval(Path runDir) {
        return readEval(runDir, EvalMetric.RETURN);
    }

    /**
     * As {@link #readEval(Path)} for any {@link EvalMetric}: its {@code metrics.csv} column, or for an offline run its
     * {@code eval.csv} column. A run that does not log the metric is an error naming the file and the column.
     */
    public static EvalSeries readEval(Path runDir, EvalMetric metric) {
        return readEval(runDir, metric, false);
    }

    /**
     * As {@link #readEval(Path, EvalMetric)}, against wall-clock seconds instead of steps when {@code wallClock}
     * (to compare methods whose steps cost different times, e.g. two denoisers at equal training time).
     */
    public static EvalSeries readEval(Path runDir, EvalMetric metric, boolean wallClock) {
        Path file = runDir.resolve(FILE);
        Path offline = runDir.resolve(OFFLINE_FILE);
        // an online metrics.csv always has eval_return_mean, whichever metric is plotted
        if (Files.isRegularFile(offline) && (!Files.isRegularFile(file) || !header(file).contains(EVAL_RETURN_MEAN))) {
            return read(runDir, offline, wallClock ? "wall_s" : "step", metric.offlineColumn(),
                    metric.offlineSpreadColumn(), wallClock ? WALL_AXIS : GRADIENT_STEPS_AXIS, metric);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("run directory " + runDir + " has no " + FILE
                    + " (expected a run directory written by training, or a folder of them)");
        }
        return read(runDir, file, wallClock ? "wall_seconds" : ENV_STEPS, metric.onlineColumn(),
                metric.onlineSpreadColumn(), wallClock ? WALL_AXIS : ENV_STEPS_AXIS, metric);
    }

    private static List<String> header(Path file) {
        try (java.io.BufferedReader r = Files.newBufferedReader(file)) {
            String line = r.readLine();
            return line == null ? List.of() : Arrays.asList(split(line));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static EvalSeries read(Path runDir, Path file, String stepsColumn, String meanColumn, String stdColumn,
                                   String xAxis, EvalMetric metric) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty (expected a header row with " + stepsColumn + ", "
                    + meanColumn + ")");
        }
        List<String> header = Arrays.asList(split(lines.get(0)));
        int iSteps = header.indexOf(stepsColumn);
        int iMean = header.indexOf(meanColumn);
        int iStd = stdColumn == null ? -1 : header.indexOf(stdColumn);
        if (iSteps >= 0 && iMean < 0 && metric != EvalMetric.RETURN) {
            throw new IllegalArgumentException(file + " has no " + meanColumn + " column to plot the " + metric.label()
                    + " from (its columns: " + header + ")");
        }
        if (iSteps < 0 || iMean < 0) {
            throw new IllegalArgumentException(file + " has columns " + header + " but needs " + stepsColumn + " and "
                    + meanColumn);
        }
        List<double[]> rows = new ArrayList<>();
        for (int ln = 1; ln < lines.size(); ln++) {
            String line = lines.get(ln);
            if (line.isBlank()) {
                continue;
            }
            String[] cells = split(line);
            String mean = cell(cells, iMean);
            if (mean.isEmpty()) {
                continue;
            }
            String steps = cell(cells, iSteps);
            String std = iStd < 0 ? "" : cell(cells, iStd);
            try {
                rows.add(new double[]{Double.parseDouble(steps), Double.parseDouble(mean),
                        std.isEmpty() ? Double.NaN : Double.parseDouble(std)});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + " line " + (ln + 1) + ": not a number in " + stepsColumn + "/"
                        + meanColumn + (stdColumn == null ? "" : "/" + stdColumn) + ": '" + line + "'");
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + " has no rows with an " + meanColumn + " value (no evaluation "
                    + "has run yet" + (metric == EvalMetric.SUCCESS ? ", or the env reports no success"
                    : metric == EvalMetric.COVERAGE ? ", or the env reports no coverage" : "") + ")");
        }
        rows.sort((a, b) -> Double.compare(a[0], b[0]));
        double[] x = new double[rows.size()];
        double[] m = new double[rows.size()];
        double[] s = new double[rows.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rows.get(i)[0];
            m[i] = rows.get(i)[1];
            s[i] = rows.get(i)[2];
        }
        return new EvalSeries(runDir, x, m, s, xAxis);
    }

    private static String cell(String[] cells, int i) {
        return i < cells.length ? cells[i].trim() : "";
    }

    private static String[] split(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i].trim();
            if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
                c = c.substring(1, c.length() - 1);
            }
            cells[i] = c;
        }
        return cells;
    }
}
