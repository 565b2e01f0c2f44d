package org.armature.viz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the evaluation columns of a run directory's {@code metrics.csv}: a header row, then one row per logging
 * point; the columns used here are {@code env_steps}, {@code eval_return_mean} and (optional)
 * {@code eval_return_std}. Rows whose evaluation cells are empty (training-only rows) are skipped.
 */
public final class MetricsCsv {

    public static final String FILE = "metrics.csv";
    public static final String ENV_STEPS = "env_steps";
    public static final String EVAL_RETURN_MEAN = "eval_return_mean";
    public static final String EVAL_RETURN_STD = "eval_return_std";

    /** Evaluation points of one run, sorted by env steps. {@code std} holds NaN where not measured. */
    public record EvalSeries(Path runDir, double[] envSteps, double[] mean, double[] std) {
        public int size() {
            return envSteps.length;
        }
    }

    private MetricsCsv() {
    }

    /** Reads {@code runDir/metrics.csv}; problems are an {@link IllegalArgumentException} naming the file. */
    public static EvalSeries readEval(Path runDir) {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("run directory " + runDir + " has no " + FILE
                    + " (expected a run directory written by training, or a folder of them)");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty (expected a header row with " + ENV_STEPS + ", "
                    + EVAL_RETURN_MEAN + ")");
        }
        List<String> header = Arrays.asList(split(lines.get(0)));
        int iSteps = header.indexOf(ENV_STEPS);
        int iMean = header.indexOf(EVAL_RETURN_MEAN);
        int iStd = header.indexOf(EVAL_RETURN_STD);
        if (iSteps < 0 || iMean < 0) {
            throw new IllegalArgumentException(file + " has columns " + header + " but needs " + ENV_STEPS + " and "
                    + EVAL_RETURN_MEAN);
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
                throw new IllegalArgumentException(file + " line " + (ln + 1) + ": not a number in " + ENV_STEPS + "/"
                        + EVAL_RETURN_MEAN + "/" + EVAL_RETURN_STD + ": '" + line + "'");
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + " has no rows with an " + EVAL_RETURN_MEAN
                    + " value (no evaluation has run yet)");
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
        return new EvalSeries(runDir, x, m, s);
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
