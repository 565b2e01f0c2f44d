package org.armature.offline.algo;

import java.util.Map;
import java.util.SplittableRandom;

import org.armature.agents.Batch;
import org.armature.agents.Learner;

/**
 * Gradient-step timing for IQL, CQL, TD3+BC and BC with CORL sizes (obs 17, act 6, batch 256) on a random
 * 100k-transition buffer, as ../shared/peers/torch_offline_update.py does for PyTorch:
 * {@code armature bench offline --algo iql --iters 1000 --warmup 100 [--hidden 256]}.
 */
public final class OfflineUpdateBenchmark {

    private OfflineUpdateBenchmark() {
    }

    /** Times {@code iters} updates after {@code warmup} untimed ones; returns one JSON line. */
    public static String run(String algo, int iters, int warmup, int hidden) {
        if (iters < 1 || warmup < 0 || hidden < 1) {
            throw new IllegalArgumentException("--iters and --hidden must be >= 1, --warmup >= 0");
        }
        int od = 17;
        int ad = 6;
        int n = 100_000;
        int b = 256;
        SplittableRandom rng = new SplittableRandom(0);
        float[] obs = new float[n * od];
        float[] next = new float[n * od];
        float[] act = new float[n * ad];
        float[] rew = new float[n];
        float[] notDone = new float[n];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) rng.nextGaussian();
            next[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < act.length; i++) {
            act[i] = (float) rng.nextDouble(-1, 1);
        }
        for (int i = 0; i < n; i++) {
            rew[i] = (float) rng.nextGaussian();
            notDone[i] = rng.nextDouble() < 0.01 ? 0 : 1;
        }
        Learner a = OfflineAlgorithms.create(algo, null, od, ad, warmup + iters,
                Map.of("hidden", Integer.toString(hidden)), 0);
        Batch batch = new Batch(b, od, ad, org.nd4j.linalg.api.buffer.DataType.FLOAT);
        double[] t = new double[iters];
        double[] cpu = new double[iters];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int it = 0; it < warmup + iters; it++) {
            for (int r = 0; r < b; r++) {
                int i = rng.nextInt(n);
                batch.observations.put(r * od, obs, i * od, od);
                batch.nextObservations.put(r * od, next, i * od, od);
                batch.actions.put(r * ad, act, i * ad, ad);
                batch.rewards.set(r, rew[i]);
                batch.discounts.set(r, a.discount() * notDone[i]);
            }
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            a.update(batch);
            long dt = System.nanoTime() - t0;
            long dc = mx.getCurrentThreadCpuTime() - c0;
            if (it >= warmup) {
                t[it - warmup] = dt / 1e3;
                cpu[it - warmup] = dc / 1e6;
            }
        }
        java.util.Arrays.sort(t);
        java.util.Arrays.sort(cpu);
        double median = t[iters / 2];
        return String.format("{\"algo\": \"%s\", \"iters\": %d, \"median_us\": %.1f, \"p10_us\": %.1f, \"p90_us\": %.1f, "
                        + "\"updates_per_s\": %.1f, \"thread_cpu_ms_median\": %.2f, \"threads\": \"OMP_NUM_THREADS=%s\"}",
                algo, iters, median, t[iters / 10], t[iters * 9 / 10], 1e6 / median, cpu[iters / 2],
                System.getenv("OMP_NUM_THREADS")).strip();
    }
}
