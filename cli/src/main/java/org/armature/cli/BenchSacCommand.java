package org.armature.cli;

import java.util.concurrent.Callable;

import org.armature.agents.ReplayBuffer;
import org.armature.train.UpdateBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code armature bench sac}: SAC update throughput, batch-1 inference latency, replay-buffer memory. */
@Command(name = "sac", mixinStandardHelpOptions = true,
        description = {"SAC speed: update throughput, batch-1 inference, replay memory.",
                "Update: critic + actor + temperature + Polyak on random replay data, as",
                "../shared/peers/torch_sac_pendulum.py bench-update measures PyTorch.",
                "  armature bench sac --obs 17 --act 6 --hidden 256 --batch 256"})
public final class BenchSacCommand implements Callable<Integer> {

    @Option(names = "--obs", defaultValue = "17", description = "observation dims (default: ${DEFAULT-VALUE})")
    int obs;

    @Option(names = "--act", defaultValue = "6", description = "action dims (default: ${DEFAULT-VALUE})")
    int act;

    @Option(names = "--hidden", defaultValue = "256", description = "hidden width (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--batch", defaultValue = "256", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--iters", defaultValue = "2000", description = "timed updates (default: ${DEFAULT-VALUE})")
    int iters;

    @Option(names = "--warmup", defaultValue = "200", description = "untimed updates first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--only", defaultValue = "all", paramLabel = "update|inference|memory|all",
            description = "which part to run (default: ${DEFAULT-VALUE})")
    String only;

    @Override
    public Integer call() {
        if (obs < 1 || act < 1 || hidden < 1 || batch < 1 || iters < 1 || warmup < 0) {
            throw new IllegalArgumentException("--obs, --act, --hidden, --batch and --iters must be >= 1");
        }
        boolean all = only.equals("all");
        if (!all && !only.equals("update") && !only.equals("inference") && !only.equals("memory")) {
            throw new IllegalArgumentException("--only must be update, inference, memory or all, got '" + only + "'");
        }
        System.out.printf("machine: %d processors, java %s, OMP_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getenv("OMP_NUM_THREADS"), System.getenv("OPENBLAS_CORETYPE"));
        if (all || only.equals("update")) {
            UpdateBenchmark.Timing w = UpdateBenchmark.sacUpdate(obs, act, hidden, batch, warmup, iters, 1);
            UpdateBenchmark.Timing c = UpdateBenchmark.lastCpu;
            System.out.printf("sac update obs %d act %d hidden %dx2 batch %d: median %.3f ms (p10 %.3f, p90 %.3f, "
                            + "mean %.3f) = %.1f updates/s from the median; thread CPU median %.3f ms%n", obs, act,
                    hidden, batch, w.median(), w.p10(), w.p90(), w.mean(), 1e3 / w.median(), c.median());
        }
        if (all || only.equals("inference")) {
            UpdateBenchmark.Timing t = UpdateBenchmark.inference(obs, 2 * act, hidden, 20_000, 100_000, 1);
            System.out.printf("batch-1 inference %d-%d-%d-%d: p50 %.2f us, p99 %.2f us, mean %.2f us%n", obs, hidden,
                    hidden, 2 * act, t.median(), t.p99(), t.mean());
        }
        if (all || only.equals("memory")) {
            long computed = ReplayBuffer.bytesFor(1_000_000, obs, act, 0);
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long before = rt.totalMemory() - rt.freeMemory();
            ReplayBuffer rb = new ReplayBuffer(1_000_000, obs, act);
            System.gc();
            long after = rt.totalMemory() - rt.freeMemory();
            System.out.printf("replay buffer 1M transitions obs %d act %d: computed %.1f MB, measured heap growth "
                    + "%.1f MB (capacity %d)%n", obs, act, computed / 1e6, (after - before) / 1e6, rb.capacity());
        }
        return 0;
    }
}
