package org.armature.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCompute;
import org.apache.ignite.cluster.ClusterGroup;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;
import org.armature.train.Configs;
import org.armature.train.RolloutBatch;
import org.armature.train.RolloutWorker;
import org.armature.train.TrainConfig;

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
     * Env steps per second of {@code envId} under a SAC policy (the default {@code train} config: 2×256 actor,
     * exploration actions): {@code workers} {@link RolloutWorker}s on threads here, then the same number of remote
     * rollout workers on {@code remote} ({@link RemoteRollouts}, the path of {@code train --rollout-workers}) whose
     * batches of {@code batch} steps are received here, each for {@code seconds} after as long a warm-up (a fifth of
     * it, at least a second).
     *
     * @return {local steps/s, remote steps/s delivered here, the share of the time the remote workers spent stepping}
     */
    public static double[] rollouts(Ignite ignite, ClusterGroup remote, String envId, int workers, int batch,
                                    double seconds) throws Exception {
        TrainConfig cfg = Configs.resolve(TrainConfig.defaults("sac", envId, 1_000_000, 1), null, List.of(
                "rollouts.workers=" + workers, "rollouts.batch_steps=" + batch));
        byte[] weights;
        try (RolloutWorker learnerCopy = new RolloutWorker(cfg, workers, 0)) {
            weights = learnerCopy.policyWeights();
        }
        long nanos = (long) (seconds * 1e9);
        long warmNanos = Math.max(1_000_000_000L, nanos / 5); // each side warms up as long before it is timed
        AtomicLong localSteps = new AtomicLong();
        AtomicLong deadline = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch warm = new CountDownLatch(workers);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int index = w;
            Thread t = new Thread(() -> {
                try (RolloutWorker worker = new RolloutWorker(cfg, index, 0)) {
                    worker.loadPolicy(weights, 0);
                    long warmUntil = System.nanoTime() + warmNanos;
                    while (System.nanoTime() < warmUntil) { // env built, code compiled
                        worker.rollout(batch, false);
                    }
                    warm.countDown();
                    go.await();
                    while (System.nanoTime() < deadline.get()) {
                        localSteps.addAndGet(worker.rollout(batch, false).steps);
                    }
                } catch (Exception e) {
                    failure.set(e);
                    warm.countDown();
                }
            }, "rollout-bench-" + w);
            threads.add(t);
            t.start();
        }
        warm.await();
        long t0 = System.nanoTime();
        deadline.set(t0 + nanos);
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        double local = localSteps.get() / ((System.nanoTime() - t0) / 1e9);

        try (RemoteRollouts source = new RemoteRollouts(ignite, remote, workers, line -> { })) {
            source.start(cfg, 0, weights, 0);
            long warmUntil = System.nanoTime() + warmNanos;
            while (System.nanoTime() < warmUntil) { // envs built, code compiled on the member
                source.next(false);
            }
            long t1 = System.nanoTime();
            long received = 0;
            double stepping = 0;
            while (System.nanoTime() - t1 < nanos) {
                RolloutBatch b = source.next(false);
                received += b.steps;
                stepping += b.stepSeconds;
            }
            double elapsed = (System.nanoTime() - t1) / 1e9;
            return new double[]{local, received / elapsed, stepping / (elapsed * workers)};
        }
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
