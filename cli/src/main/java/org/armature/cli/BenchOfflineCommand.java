package org.armature.cli;

import java.util.concurrent.Callable;

import org.armature.offline.algo.OfflineUpdateBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code armature bench offline}: gradient-step timing of the offline algorithms (BENCHMARKS.md, offline speed). */
@Command(name = "offline", mixinStandardHelpOptions = true,
        description = "Time BC, TD3+BC, IQL or CQL gradient steps at CORL's sizes (obs 17, act 6, batch 256) on random "
                + "data; prints one JSON line (median, p10, p90 in microseconds, thread CPU).")
public final class BenchOfflineCommand implements Callable<Integer> {

    @Option(names = "--algo", defaultValue = "iql", description = "bc, td3bc, iql or cql (default: ${DEFAULT-VALUE})")
    String algo;

    @Option(names = "--iters", defaultValue = "1000", description = "timed steps (default: ${DEFAULT-VALUE})")
    int iters;

    @Option(names = "--warmup", defaultValue = "100", description = "untimed steps first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--hidden", defaultValue = "256", description = "hidden width (default: ${DEFAULT-VALUE}, CORL)")
    int hidden;

    @Override
    public Integer call() {
        System.out.println(OfflineUpdateBenchmark.run(algo, iters, warmup, hidden));
        return 0;
    }
}
