package org.armature.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.armature.envs.Env;
import org.armature.envs.Envs;
import org.armature.envs.PhysicsEnv;
import org.armature.envs.Step;
import org.armature.envs.VectorEnv;
import org.armature.envs.Wrapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code armature bench sim}: environment steps per second for every task on one thread and with a
 * {@link VectorEnv} on all cores, and the physics steps per second of the same simulation measured inside
 * {@code PhysicsWorld.step} (actuators, JBullet, projections), from which the env overhead (reset, observation,
 * reward, wrappers) follows.
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Env steps/s per task (one thread and VectorEnv on all cores) and raw physics steps/s.")
public final class BenchSimCommand implements Callable<Integer> {

    @Option(names = "--env", description = "only these ids (repeatable); default: all registered")
    List<String> envIds;

    @Option(names = "--seconds", defaultValue = "3", description = "measured seconds per configuration (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup", defaultValue = "1", description = "warm-up seconds per configuration (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--num-envs", defaultValue = "8", description = "envs in the VectorEnv (default: ${DEFAULT-VALUE})")
    int numEnvs;

    @Option(names = "--threads", description = "VectorEnv worker threads (default: available processors)")
    Integer threads;

    @Option(names = "--vs-mujoco", paramLabel = "XML_DIR", description = "instead: one-thread env steps/s of the "
            + "locomotion tasks next to MuJoCo's (mujoco-testspeed on Gymnasium's v5 XML files in XML_DIR: "
            + "half_cheetah.xml, hopper.xml, walker2d_v5.xml or walker2d.xml, ant.xml)")
    java.nio.file.Path mujocoXmlDir;

    @Option(names = "--mujoco-testspeed", defaultValue = "mujoco-testspeed",
            description = "MuJoCo's testspeed program (Debian: libmujoco-samples; default: ${DEFAULT-VALUE} on PATH)")
    String mujocoTestspeed;

    @Option(names = "--mujoco-steps", defaultValue = "20000",
            description = "physics steps per mujoco-testspeed run (default: ${DEFAULT-VALUE})")
    int mujocoSteps;

    @Option(names = "--mujoco-ctrl-noise", defaultValue = "0.01",
            description = "mujoco-testspeed's control noise (default: ${DEFAULT-VALUE})")
    double mujocoCtrlNoise;

    /** One task's numbers. */
    record Result(String id, double envStepsPerSecond, double envStepsPerCpuSecond, double physicsStepsPerSecond,
                  double overheadPercent, double vectorStepsPerSecond, int threads) {
    }

