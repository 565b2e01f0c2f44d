package org.armature.envs.tasks.manipulation;

import java.util.List;
import java.util.SplittableRandom;

import org.armature.envs.Env;
import org.armature.envs.Envs;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.envs.experts.Expert;
import org.armature.envs.experts.Experts;

/**
 * Prints single-thread env throughput (random actions) and expert success rates for the manipulation tasks.
 * Not a unit test: run it by hand, see BENCHMARKS.md ("Manipulation tasks") for the command.
 *
 * <p>Arguments: {@code [episodes=100] [noise=-1 (default demo noise) | value] [ids...]}
 */
public final class ManipulationBenchmark {

    public static void main(String[] args) {
        int episodes = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        double noise = args.length > 1 ? Double.parseDouble(args[1]) : 0.0;
        List<String> ids = args.length > 2 ? List.of(args).subList(2, args.length)
                : List.of("Reach-v1", "PushT-v1", "PegInsert-v1");
        for (String id : ids) {
            if (episodes == 0) {
                throughput(id);
            } else {
                success(id, episodes, noise);
            }
        }
    }

    static void throughput(String id) {
        try (Env env = Envs.make(id)) {
            SplittableRandom rng = new SplittableRandom(1);
            float[] a = new float[env.spec().actionDim()];
            env.reset(0);
            int warm = 2000;
            int n = 20000;
            long t0 = 0;
            long c0 = 0;
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int i = 0; i < warm + n; i++) {
                if (i == warm) {
                    t0 = System.nanoTime();
                    c0 = mx.getCurrentThreadCpuTime();
                }
                for (int k = 0; k < a.length; k++) {
                    a[k] = (float) rng.nextDouble(env.spec().actionSpace().low(k), env.spec().actionSpace().high(k));
                }
                Step s = env.step(a);
                if (s.done()) {
                    env.reset(i);
                }
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            System.out.printf("%-20s %8.0f env steps/s wall, %8.0f env steps per CPU-second (random actions, %d steps,"
                    + " 1 thread)%n", id, n / sec, n / cpu, n);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    static void success(String id, int episodes, double noise) {
        double noiseStd = noise < 0 ? Experts.defaultNoiseStd(id) : noise;
        Expert expert = Experts.make(id, noiseStd, 0);
        int ok = 0;
        long steps = 0;
        long t0 = System.nanoTime();
        try (Env env = Envs.make(id)) {
            for (int ep = 0; ep < episodes; ep++) {
                expert.reset(1000 + ep);
                Reset r = env.reset(ep);
                float[] o = r.observation();
                boolean success = false;
                double maxCov = 0;
                int t = 0;
                int firstHigh = -1;
                while (true) {
                    Step s = env.step(expert.act(o));
                    steps++;
                    t++;
                    success |= s.success();
                    if (s.info().get("coverage") instanceof Double c) {
                        maxCov = Math.max(maxCov, c);
                        if (c > 0.85 && firstHigh < 0) {
                            firstHigh = t;
                        }
                    }
                    o = s.observation();
                    if (s.done()) {
                        break;
                    }
                }
                if (success) {
                    ok++;
                } else if (System.getenv("SHOW_FAILURES") != null) {
                    System.out.println("  failed: episode seed " + ep + " max coverage " + maxCov
                            + " first >0.85 at step " + firstHigh);
                }
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-20s expert noise %.3f: success %d/%d (%.0f%%), %d steps, %.1f s%n", id, noiseStd, ok,
                episodes, 100.0 * ok / episodes, steps, sec);
    }
}
