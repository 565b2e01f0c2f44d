package org.armature.train;

import java.util.Arrays;

import org.armature.agents.Batch;
import org.armature.agents.ReplayBuffer;
import org.armature.agents.Sac;
import org.armature.agents.Sampler;
import org.armature.nn.FastMlp;
import org.armature.nn.Mlp;
import org.armature.nn.MlpSpec;
import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Micro-benchmarks for BENCHMARKS.md, mirroring ../shared/peers/torch_sac_pendulum.py bench-update: one SAC update
 * (critic + actor + temperature + Polyak) on random replay data, and batch-1 policy inference.
 */
public final class UpdateBenchmark {

    private UpdateBenchmark() {
    }

    /** Timing summary in milliseconds (update) or microseconds (inference). */
    public record Timing(double median, double p10, double p90, double p99, double mean, int iters) {
        static Timing of(double[] t) {
            double[] s = t.clone();
            Arrays.sort(s);
            double mean = Arrays.stream(s).average().orElse(Double.NaN);
            return new Timing(q(s, 0.5), q(s, 0.1), q(s, 0.9), q(s, 0.99), mean, s.length);
        }

        private static double q(double[] s, double p) {
            return s[Math.min(s.length - 1, (int) Math.floor(p * (s.length - 1) + 0.5))];
        }
    }

    /** Thread CPU time of the last {@link #sacUpdate} (robust when the machine is shared). */
    public static volatile Timing lastCpu;

    /** One SAC update per iteration with actor updates every step (policy_frequency 1, as the PyTorch peer). */
    public static Timing sacUpdate(int obsDim, int actDim, int hidden, int batchSize, int warmup, int iters,
                                   long seed) {
        float[] low = new float[actDim];
        float[] high = new float[actDim];
        Arrays.fill(low, -1f);
        Arrays.fill(high, 1f);
        Sac.Config c = Sac.Config.cleanRl();
        Sac.Config cfg = new Sac.Config(new int[]{hidden, hidden}, new int[]{hidden, hidden}, "relu", false, 0.0,
                c.gamma(), c.tau(), c.policyLr(), c.qLr(), 1, 1, true, c.alpha(), -1.0, Double.POSITIVE_INFINITY);
        Sac sac = new Sac(obsDim, low, high, cfg, seed, DataType.FLOAT);
        Rng rng = new Rng(seed);
        int n = 100_000;
        ReplayBuffer rb = new ReplayBuffer(n, obsDim, actDim);
        float[] o = new float[obsDim];
        float[] o2 = new float[obsDim];
        float[] a = new float[actDim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < obsDim; j++) {
                o[j] = (float) rng.nextGaussian();
                o2[j] = (float) rng.nextGaussian();
            }
            for (int j = 0; j < actDim; j++) {
                a[j] = (float) (2 * rng.nextDouble() - 1);
            }
            rb.add(o, a, rng.nextGaussian(), o2, false, false);
        }
        Sampler sampler = rb.sampler(1, 0.99);
        Batch batch = new Batch(batchSize, obsDim, actDim, DataType.FLOAT);
        Timing[] wallAndCpu = time(warmup, iters, () -> sampler.sample(batch, rng), () -> sac.update(batch));
        lastCpu = wallAndCpu[1];
        return wallAndCpu[0];
    }

    /**
     * Wall-clock and thread-CPU milliseconds of {@code call}, {@code iters} times after {@code warmup} untimed calls;
     * {@code prepare} runs before each call, outside the timed region.
     */
    static Timing[] time(int warmup, int iters, Runnable prepare, Runnable call) {
        double[] wall = new double[iters];
        double[] cpu = new double[iters];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < warmup + iters; i++) {
            prepare.run();
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            call.run();
            long t1 = System.nanoTime();
            long c1 = mx.getCurrentThreadCpuTime();
            if (i >= warmup) {
                wall[i - warmup] = (t1 - t0) / 1e6;
                cpu[i - warmup] = (c1 - c0) / 1e6;
            }
        }
        return new Timing[]{Timing.of(wall), Timing.of(cpu)};
    }

    /** Batch-1 inference of an obs -> hidden x2 -> 2*act ReLU policy network through {@link FastMlp}, in µs. */
    public static Timing inference(int obsDim, int actDim, int hidden, int warmup, int iters, long seed) {
        Mlp mlp = Mlp.build(MlpSpec.relu(obsDim, new int[]{hidden, hidden}, actDim), DataType.FLOAT, new Rng(seed));
        FastMlp fast = mlp.toFast();
        Rng rng = new Rng(seed + 1);
        float[] x = new float[obsDim];
        float[] y = new float[actDim];
        double[] t = new double[iters];
        for (int i = 0; i < warmup + iters; i++) {
            for (int j = 0; j < obsDim; j++) {
                x[j] = (float) rng.nextGaussian();
            }
            long t0 = System.nanoTime();
            fast.forward(x, y);
            long t1 = System.nanoTime();
            if (i >= warmup) {
                t[i - warmup] = (t1 - t0) / 1e3;
            }
        }
        return Timing.of(t);
    }
}
