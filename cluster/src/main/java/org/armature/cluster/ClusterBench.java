package org.armature.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCompute;
import org.apache.ignite.cluster.ClusterGroup;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;
import org.armature.agents.Seeds;
import org.armature.envs.Env;
import org.armature.envs.Envs;
import org.armature.envs.Step;

/**
 * The cost of the cluster path ({@code armature bench cluster}): an empty task's round trip to another member, one
 * after the other and many in flight; transitions shipped back in batches (per transition and per second); and the
 * start of a run's child process, which every sweep run and collection shard pays once.
 */
public final class ClusterBench {

    /**
     * @param taskMillis            mean round trip of one empty task, sequential
     * @param batchedTaskMillis     wall time per empty task with {@code inFlight} tasks submitted at once
     * @param transitionMicros      wall time per transition shipped in batches of {@code batch}
     * @param transitionsPerSecond  transitions per second over the network path
     * @param megabytesPerSecond    payload throughput (MB = 10^6 bytes)
     * @param childStartSeconds     one child JVM ({@code armature --version}) start to exit
     */
    public record Result(int tasks, double taskMillis, int inFlight, double batchedTaskMillis, int batch,
                         int bytesPerTransition, double transitionMicros, double transitionsPerSecond,
                         double megabytesPerSecond, double childStartSeconds) {
    }

