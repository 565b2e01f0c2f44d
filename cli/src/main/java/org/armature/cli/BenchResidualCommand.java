package org.armature.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.armature.train.ResidualStepBenchmark;
import org.armature.train.ResidualUpdateBenchmark;
import org.armature.train.UpdateBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code armature bench residual}: residual-RL speed (ResidualTd3 update throughput, the deployed residual's
 * per-step latency), optionally followed by the PyTorch peer's update at the same sizes in the same invocation.
 */
@Command(name = "residual", mixinStandardHelpOptions = true,
        description = {"Residual RL (ResFiT) speed at PegInsert sizes (obs 11, act 4):",
                "update: one ResidualTd3 update (critic ensemble + actor + Polyak) on a random batch, past the critic "
                        + "warm-up;",
                "step: the residual's own work per control step at batch 1 (ResidualPolicy on a base that returns a "
                        + "fixed action), latency and bytes allocated.",
                "  armature bench residual",
                "  armature bench residual --only update --vs-torch scripts/peers/torch_residual_update.py"})
public final class BenchResidualCommand implements Callable<Integer> {

    /** The targets: the per-step p99 and the update rate relative to PyTorch's. */
    static final double STEP_P99_TARGET_MICROS = 50.0;
    static final double TORCH_RATIO_TARGET = 1.2;

    @Option(names = "--obs", defaultValue = "11", description = "env observation dims (default: ${DEFAULT-VALUE})")
    int obs;

    @Option(names = "--act", defaultValue = "4", description = "action dims (default: ${DEFAULT-VALUE})")
    int act;

    @Option(names = "--hidden", defaultValue = "256,256", paramLabel = "W,W",
            description = "hidden widths of the actor and of each LayerNorm critic head (default: ${DEFAULT-VALUE})")
    String hidden;

    @Option(names = "--heads", defaultValue = "2", description = "critic ensemble heads (default: ${DEFAULT-VALUE})")
    int heads;

    @Option(names = "--batch", defaultValue = "256", description = "update batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--iters", defaultValue = "500", description = "timed updates (default: ${DEFAULT-VALUE})")
    int iters;

    @Option(names = "--warmup", defaultValue = "50", description = "untimed updates first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--steps", defaultValue = "100000", description = "timed residual steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--step-warmup", defaultValue = "20000",
            description = "untimed residual steps first (default: ${DEFAULT-VALUE})")
    int stepWarmup;

    @Option(names = "--only", defaultValue = "all", paramLabel = "update|step|all",
            description = "which part to run (default: ${DEFAULT-VALUE})")
    String only;

    @Option(names = "--vs-torch", paramLabel = "PEER.py", description = "then run this PyTorch peer "
            + "(scripts/peers/torch_residual_update.py) at the same sizes with /usr/bin/python3, one thread, and print "
            + "the ratio torch ms / armature ms")
    Path peer;

    @Override
    public Integer call() throws Exception {
        int[] widths = widths(hidden);
        String widthsText = Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining(","));
        check();
        ResidualUpdateBenchmark.Sizes sizes = new ResidualUpdateBenchmark.Sizes(obs, act, widths, heads, batch);
        String net = String.format(Locale.ROOT, "obs %d act %d hidden %s heads %d", obs, act, widthsText,
                heads);
        System.out.printf("machine: %d processors, java %s, OMP_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getenv("OMP_NUM_THREADS"), System.getenv("OPENBLAS_CORETYPE"));
        boolean all = only.equals("all");
        ResidualUpdateBenchmark.Result update = null;
        if (all || only.equals("update")) {
            update = ResidualUpdateBenchmark.run(sizes, warmup, iters, 1);
            UpdateBenchmark.Timing w = update.wallMs();
            System.out.printf(Locale.ROOT, "residual update %s LayerNorm critics, batch %d: median %.3f ms (p10 %.3f, "
                            + "p90 %.3f, mean %.3f) = %.1f updates/s from the median; thread CPU median %.3f ms "
                            + "(%d updates)%n", net, batch, w.median(), w.p10(), w.p90(), w.mean(), 1e3 / w.median(),
                    update.cpuMs().median(), w.iters());
        }
        if (all || only.equals("step")) {
            ResidualStepBenchmark.Result step = ResidualStepBenchmark.run(sizes, stepWarmup, steps, 1);
            UpdateBenchmark.Timing t = step.latencyMicros();
            System.out.printf(Locale.ROOT, "residual step batch 1 %s, base excluded: p50 %.2f us, p99 %.2f us, mean "
                            + "%.2f us (target p99 <= %.0f us: %s); %.1f bytes allocated per step (%d steps)%n", net,
                    t.median(), t.p99(), t.mean(), STEP_P99_TARGET_MICROS,
                    t.p99() <= STEP_P99_TARGET_MICROS ? "met" : "missed", step.bytesAllocatedPerStep(), t.iters());
        }
        if (peer != null) {
            compareWithTorch(update, widthsText);
        }
        return 0;
    }

    private void compareWithTorch(ResidualUpdateBenchmark.Result update, String widthsText) throws Exception {
        List<String> args = List.of("--obs", Integer.toString(obs), "--act", Integer.toString(act), "--hidden",
                widthsText, "--heads", Integer.toString(heads), "--batch", Integer.toString(batch), "--iters",
                Integer.toString(iters), "--warmup", Integer.toString(warmup), "--threads", "1");
        JsonNode torch = TorchPeer.run(peer, args);
        double torchMs = TorchPeer.number(torch, "median_ms", peer);
        double ratio = torchMs / update.wallMs().median();
        String cpu = "";
        JsonNode torchCpu = torch.get("cpu_median_ms");
        if (torchCpu != null && torchCpu.isNumber()) {
            cpu = String.format(Locale.ROOT, "; thread CPU: torch %.3f ms / armature %.3f ms = %.2f",
                    torchCpu.asDouble(), update.cpuMs().median(), torchCpu.asDouble() / update.cpuMs().median());
        }
        System.out.printf(Locale.ROOT, "ratio torch ms / armature ms (update medians): %.3f / %.3f = %.2f (target >= "
                        + "%.1f: %s)%s%n", torchMs, update.wallMs().median(), ratio, TORCH_RATIO_TARGET,
                ratio >= TORCH_RATIO_TARGET ? "met" : "missed", cpu);
    }

    private void check() {
        if (obs < 1 || act < 1) {
            throw new IllegalArgumentException("--obs and --act must be >= 1, got " + obs + " and " + act);
        }
        if (heads < 2) {
            throw new IllegalArgumentException("--heads must be >= 2 (the TD target takes the min over two random "
                    + "heads), got " + heads);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        if (iters < 1 || warmup < 0 || steps < 1 || stepWarmup < 0) {
            throw new IllegalArgumentException("--iters and --steps must be >= 1, --warmup and --step-warmup >= 0");
        }
        if (!only.equals("all") && !only.equals("update") && !only.equals("step")) {
            throw new IllegalArgumentException("--only must be update, step or all, got '" + only + "'");
        }
        if (peer != null && only.equals("step")) {
            throw new IllegalArgumentException("--vs-torch compares updates, so it needs --only update or all");
        }
    }

    /** "256,256" -> {256, 256}. */
    static int[] widths(String list) {
        try {
            int[] w = Arrays.stream(list.split(",", -1)).map(String::trim).mapToInt(Integer::parseInt).toArray();
            if (w.length > 0 && Arrays.stream(w).allMatch(x -> x >= 1)) {
                return w;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--hidden must be comma-separated layer widths >= 1, e.g. 256,256; got '"
                + list + "'");
    }
}