    @Override
    public Integer call() {
        if (!(seconds > 0) || warmup < 0 || numEnvs < 1) {
            throw new Errors.UserException("--seconds must be positive, --warmup non-negative, --num-envs positive");
        }
        if (mujocoXmlDir != null) {
            List<String> ids = envIds == null ? MujocoComparison.DEFAULT_IDS : envIds;
            ids.forEach(Errors::requireEnv);
            return new MujocoComparison(mujocoXmlDir, mujocoTestspeed, mujocoSteps, mujocoCtrlNoise, seconds, warmup)
                    .run(ids, this::warmUp, this::measureOneThread);
        }
        List<String> ids = envIds == null ? Envs.ids() : envIds;
        ids.forEach(Errors::requireEnv);
        int nThreads = threads != null ? threads : Math.min(numEnvs, Runtime.getRuntime().availableProcessors());
        System.out.printf("# armature bench sim: %d cores, java %s, %.1f s per measurement (after %.1f s warm-up), "
                        + "random actions, auto-reset%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), seconds, warmup);
        System.out.printf("%-20s %14s %14s %16s %10s %18s %8s%n", "env", "env steps/s", "per CPU-s",
                "physics steps/s", "overhead", "VectorEnv steps/s", "speedup");
        List<Result> results = new ArrayList<>();
        for (String id : ids) {
            Result r = measure(id, nThreads);
            results.add(r);
            System.out.printf("%-20s %14.0f %14.0f %16s %10s %18.0f %7.2fx%n", r.id(), r.envStepsPerSecond(),
                    r.envStepsPerCpuSecond(),
                    Double.isNaN(r.physicsStepsPerSecond()) ? "-" : String.format("%.0f", r.physicsStepsPerSecond()),
                    Double.isNaN(r.overheadPercent()) ? "-" : String.format("%.1f%%", r.overheadPercent()),
                    r.vectorStepsPerSecond(), r.vectorStepsPerSecond() / r.envStepsPerSecond());
        }
        System.out.printf("(per CPU-s: env steps per second of the stepping thread's CPU time, robust on a shared "
                + "machine; overhead = time outside PhysicsWorld.step (reset, observation, reward, wrappers) / time inside it (actuators, JBullet, projections), while stepping the env; "
                + "VectorEnv: %d envs on %d threads, wall clock)%n", numEnvs, nThreads);
        return 0;
    }

    private Result measure(String id, int nThreads) {
        Result one = measureOneThread(id);
        // vector env
        double vecRate;
        try (VectorEnv vec = new VectorEnv(() -> Envs.make(id), numEnvs, 0, nThreads)) {
            float[][][] batches = new float[64][][];
            SplittableRandom rng = new SplittableRandom(0);
            for (int b = 0; b < batches.length; b++) {
                batches[b] = new float[numEnvs][];
                for (int i = 0; i < numEnvs; i++) {
                    batches[b][i] = vec.spec().actionSpace().sample(rng);
                }
            }
            vec.reset();
            runVec(vec, batches, warmup);
            long t0 = System.nanoTime();
            long steps = runVec(vec, batches, seconds);
            vecRate = steps / ((System.nanoTime() - t0) / 1e9);
        }
        return new Result(id, one.envStepsPerSecond(), one.envStepsPerCpuSecond(), one.physicsStepsPerSecond(),
                one.overheadPercent(), vecRate, nThreads);
    }

    /** Steps a task for the warm-up time only (lets the JIT compile the shared physics code before any row). */
    void warmUp(String id) {
        try (Env env = Envs.make(id)) {
            run(env, randomActions(env, 4096), warmup);
        }
    }

    /** One thread: env steps/s (wall and per CPU-second), physics steps/s inside PhysicsWorld.step, overhead. */
    Result measureOneThread(String id) {
        double envRate;
        double cpuRate;
        double physRate = Double.NaN;
        double overhead = Double.NaN;
        try (Env env = Envs.make(id)) {
            float[][] actions = randomActions(env, 4096);
            run(env, actions, warmup);
            PhysicsEnv physics = Wrapper.find(env, PhysicsEnv.class);
            long physNanos0 = physics == null ? 0 : physics.world().physicsNanos();
            long physSteps0 = physics == null ? 0 : physics.world().physicsStepsTaken();
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long steps = run(env, actions, seconds);
            long elapsed = System.nanoTime() - t0;
            cpuRate = steps / ((mx.getCurrentThreadCpuTime() - c0) / 1e9);
            envRate = steps / (elapsed / 1e9);
            if (physics != null) {
                long physNanos = physics.world().physicsNanos() - physNanos0;
                long physSteps = physics.world().physicsStepsTaken() - physSteps0;
                physRate = physSteps / (physNanos / 1e9);
                overhead = 100.0 * (elapsed - physNanos) / physNanos;
            }
        }
        return new Result(id, envRate, cpuRate, physRate, overhead, Double.NaN, 1);
    }

    private static float[][] randomActions(Env env, int n) {
        SplittableRandom rng = new SplittableRandom(0);
        float[][] a = new float[n][];
        for (int i = 0; i < n; i++) {
            a[i] = env.spec().actionSpace().sample(rng);
        }
        return a;
    }

    private static long run(Env env, float[][] actions, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long steps = 0;
        env.reset(0);
        while (System.nanoTime() < end) {
            for (int k = 0; k < 64; k++) {
                Step s = env.step(actions[(int) (steps % actions.length)]);
                steps++;
                if (s.done()) {
                    env.reset();
                }
            }
        }
        return steps;
    }

    private static long runVec(VectorEnv vec, float[][][] batches, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long steps = 0;
        long i = 0;
        while (System.nanoTime() < end) {
            vec.step(batches[(int) (i++ % batches.length)]);
            steps += vec.numEnvs();
        }
        return steps;
    }
}