    /** An empty task. */
    static final class EmptyTask implements IgniteCallable<Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call() {
            return 1;
        }
    }

    /** A batch of {@code count} transitions of {@code floats} floats each, as a rollout worker would send them. */
    static final class TransitionBatch implements IgniteCallable<float[]> {
        private static final long serialVersionUID = 1L;
        private final int count;
        private final int floats;

        TransitionBatch(int count, int floats) {
            this.count = count;
            this.floats = floats;
        }

        @Override
        public float[] call() {
            float[] out = new float[count * floats];
            for (int i = 0; i < out.length; i++) {
                out[i] = i * 1e-3f;
            }
            return out;
        }
    }

    /**
     * A batch of {@code steps} env steps of uniform random actions, as transitions: what a rollout worker would send
     * the learner. Each worker thread keeps its env (built on that thread, as JBullet wants) and its episode between
     * batches.
     */
    static final class RolloutBatch implements IgniteCallable<float[]> {
        private static final long serialVersionUID = 1L;
        private final String envId;
        private final int steps;

        RolloutBatch(String envId, int steps) {
            this.envId = envId;
            this.steps = steps;
        }

        @Override
        public float[] call() {
            return WORKER.get().rollout(envId, steps);
        }
    }

    /** One worker thread's env and episode. */
    private static final class Worker {
        private static final java.util.concurrent.atomic.AtomicLong SEEDS = new java.util.concurrent.atomic.AtomicLong();
        private Env env;
        private float[] observation;
        private final java.util.SplittableRandom rng = new java.util.SplittableRandom(
                Seeds.of(SEEDS.incrementAndGet(), "rollout-bench"));

        float[] rollout(String envId, int steps) {
            if (env == null) {
                env = Envs.make(envId);
                observation = env.reset(rng.nextLong()).observation();
            }
            int od = env.spec().observationDim();
            int ad = env.spec().actionDim();
            int per = 2 * od + ad + 3;
            float[] out = new float[steps * per];
            for (int i = 0, k = 0; i < steps; i++) {
                float[] a = env.spec().actionSpace().sample(rng);
                Step s = env.step(a);
                System.arraycopy(observation, 0, out, k, od);
                System.arraycopy(a, 0, out, k + od, ad);
                k += od + ad;
                out[k++] = (float) s.reward();
                out[k++] = s.terminated() ? 1 : 0;
                out[k++] = s.truncated() ? 1 : 0;
                System.arraycopy(s.observation(), 0, out, k, od);
                k += od;
                observation = s.terminated() || s.truncated() ? env.reset(rng.nextLong()).observation()
                        : s.observation();
            }
            return out;
        }
    }

    private static final ThreadLocal<Worker> WORKER = ThreadLocal.withInitial(Worker::new);

    /**
     * Env steps per second of {@code envId} with random actions: {@code workers} threads here, then the same number of
     * worker threads on {@code remote} streaming batches of {@code batch} transitions back (two batches in flight per
     * worker), each for {@code seconds}.
     *
     * @return {local steps/s, remote steps/s delivered here}
     */
    public static double[] rollouts(Ignite ignite, ClusterGroup remote, String envId, int workers, int batch,
                                    double seconds) throws Exception {
        long nanos = (long) (seconds * 1e9);
        java.util.concurrent.atomic.AtomicLong localSteps = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            Thread t = new Thread(() -> {
                RolloutBatch job = new RolloutBatch(envId, batch);
                while (System.nanoTime() - t0 < nanos) {
                    job.call();
                    localSteps.addAndGet(batch);
                }
            }, "rollout-bench-" + w);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double local = localSteps.get() / ((System.nanoTime() - t0) / 1e9);

        IgniteCompute compute = ignite.compute(remote);
        List<IgniteFuture<float[]>> warm = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            warm.add(compute.callAsync(new RolloutBatch(envId, batch)));
        }
        for (IgniteFuture<float[]> f : warm) {
            f.get();
        }
        java.util.ArrayDeque<IgniteFuture<float[]>> inFlight = new java.util.ArrayDeque<>();
        long t1 = System.nanoTime();
        long received = 0;
        while (System.nanoTime() - t1 < nanos) {
            while (inFlight.size() < 2 * workers) {
                inFlight.add(compute.callAsync(new RolloutBatch(envId, batch)));
            }
            received += inFlight.poll().get().length;
        }
        double elapsed = (System.nanoTime() - t1) / 1e9;
        for (IgniteFuture<float[]> f : inFlight) {
            f.get();
        }
        int per;
        try (Env e = Envs.make(envId)) {
            per = 2 * e.spec().observationDim() + e.spec().actionDim() + 3;
        }
        return new double[]{local, received / (double) per / elapsed};
    }

    private ClusterBench() {
    }

    /** Measures against {@code target} (another member). */
    public static Result run(Ignite ignite, ClusterGroup target, int tasks, int inFlight, int batch,
                             int floatsPerTransition, int batches) throws Exception {
        IgniteCompute compute = ignite.compute(target);
        for (int i = 0; i < Math.max(50, tasks / 5); i++) { // warm-up
            compute.call(new EmptyTask());
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < tasks; i++) {
            compute.call(new EmptyTask());
        }
        double taskMillis = (System.nanoTime() - t0) / 1e6 / tasks;
        t0 = System.nanoTime();
        for (int done = 0; done < tasks; done += inFlight) {
            List<IgniteFuture<Integer>> fs = new ArrayList<>();
            for (int k = 0; k < inFlight; k++) {
                fs.add(compute.callAsync(new EmptyTask()));
            }
            for (IgniteFuture<Integer> f : fs) {
                f.get();
            }
        }
        double batchedMillis = (System.nanoTime() - t0) / 1e6 / (Math.ceil((double) tasks / inFlight) * inFlight);
        for (int i = 0; i < 5; i++) {
            compute.call(new TransitionBatch(batch, floatsPerTransition));
        }
        t0 = System.nanoTime();
        long received = 0;
        List<IgniteFuture<float[]>> window = new ArrayList<>();
        for (int i = 0; i < batches; i++) { // two batches in flight, as a worker streaming while the learner reads
            window.add(compute.callAsync(new TransitionBatch(batch, floatsPerTransition)));
            if (window.size() == 2) {
                received += window.remove(0).get().length;
            }
        }
        for (IgniteFuture<float[]> f : window) {
            received += f.get().length;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long transitions = received / floatsPerTransition;
        return new Result(tasks, taskMillis, inFlight, batchedMillis, batch, floatsPerTransition * 4,
                seconds * 1e6 / transitions, transitions / seconds, received * 4 / seconds / 1e6, childStart());
    }

    /** Seconds for one child process of a run ({@code armature --version}), the best of three. */
    static double childStart() throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            List<String> cmd = new ArrayList<>(ChildProcess.command());
            cmd.add("--version");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ClusterException("a child process did not finish within 60 s");
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }
}
