package org.armature.agents.diffusion;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

import org.armature.nn.Adam;
import org.armature.nn.Mat;
import org.armature.nn.ParamGroup;
import org.armature.nn.Rng;
import org.armature.nn.Targets;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Micro-benchmark of the U-Net denoiser for BENCHMARKS.md, mirroring {@code ../shared/peers/torch_diffusion_update.py}
 * at the same sizes (Push-T low-dim: observation 20 × history 2, action 2, horizon 16):
 *
 * <ul>
 *   <li>{@code train}: one training step at batch 256 = draw t and the noise, noise the clean chunk with the
 *       squared-cosine schedule (100 steps), forward, MSE on the noise, backward, AdamW (lr 1e-4, betas 0.95/0.999,
 *       weight decay 1e-6; the step also clears the gradients) and the EMA update of a second copy of the weights
 *       (decay {@code min(0.9999, 1 − (1 + step)^−0.75)}), as the peer's {@code bench-update};</li>
 *   <li>{@code infer}: one action chunk at batch 1 = deterministic DDIM with 10 denoiser evaluations, as the
 *       peer's {@code bench-infer}; also reports the bytes the thread allocated per chunk after warm-up.</li>
 * </ul>
 *
 * <p>{@code java -cp ... org.armature.agents.diffusion.DenoiserBenchmark train|infer [--down-dims 64,128,256]
 * [--batch 256] [--iters 30] [--warmup 5] [--ddim-steps 10] [--profile]}. Run with {@code OMP_NUM_THREADS=1} and,
 * on AMD Zen 4, {@code OPENBLAS_CORETYPE=SKYLAKEX} (as {@code ./armature} sets it). Prints one JSON line.
 */
public final class DenoiserBenchmark {

    private static final int TRAIN_STEPS = 100;

