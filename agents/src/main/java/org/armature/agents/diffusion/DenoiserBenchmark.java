package org.armature.agents.diffusion;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

import org.armature.agents.Batch;
import org.armature.nn.Mat;
import org.armature.nn.ParamGroup;
import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Speed of diffusion-policy training and sampling for BENCHMARKS.md, at the sizes of
 * {@code ../shared/peers/torch_diffusion_update.py} (Push-T low-dim: observation 20 × history 2, action 2, horizon 16),
 * measuring the code that trains and deploys, not a copy of it:
 * <ul>
 *   <li>{@code train}: one {@link DiffusionBc#update} at batch 256 (draw t and the noise, noise the chunk, forward,
 *       MSE on the noise, backward, AdamW, EMA), the minibatch filled outside the timed step as in the peer;</li>
 *   <li>{@code infer}: one chunk from {@link DiffusionSampler} at batch 1 (DDIM with {@code ddimSteps} denoiser
 *       evaluations of the averaged weights, frozen as in a loaded policy), with the bytes allocated per chunk after
 *       warm-up.</li>
 * </ul>
 * Reports wall and thread-CPU medians (the CPU time is robust when other processes share the cores).
 */
public final class DenoiserBenchmark {

    /** What to time. {@code denoiser} unet ({@code downDims}) or mlp ({@code hidden} x {@code blocks}). */
    public record Settings(String mode, String denoiser, String downDims, int hidden, int blocks, int batch, int iters,
                           int warmup, int ddimSteps) {
        public static Settings defaults(String mode, String denoiser) {
            // inference warms up for 300 chunks (3,000 denoiser passes), as the bridge warms a policy before its
            // control loop: with 20, C2 was still compiling during the timed chunks (p99 3-4x the median)
            return new Settings(mode, denoiser, "64,128,256", 512, 3, 256, mode.equals("train") ? 30 : 200, mode.equals(
                    "train") ? 5 : 300, 10);
        }
    }

    static final int OBS = 20;
    static final int HISTORY = 2;
    static final int ACT = 2;
    static final int HORIZON = 16;

    private DenoiserBenchmark() {
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Runs one benchmark and returns its JSON line. */
    public static String run(Settings s) {
        if (!s.mode.equals("train") && !s.mode.equals("infer")) {
            throw new IllegalArgumentException("benchmark mode must be train or infer, got '" + s.mode + "'");
        }
        if (s.iters < 1 || s.warmup < 0 || s.batch < 1) {
            throw new IllegalArgumentException("--iters and --batch must be >= 1, --warmup >= 0");
        }
        DiffusionBc.Config cfg = new DiffusionBc.Config(s.denoiser, s.downDims, s.hidden, s.blocks, HISTORY, HORIZON, 8,
                100, "ddim", s.ddimSteps, "linspace", 1e-4, 0.95, 0.999, 1e-6, 0, 0.75, 0.9999, -1);
        DiffusionBc learner = new DiffusionBc(OBS, ACT, cfg, 1_000_000, 0);
        int params = new ParamGroup(learner.averagedDenoiser().params()).size();
        double[] wall = new double[s.iters];
        double[] cpu = new double[s.iters];
        long allocated = 0;
        Rng rng = new Rng(2);
        if (s.mode.equals("train")) {
            Batch b = new Batch(s.batch, HISTORY * OBS, HORIZON * ACT, DataType.FLOAT);
            for (int it = 0; it < s.warmup + s.iters; it++) {
                fill(b.observations, rng, false);
                fill(b.actions, rng, true);
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                learner.update(b);
                long t1 = System.nanoTime();
                long c1 = THREADS.getCurrentThreadCpuTime();
                if (it >= s.warmup) {
                    wall[it - s.warmup] = (t1 - t0) / 1e6;
                    cpu[it - s.warmup] = (c1 - c0) / 1e6;
                }
            }
        } else {
            learner.averagedDenoiser().freeze(cfg.trainSteps()); // as a policy loaded from a bundle
            DiffusionSampler sampler = learner.sampler(learner.averagedDenoiser());
            float[] cond = new float[HISTORY * OBS];
            float[] out = new float[HORIZON * ACT];
            long tid = Thread.currentThread().getId();
            for (int it = 0; it < s.warmup + s.iters; it++) {
                for (int i = 0; i < cond.length; i++) {
                    cond[i] = (float) rng.nextGaussian();
                }
                long a0 = THREADS.getThreadAllocatedBytes(tid);
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                sampler.sample(cond, null, rng, out);
                long t1 = System.nanoTime();
                long c1 = THREADS.getCurrentThreadCpuTime();
                long a1 = THREADS.getThreadAllocatedBytes(tid);
                if (it >= s.warmup) {
                    wall[it - s.warmup] = (t1 - t0) / 1e6;
                    cpu[it - s.warmup] = (c1 - c0) / 1e6;
                    allocated += a1 - a0;
                }
            }
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return String.format(Locale.ROOT, "{\"mode\": \"%s\", \"net\": \"%s\", \"params\": %d, \"batch\": %d, %s, "
                        + "\"median_ms\": %.4f, \"p10_ms\": %.4f, \"p90_ms\": %.4f, \"p99_ms\": %.4f, "
                        + "\"cpu_median_ms\": %.4f, \"cpu_p99_ms\": %.4f, \"iters\": %d%s, \"OMP_NUM_THREADS\": \"%s\", "
                        + "\"OPENBLAS_CORETYPE\": \"%s\"}",
                s.mode, s.denoiser, params, s.mode.equals("train") ? s.batch : 1,
                s.denoiser.equals(DenoiserSpec.UNET) ? "\"down_dims\": \"" + s.downDims + "\""
                        : "\"hidden\": " + s.hidden + ", \"blocks\": " + s.blocks,
                q(wall, 0.5), q(wall, 0.1), q(wall, 0.9), q(wall, 0.99), q(cpu, 0.5), q(cpu, 0.99), s.iters,
                s.mode.equals("infer") ? ", \"ddim_steps\": " + s.ddimSteps + ", \"bytes_allocated_per_chunk\": "
                        + allocated / s.iters : "",
                System.getenv("OMP_NUM_THREADS"), System.getenv("OPENBLAS_CORETYPE"));
    }

    private static void fill(Mat m, Rng rng, boolean clip) {
        m.toHost();
        for (int i = 0; i < m.length(); i++) {
            double v = rng.nextGaussian();
            m.set(i, clip ? Math.max(-1, Math.min(1, v)) : v);
        }
        m.hostWritten();
    }

    private static double q(double[] s, double p) {
        return s[Math.min(s.length - 1, (int) Math.floor(p * (s.length - 1) + 0.5))];
    }
}
