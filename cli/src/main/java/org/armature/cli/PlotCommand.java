package org.armature.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.armature.agents.data.OfflineDataset;
import org.armature.offline.data.D4rlHdf5;
import org.armature.viz.EvalMetric;
import org.armature.viz.Plots;
import org.armature.viz.RenderOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code armature plot}: learning curves of runs, or the trajectory-return histogram of a dataset. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Plot learning curves (evaluation return, or success rate or Push-T coverage with --metric, "
                + "vs env steps, gradient steps, or wall-clock seconds with --x wall) of run directories, overlaid; runs "
                + "of one configuration with different seeds (config.json equal apart from the seed, or, for runs "
                + "without one, a folder of runs or names ending in -seedN) are drawn as mean ± std across seeds. "
                + "A folder of runs of several algorithms or envs gives one curve per configuration.",
                "With --dataset FILE.h5: histogram of the dataset's trajectory returns."})
public final class PlotCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "RUN_DIR", description = "run directories (with metrics.csv) or folders of them")
    List<Path> runs = List.of();

    @Option(names = "--dataset", paramLabel = "FILE.h5", description = "plot the trajectory-return histogram of a dataset")
    Path dataset;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "PNG file to write")
    Path out;

    @Option(names = "--size", defaultValue = "900x560", paramLabel = "WxH", description = "image size (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--title", paramLabel = "TEXT", description = "chart title")
    String title;

    @Option(names = "--metric", defaultValue = "return", paramLabel = "return|success|coverage",
            description = "what the learning curves show: eval_return_mean, eval_success_rate or "
                    + "eval_max_coverage_mean of metrics.csv (offline runs: return_mean, success_rate or "
                    + "max_coverage_mean of eval.csv) (default: ${DEFAULT-VALUE})")
    String metric;

    @Option(names = "--x", defaultValue = "steps", paramLabel = "steps|wall",
            description = "the x axis: steps (env steps of online runs, gradient steps of offline ones) or wall "
                    + "(wall-clock seconds since the run started, to compare methods at equal training time) "
                    + "(default: ${DEFAULT-VALUE})")
    String x;

    @Option(names = "--bins", defaultValue = "30", paramLabel = "N", description = "histogram bins (default: ${DEFAULT-VALUE})")
    int bins;

    @Override
    public Integer call() throws Exception {
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new IllegalArgumentException("--out " + out + " must be a .png file");
        }
        int[] wh = RenderOptions.parseSize(size);
        if (dataset != null) {
            if (!metric.equals("return") || !x.equals("steps")) {
                throw new IllegalArgumentException("--metric and --x apply to learning curves of runs, not to --dataset");
            }
            if (!runs.isEmpty()) {
                throw new IllegalArgumentException("give either RUN_DIR... or --dataset, not both");
            }
            OfflineDataset d = D4rlHdf5.read(dataset);
            double[] returns = d.trajectories().returns();
            String name = d.metadata().envId() != null ? d.metadata().envId() + " " + dataset.getFileName()
                    : dataset.getFileName().toString();
            Plots.returnHistogram(returns, title != null ? title : "Trajectory returns: " + name, out, wh[0], wh[1], bins);
            System.out.printf(Locale.ROOT, "wrote %s (%d trajectories)%n", out, returns.length);
            return 0;
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("give at least one RUN_DIR, or --dataset FILE.h5");
        }
        EvalMetric m = evalMetric(metric);
        if (!x.equals("steps") && !x.equals("wall")) {
            throw new IllegalArgumentException("--x must be steps or wall, got '" + x + "'");
        }
        List<Plots.Curve> curves = Plots.learningCurves(runs, m, x.equals("wall"), out, wh[0], wh[1], title);
        for (Plots.Curve c : curves) {
            System.out.printf(Locale.ROOT, "%s: %d seed(s), %d points, final eval %s %.2f at %.0f %s%n",
                    c.label(), c.seeds(), c.envSteps().length, m.quantity(), c.mean()[c.mean().length - 1],
                    c.envSteps()[c.envSteps().length - 1], c.xAxis());
        }
        System.out.println("wrote " + out);
        return 0;
    }

    private static EvalMetric evalMetric(String name) {
        return switch (name) {
            case "return" -> EvalMetric.RETURN;
            case "success" -> EvalMetric.SUCCESS;
            case "coverage" -> EvalMetric.COVERAGE;
            default -> throw new IllegalArgumentException("--metric must be return, success or coverage, got '" + name
                    + "'");
        };
    }
}