    private DenoiserBenchmark() {
    }

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "train";
        int[] dims = {64, 128, 256};
        int batch = 256;
        int iters = 30;
        int warmup = 5;
        int ddimSteps = 10;
        int obs = 20;
        int history = 2;
        int act = 2;
        int horizon = 16;
        boolean profile = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--down-dims" -> dims = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--iters" -> iters = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--ddim-steps" -> ddimSteps = Integer.parseInt(args[++i]);
                case "--horizon" -> horizon = Integer.parseInt(args[++i]);
                case "--profile" -> profile = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        DenoiserSpec spec = DenoiserSpec.unet(act, horizon, obs * history, dims);
        UnetDenoiser net = new UnetDenoiser(spec, DataType.FLOAT, new Rng(0));
        int params = new ParamGroup(net.params()).size();
        double[] ms = mode.equals("train") ? train(net, spec, batch, warmup, iters, profile)
                : infer(net, spec, ddimSteps, warmup, iters);
        double[] s = ms.clone();
        Arrays.sort(s);
        System.out.println(String.format(Locale.ROOT, "{\"mode\": \"%s\", \"net\": \"unet\", \"params\": %d, "
                        + "\"batch\": %d, \"down_dims\": \"%s\", \"median_ms\": %.4f, \"p10_ms\": %.4f, \"p90_ms\": %.4f, "
                        + "\"p99_ms\": %.4f, \"cpu_median_ms\": %.4f, \"cpu_p99_ms\": %.4f, \"iters\": %d%s, \"OMP_NUM_THREADS\": \"%s\", \"OPENBLAS_CORETYPE\": \"%s\"}",
                mode, params, mode.equals("train") ? batch : 1, Arrays.toString(dims).replaceAll("[\\[\\] ]", ""),
                q(s, 0.5), q(s, 0.1), q(s, 0.9), q(s, 0.99), q(sortedCpu(), 0.5), q(sortedCpu(), 0.99), s.length, extra, System.getenv("OMP_NUM_THREADS"),
                System.getenv("OPENBLAS_CORETYPE")));
    }

    private static String extra = "";

    /** Thread CPU time per iteration of the last run (robust when other processes share the cores). */
    private static double[] cpuMs = new double[0];

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static double[] sortedCpu() {
        double[] c = cpuMs.clone();
        Arrays.sort(c);
        return c;
    }

    private static double q(double[] s, double p) {
        return s[Math.min(s.length - 1, (int) Math.floor(p * (s.length - 1) + 0.5))];
    }

    /** ᾱ_t of the squared-cosine schedule (Nichol &amp; Dhariwal 2021), betas clipped at 0.999. */
    static double[] cosineAlphaBars(int n) {
        double[] abar = new double[n];
        double prod = 1;
        for (int i = 0; i < n; i++) {
            double beta = Math.min(1 - f(i + 1, n) / f(i, n), 0.999);
            prod *= 1 - beta;
            abar[i] = prod;
        }
        return abar;
    }

    private static double f(int i, int n) {
        double c = Math.cos(((double) i / n + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    private static double[] train(UnetDenoiser net, DenoiserSpec spec, int batch, int warmup, int iters,
                                  boolean profile) {
        int width = spec.horizon() * spec.actionDim();
        UnetDenoiser ema = new UnetDenoiser(spec, DataType.FLOAT, new Rng(1));
        ParamGroup group = new ParamGroup(net.params());
        ParamGroup emaGroup = new ParamGroup(ema.params());
        emaGroup.copyFrom(group);
        Adam opt = new Adam(group, 1e-4, 0.95, 0.999, 1e-8, 1e-6, Double.POSITIVE_INFINITY);
        double[] abar = cosineAlphaBars(TRAIN_STEPS);
        Rng rng = new Rng(2);
        int pool = 4096;
        float[] actions = new float[pool * width];
        float[] conds = new float[pool * spec.conditionDim()];
        for (int i = 0; i < actions.length; i++) {
            actions[i] = (float) Math.max(-1, Math.min(1, rng.nextGaussian()));
        }
        for (int i = 0; i < conds.length; i++) {
            conds[i] = (float) rng.nextGaussian();
        }
        Mat x0 = Mat.zeros(DataType.FLOAT, batch, width);
        Mat xt = Mat.zeros(DataType.FLOAT, batch, width);
        Mat eps = Mat.zeros(DataType.FLOAT, batch, width);
        Mat cond = Mat.zeros(DataType.FLOAT, batch, spec.conditionDim());
        Mat dOut = Mat.zeros(DataType.FLOAT, batch, width);
        int[] t = new int[batch];
        double[] ms = new double[iters];
        double[] phase = new double[4];
        cpuMs = new double[iters];
        for (int it = 0; it < warmup + iters; it++) {
            for (int b = 0; b < batch; b++) { // the minibatch draw (outside the timed step, as in the peer)
                int k = rng.nextInt(pool);
                x0.put(b * width, actions, k * width, width);
                cond.put(b * spec.conditionDim(), conds, k * spec.conditionDim(), spec.conditionDim());
            }
            x0.hostWritten();
            cond.hostWritten();
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int b = 0; b < batch; b++) {
                t[b] = rng.nextInt(TRAIN_STEPS);
                double a = abar[t[b]];
                double sa = Math.sqrt(a);
                double sn = Math.sqrt(1 - a);
                for (int j = 0; j < width; j++) {
                    int i = b * width + j;
                    double e = rng.nextGaussian();
                    eps.set(i, e);
                    xt.set(i, sa * x0.get(i) + sn * e);
                }
            }
            eps.hostWritten();
            xt.hostWritten();
            long t1 = System.nanoTime();
            Mat out = net.forward(xt, t, cond, true);
            long t2 = System.nanoTime();
            double scale = 2.0 / ((double) batch * width); // d mean((out - eps)^2) / d out
            for (int i = 0; i < batch * width; i++) {
                dOut.set(i, scale * (out.get(i) - eps.get(i)));
            }
            dOut.hostWritten();
            net.backward(dOut);
            long t3 = System.nanoTime();
            opt.step();
            double decay = Math.min(0.9999, 1 - Math.pow(1 + opt.stepCount(), -0.75));
            Targets.soft(emaGroup, group, 1 - decay);
            long t4 = System.nanoTime();
            long c1 = THREADS.getCurrentThreadCpuTime();
            if (it >= warmup) {
                ms[it - warmup] = (t4 - t0) / 1e6;
                cpuMs[it - warmup] = (c1 - c0) / 1e6;
                phase[0] += (t1 - t0) / 1e6;
                phase[1] += (t2 - t1) / 1e6;
                phase[2] += (t3 - t2) / 1e6;
                phase[3] += (t4 - t3) / 1e6;
            }
        }
        if (profile) {
            extra = String.format(Locale.ROOT, ", \"mean_ms\": {\"noise\": %.2f, \"forward\": %.2f, \"backward\": %.2f,"
                    + " \"adamw_ema\": %.2f}", phase[0] / iters, phase[1] / iters, phase[2] / iters, phase[3] / iters);
        }
        return ms;
    }

    private static double[] infer(UnetDenoiser net, DenoiserSpec spec, int ddimSteps, int warmup, int iters) {
        int width = spec.horizon() * spec.actionDim();
        double[] abar = cosineAlphaBars(TRAIN_STEPS);
        int[] ts = new int[ddimSteps];
        for (int k = 0; k < ddimSteps; k++) { // linspace(T - 1, 0, n).round()
            ts[k] = (int) Math.round((TRAIN_STEPS - 1) * (1 - (double) k / Math.max(1, ddimSteps - 1)));
        }
        Rng rng = new Rng(3);
        Mat cond = Mat.zeros(DataType.FLOAT, 1, spec.conditionDim());
        for (int i = 0; i < cond.length(); i++) {
            cond.set(i, rng.nextGaussian());
        }
        cond.hostWritten();
        Mat x = Mat.zeros(DataType.FLOAT, 1, width);
        int[] step = new int[1];
        double[] ms = new double[iters];
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long allocated = 0;
        cpuMs = new double[iters];
        for (int it = 0; it < warmup + iters; it++) {
            long bytes0 = mx.getThreadAllocatedBytes(tid);
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < width; i++) {
                x.set(i, rng.nextGaussian());
            }
            x.hostWritten();
            for (int k = 0; k < ddimSteps; k++) {
                step[0] = ts[k];
                Mat e = net.forward(x, step, cond, false);
                double a = abar[ts[k]];
                double aPrev = k + 1 < ddimSteps ? abar[ts[k + 1]] : 1.0;
                for (int i = 0; i < width; i++) { // deterministic DDIM (Song et al. 2021, Eq. 12 with σ = 0)
                    double ei = e.get(i);
                    double pred = Math.max(-1, Math.min(1, (x.get(i) - Math.sqrt(1 - a) * ei) / Math.sqrt(a)));
                    x.set(i, Math.sqrt(aPrev) * pred + Math.sqrt(1 - aPrev) * ei);
                }
                x.hostWritten();
            }
            long t1 = System.nanoTime();
            long c1 = THREADS.getCurrentThreadCpuTime();
            long bytes1 = mx.getThreadAllocatedBytes(tid);
            if (it >= warmup) {
                ms[it - warmup] = (t1 - t0) / 1e6;
                cpuMs[it - warmup] = (c1 - c0) / 1e6;
                allocated += bytes1 - bytes0;
            }
        }
        extra = String.format(Locale.ROOT, ", \"ddim_steps\": %d, \"allocated_bytes_per_chunk\": %.1f", ddimSteps,
                (double) allocated / iters);
        return ms;
    }
}
