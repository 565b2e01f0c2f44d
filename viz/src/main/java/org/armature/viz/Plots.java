package org.armature.viz;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Learning curves and dataset-return histograms as PNG files, drawn with XChart.
 *
 * <p>Learning curves: evaluation return (or, with {@link EvalMetric#SUCCESS}, success rate) against environment
 * steps. Runs of the same configuration with different seeds form one curve: the mean across seeds with a band of ±
 * one standard deviation across seeds. A single run is drawn with a band of ± its {@code eval_return_std} (spread
 * across evaluation episodes; none for success rates, which are logged without one). Runs with a
 * {@code config.json} (online and offline runs alike) are grouped when their configs are equal except for
 * {@code seed} and machine details (Java version, cores), so algorithm and env always match within a curve; a
 * folder of such runs gives one curve per configuration. Runs without a config are grouped when (a) they are given
 * as one folder holding several run directories, or (b) their directory names differ only in a trailing seed suffix
 * ({@code -seed3}, {@code _s3}, {@code seed=3}). Online (env steps) and offline (gradient steps) runs are never
 * averaged together.
 */
public final class Plots {

    public static final int DEFAULT_WIDTH = 900;
    public static final int DEFAULT_HEIGHT = 560;

    private static final Color[] PALETTE = {
            new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    /** One drawn curve: label, common x grid, mean and band, number of seeds. */
    public record Curve(String label, double[] envSteps, double[] mean, double[] lower, double[] upper, int seeds,
                        String xAxis) {
    }

    private Plots() {
    }

    /**
     * The training loop's end-of-run hook: reads {@code runDir/metrics.csv} and writes the learning curve to
     * {@code outPng} (e.g. {@code runDir.resolve("learning_curve.png")}).
     */
    public static void learningCurve(Path runDir, Path outPng) throws IOException {
        learningCurves(List.of(runDir), outPng, DEFAULT_WIDTH, DEFAULT_HEIGHT, null);
    }

    /** File name of the learning curve written into a run directory at the end of training. */
    public static final String RUN_CURVE_FILE = "learning_curve.png";

    /**
     * End-of-training hook: writes {@code runDir/learning_curve.png} from the run's {@code metrics.csv} and returns
     * its path, or returns null (writing nothing) when the run has no evaluation rows yet.
     */
    public static Path writeRunLearningCurve(Path runDir) throws IOException {
        MetricsCsv.EvalSeries series;
        try {
            series = MetricsCsv.readEval(runDir);
        } catch (IllegalArgumentException e) {
            if (e.getMessage().contains("no rows with")) {
                return null;
            }
            throw e;
        }
        Path out = runDir.resolve(RUN_CURVE_FILE);
        String title = "Evaluation return: " + name(runDir);
        learningCurves(List.of(series.runDir()), out, DEFAULT_WIDTH, DEFAULT_HEIGHT, title);
        return out;
    }

    /** Learning curves of several runs (or folders of seed runs) overlaid in one PNG of the given size. */
    public static List<Curve> learningCurves(List<Path> runs, Path outPng, int width, int height, String title)
            throws IOException {
        return learningCurves(runs, EvalMetric.RETURN, outPng, width, height, title);
    }

    /** As {@link #learningCurves(List, Path, int, int, String)}, plotting {@code metric} (return or success rate). */
    public static List<Curve> learningCurves(List<Path> runs, EvalMetric metric, Path outPng, int width, int height,
                                             String title) throws IOException {
        return learningCurves(runs, metric, false, outPng, width, height, title);
    }

    /** As above, against wall-clock seconds instead of steps when {@code wallClock}. */
    public static List<Curve> learningCurves(List<Path> runs, EvalMetric metric, boolean wallClock, Path outPng,
                                             int width, int height, String title) throws IOException {
        checkSize(width, height);
        List<Curve> curves = curves(runs, metric, wallClock);
        String xAxis = curves.stream().map(Curve::xAxis).distinct().count() == 1 ? curves.get(0).xAxis() : "steps";
        String yAxis = metric.label();
        draw(curves, xAxis, yAxis, title != null ? title : Character.toUpperCase(yAxis.charAt(0)) + yAxis.substring(1),
                metric.isRate(), width, height, outPng);
        return curves;
    }

    /** Curves (mean and ± std band) against any x, e.g. return against decision interval, in one PNG. */
    public static void lines(List<Curve> curves, String xAxis, String yAxis, String title, Path outPng)
            throws IOException {
        draw(curves, xAxis, yAxis, title, false, DEFAULT_WIDTH, DEFAULT_HEIGHT, outPng);
    }

    private static void draw(List<Curve> curves, String xAxis, String yAxis, String title, boolean unitRange,
                             int width, int height, Path outPng) throws IOException {
        XYChart chart = new XYChartBuilder().width(width).height(height)
                .title(title)
                .xAxisTitle(xAxis).yAxisTitle(yAxis).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setMarkerSize(4);
        if (unitRange) { // a rate: the whole [0, 1] range, so flat curves keep their meaning
            chart.getStyler().setYAxisMin(0.0);
            chart.getStyler().setYAxisMax(1.0);
        }
        for (int c = 0; c < curves.size(); c++) {
            Curve curve = curves.get(c);
            Color colour = PALETTE[c % PALETTE.length];
            boolean band = hasBand(curve);
            String label = curve.label() + (curve.seeds() > 1 ? " (" + curve.seeds() + " seeds, ± std)"
                    : band ? " (± std over eval episodes)" : "");
            if (band) {
                int n = curve.envSteps().length;
                double[] px = new double[2 * n];
                double[] py = new double[2 * n];
                for (int i = 0; i < n; i++) {
                    px[i] = curve.envSteps()[i];
                    py[i] = curve.upper()[i];
                    px[2 * n - 1 - i] = curve.envSteps()[i];
                    py[2 * n - 1 - i] = curve.lower()[i];
                }
                XYSeries area = chart.addSeries(label + " band", px, py);
                area.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                area.setFillColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 60));
                area.setLineColor(new Color(0, 0, 0, 0));
                area.setMarker(SeriesMarkers.NONE);
                area.setShowInLegend(false);
            }
            XYSeries line = chart.addSeries(label, curve.envSteps(), curve.mean());
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setLineColor(colour);
            line.setMarkerColor(colour);
            line.setMarker(curve.envSteps().length <= 40 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            line.setLineWidth(2f);
        }
        writeChart(BitmapEncoder.getBufferedImage(chart), outPng);
    }

    private static boolean hasBand(Curve c) {
        for (int i = 0; i < c.lower().length; i++) {
            if (Double.isNaN(c.lower()[i]) || Double.isNaN(c.upper()[i])) {
                return false;
            }
        }
        return true;
    }

    /** Resolves run arguments into curves of the evaluation return (see the class comment for the grouping rules). */
    public static List<Curve> curves(List<Path> runs) {
        return curves(runs, EvalMetric.RETURN);
    }

    /** Resolves run arguments into curves of {@code metric} (see the class comment for the grouping rules). */
    public static List<Curve> curves(List<Path> runs, EvalMetric metric) {
        return curves(runs, metric, false);
    }

    /** As {@link #curves(List, EvalMetric)}, with x in wall-clock seconds when {@code wallClock}. */
    public static List<Curve> curves(List<Path> runs, EvalMetric metric, boolean wallClock) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no run directories given");
        }
        Map<String, List<Path>> groups = new LinkedHashMap<>();
        for (Path p : runs) {
            if (!Files.isDirectory(p)) {
                throw new IllegalArgumentException("run directory " + p + " does not exist");
            }
            if (MetricsCsv.isRunDir(p)) {
                groups.computeIfAbsent(groupKey(p), k -> new ArrayList<>()).add(p);
            } else {
                List<Path> children;
                try (Stream<Path> s = Files.list(p)) {
                    children = s.filter(MetricsCsv::isRunDir).sorted().toList();
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot list " + p + ": " + e.getMessage());
                }
                if (children.isEmpty()) {
                    throw new IllegalArgumentException("run directory " + p + " has no " + MetricsCsv.FILE
                            + " and no sub-directories with one");
                }
                for (Path child : children) { // a folder of runs may hold several configurations: one curve each
                    String key = Files.isRegularFile(child.resolve(CONFIG_FILE)) ? groupKey(child) : name(p);
                    groups.computeIfAbsent(key, k -> new ArrayList<>()).add(child);
                }
            }
        }
        List<Curve> curves = new ArrayList<>();
        java.util.Set<String> labels = new java.util.HashSet<>();
        for (Map.Entry<String, List<Path>> g : groups.entrySet()) {
            List<MetricsCsv.EvalSeries> series = g.getValue().stream().map(r -> MetricsCsv.readEval(r, metric, wallClock))
                    .toList();
            if (series.stream().map(MetricsCsv.EvalSeries::xAxis).distinct().count() > 1) {
                throw new IllegalArgumentException("cannot average online and offline runs as one configuration "
                        + "(env steps vs gradient steps): " + g.getValue() + "; give them as separate arguments");
            }
            String label = g.getKey().startsWith(CONFIG_KEY) ? configLabel(g.getValue().get(0)) : g.getKey();
            if (!labels.add(label)) {
                label = label + " (" + name(g.getValue().get(0)) + ")";
                labels.add(label);
            }
            curves.add(series.size() == 1 ? single(label, series.get(0)) : acrossSeeds(label, series));
        }
        return curves;
    }

    private static final String CONFIG_KEY = "config:";
    private static final String CONFIG_FILE = "config.json";
    /** config.json keys that describe the machine or build, not the experiment. */
    private static final List<String> MACHINE_KEYS = List.of("java", "available_processors", "armature_version",
            "git_commit");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * Runs with a {@code config.json} (written by training) belong together when their configs are equal except
     * for {@code seed} (at any depth) and the machine keys; other runs when their names are equal up to a seed
     * suffix.
     */
    static String groupKey(Path run) {
        Path config = run.resolve(CONFIG_FILE);
        if (Files.isRegularFile(config)) {
            try {
                com.fasterxml.jackson.databind.JsonNode node = JSON.readTree(config.toFile());
                if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode obj) {
                    obj.remove(MACHINE_KEYS);
                    removeSeeds(obj);
                    return CONFIG_KEY + canonical(obj);
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + config + ": " + e.getMessage());
            }
        }
        return stripSeed(name(run));
    }

    /** The node as JSON with every object's keys sorted (runs written before dataset attributes were sorted). */
    private static String canonical(com.fasterxml.jackson.databind.JsonNode node) throws IOException {
        return JSON.writer().with(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .writeValueAsString(JSON.treeToValue(node, Object.class));
    }

    /**
     * Drops every {@code seed} key, at any depth (offline runs repeat it in their {@code run} section), and the seeds
     * derived from it ({@code evaluation_seed}).
     */
    private static void removeSeeds(com.fasterxml.jackson.databind.JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode obj) {
            obj.remove("seed");
            obj.remove("evaluation_seed");
        }
        for (com.fasterxml.jackson.databind.JsonNode child : node) {
            removeSeeds(child);
        }
    }

    private static String configLabel(Path run) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = JSON.readTree(run.resolve("config.json").toFile());
            String algo = node.path("algo").asText("");
            String denoiser = node.path("hyperparameters").path("denoiser").asText(""); // diffusion BC: unet or mlp
            String env = node.path("env_id").asText("");
            String label = (algo + (denoiser.isEmpty() ? "" : " (" + denoiser + ")") + " " + env).trim();
            return label.isEmpty() ? stripSeed(name(run)) : label;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + run.resolve("config.json") + ": " + e.getMessage());
        }
    }

    private static String name(Path p) {
        Path f = p.toAbsolutePath().normalize().getFileName();
        return f == null ? p.toString() : f.toString();
    }

    /** "sac-pendulum-seed3" -> "sac-pendulum"; names without a seed suffix are unchanged. */
    static String stripSeed(String name) {
        String s = name.replaceFirst("(?i)[-_.]?(seed|s)[-_=]?\\d+$", "");
        return s.isEmpty() ? name : s;
    }

    private static Curve single(String label, MetricsCsv.EvalSeries s) {
        int n = s.size();
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int i = 0; i < n; i++) {
            lo[i] = s.mean()[i] - s.std()[i];
            hi[i] = s.mean()[i] + s.std()[i];
        }
        return new Curve(label, s.envSteps(), s.mean(), lo, hi, 1, s.xAxis());
    }

    /**
     * Mean ± standard deviation across seeds on a common grid: the evaluation points of the seed with the fewest
     * points, restricted to the step range every seed covers, each seed linearly interpolated onto it.
     */
    static Curve acrossSeeds(String label, List<MetricsCsv.EvalSeries> series) {
        double from = Double.NEGATIVE_INFINITY;
        double to = Double.POSITIVE_INFINITY;
        MetricsCsv.EvalSeries shortest = series.get(0);
        for (MetricsCsv.EvalSeries s : series) {
            from = Math.max(from, s.envSteps()[0]);
            to = Math.min(to, s.envSteps()[s.size() - 1]);
            if (s.size() < shortest.size()) {
                shortest = s;
            }
        }
        final double lo = from;
        final double hi = to;
        double[] grid = Arrays.stream(shortest.envSteps()).filter(x -> x >= lo && x <= hi).toArray();
        if (MetricsCsv.WALL_AXIS.equals(shortest.xAxis()) && lo <= hi) {
            // seeds evaluate at different wall-clock times: keep both ends of the common range as well
            grid = java.util.stream.DoubleStream.concat(Arrays.stream(grid), java.util.stream.DoubleStream.of(lo, hi))
                    .distinct().sorted().toArray();
        }
        if (grid.length == 0) {
            throw new IllegalArgumentException("runs of '" + label + "' share no range of env steps ("
                    + series.stream().map(s -> s.runDir().toString()).toList() + ")");
        }
        int k = series.size();
        double[] mean = new double[grid.length];
        double[] low = new double[grid.length];
        double[] high = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            double sum = 0;
            double[] v = new double[k];
            for (int j = 0; j < k; j++) {
                v[j] = interpolate(series.get(j), grid[i]);
                sum += v[j];
            }
            double m = sum / k;
            double ss = 0;
            for (double x : v) {
                ss += (x - m) * (x - m);
            }
            double sd = Math.sqrt(ss / (k - 1)); // sample standard deviation across seeds
            mean[i] = m;
            low[i] = m - sd;
            high[i] = m + sd;
        }
        return new Curve(label, grid, mean, low, high, k, series.get(0).xAxis());
    }

    static double interpolate(MetricsCsv.EvalSeries s, double x) {
        double[] xs = s.envSteps();
        int i = Arrays.binarySearch(xs, x);
        if (i >= 0) {
            return s.mean()[i];
        }
        int hiIdx = -i - 1;
        if (hiIdx <= 0) {
            return s.mean()[0];
        }
        if (hiIdx >= xs.length) {
            return s.mean()[xs.length - 1];
        }
        double t = (x - xs[hiIdx - 1]) / (xs[hiIdx] - xs[hiIdx - 1]);
        return s.mean()[hiIdx - 1] + t * (s.mean()[hiIdx] - s.mean()[hiIdx - 1]);
    }

    /** Histogram of per-trajectory returns (e.g. of a dataset's episodes). */
    public static void returnHistogram(double[] returns, String title, Path outPng, int width, int height, int bins)
            throws IOException {
        checkSize(width, height);
        if (returns.length == 0) {
            throw new IllegalArgumentException("no trajectories to plot");
        }
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, got " + bins);
        }
        double min = Arrays.stream(returns).min().orElseThrow();
        double max = Arrays.stream(returns).max().orElseThrow();
        if (max == min) {
            min -= 0.5;
            max += 0.5;
        }
        List<Double> values = Arrays.stream(returns).boxed().toList();
        Histogram h = new Histogram(values, bins, min, max);
        double mean = Arrays.stream(returns).average().orElseThrow();
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height)
                .title(title + String.format(java.util.Locale.ROOT, " (%d trajectories, mean return %.1f)",
                        returns.length, mean))
                .xAxisTitle("trajectory return (bin centre)").yAxisTitle("trajectories").build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.96);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setXAxisDecimalPattern(Math.abs(max - min) >= 50 ? "#0" : "#0.0#");
        chart.getStyler().setXAxisMaxLabelCount(Math.min(bins, 20));
        chart.addSeries("returns", h.getxAxisData(), h.getyAxisData()).setFillColor(PALETTE[0]);
        writeChart(BitmapEncoder.getBufferedImage(chart), outPng);
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setAntiAlias(true);
        s.setSeriesColors(PALETTE);
    }

    private static void checkSize(int width, int height) {
        if (width < 100 || height < 100 || width > 10000 || height > 10000) {
            throw new IllegalArgumentException("plot size must be in 100..10000 pixels per side, got "
                    + width + "x" + height);
        }
    }

    private static void writeChart(BufferedImage image, Path out) throws IOException {
        Images.writePng(image, out);
    }
}
