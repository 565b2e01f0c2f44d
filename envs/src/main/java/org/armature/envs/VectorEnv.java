package org.armature.envs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * N copies of an env stepped in parallel on worker threads, with same-step auto-reset.
 *
 * <ul>
 *   <li>Envs are split into contiguous slices, one per thread. The calling thread owns slice 0 (built in the
 *       constructor, stepped inside {@link #step}); worker threads own the others. Each env is built, reset and
 *       stepped only on its thread (JBullet worlds must stay on one thread), so a VectorEnv must be used from the
 *       thread that built it. With one slice per core no thread waits idle while holding a core.</li>
 *   <li>{@link #reset()} seeds env i with {@code seed + i}; later auto-resets continue each env's own random
 *       stream, so results are identical to stepping the same envs one by one.</li>
 *   <li>Workers spin briefly, then park, between steps, so small envs do not pay a full thread wake-up per step.</li>
 * </ul>
 */
public final class VectorEnv implements AutoCloseable {

    private final int numEnvs;
    private final long seed;
    private final EnvSpec spec;
    private final Worker[] workers;
    private final Env[] envs;

    private final float[][] actions;
    private final float[][] observations;
    private final double[] rewards;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private final float[][] finalObservations;
    private final Object[] infos;
    private final RuntimeException[] errors;

    private volatile int command; // 1 = reset, 2 = step, 3 = close
    private volatile long generation;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Thread caller;
    private boolean closed;
    private final Thread owner;
    private final int ownTo;

    public VectorEnv(String envId, int numEnvs, long seed) {
        this(() -> Envs.make(envId), numEnvs, seed, Math.min(numEnvs, Runtime.getRuntime().availableProcessors()));
    }

    public VectorEnv(Supplier<Env> factory, int numEnvs, long seed) {
        this(factory, numEnvs, seed, Math.min(numEnvs, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * @param factory    builds one env (called on the worker thread that will own it)
     * @param numEnvs    number of env copies
     * @param seed       env i is seeded with {@code seed + i}
     * @param numThreads worker threads (envs are split evenly among them)
     */
    public VectorEnv(Supplier<Env> factory, int numEnvs, long seed, int numThreads) {
        if (numEnvs < 1) {
            throw new IllegalArgumentException("VectorEnv: numEnvs must be >= 1, got " + numEnvs);
        }
        if (numThreads < 1 || numThreads > numEnvs) {
            throw new IllegalArgumentException("VectorEnv: numThreads must be in [1, " + numEnvs + "], got " + numThreads);
        }
        this.numEnvs = numEnvs;
        this.seed = seed;
        this.envs = new Env[numEnvs];
        this.actions = new float[numEnvs][];
        this.observations = new float[numEnvs][];
        this.rewards = new double[numEnvs];
        this.terminated = new boolean[numEnvs];
        this.truncated = new boolean[numEnvs];
        this.finalObservations = new float[numEnvs][];
        this.infos = new Object[numEnvs];
        this.errors = new RuntimeException[numThreads];
        this.owner = Thread.currentThread();
        this.ownTo = numEnvs / numThreads;
        this.workers = new Worker[numThreads - 1];
        CountDownLatch built = new CountDownLatch(numThreads - 1);
        for (int w = 1; w < numThreads; w++) {
            int from = w * numEnvs / numThreads;
            int to = (w + 1) * numEnvs / numThreads;
            workers[w - 1] = new Worker(w, from, to, factory, built);
            workers[w - 1].start();
        }
        try {
            for (int i = 0; i < ownTo; i++) {
                envs[i] = factory.get();
            }
        } catch (RuntimeException e) {
            errors[0] = e;
        }
        try {
            built.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building envs", e);
        }
        for (RuntimeException e : errors) {
            if (e != null) {
                close();
                throw e;
            }
        }
        this.spec = envs[0].spec();
    }

    public int numEnvs() {
        return numEnvs;
    }

    public EnvSpec spec() {
        return spec;
    }

    /** Resets every env (env i with seed + i) and returns the first observations. */
    public float[][] reset() {
        run(1);
        float[][] out = new float[numEnvs][];
        for (int i = 0; i < numEnvs; i++) {
            out[i] = observations[i];
        }
        return out;
    }

    /** Steps every env with its action; envs whose episode ends are reset in the same call. */
    public VectorStep step(float[][] actionBatch) {
        if (actionBatch.length != numEnvs) {
            throw new IllegalArgumentException(spec.id() + ": VectorEnv expects " + numEnvs + " actions, got "
                    + actionBatch.length);
        }
        for (int i = 0; i < numEnvs; i++) {
            try {
                AbstractEnv.checkAction(spec, actionBatch[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("env " + i + ": " + e.getMessage());
            }
            actions[i] = actionBatch[i];
        }
        run(2);
        List<Map<String, Object>> infoList = new ArrayList<>(numEnvs);
        float[][] finals = new float[numEnvs][];
        for (int i = 0; i < numEnvs; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> info = (Map<String, Object>) infos[i];
            infoList.add(info);
            finals[i] = finalObservations[i];
        }
        return new VectorStep(observations.clone(), rewards.clone(), terminated.clone(), truncated.clone(), finals,
                infoList);
    }

    private void run(int cmd) {
        if (closed) {
            throw new IllegalStateException("VectorEnv is closed");
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("VectorEnv used from thread '" + Thread.currentThread().getName()
                    + "' but it was built on '" + owner.getName() + "': use it from the thread that built it");
        }
        caller = Thread.currentThread();
        pending.set(workers.length);
        command = cmd;
        generation++;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
        process(0, 0, ownTo, cmd);
        long spinUntil = System.nanoTime() + 50_000;
        while (pending.get() > 0) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, 50_000);
            }
        }
        for (int w = 0; w < errors.length; w++) {
            RuntimeException e = errors[w];
            if (e != null) {
                errors[w] = null;
                throw e;
            }
        }
    }

    /** Resets (cmd 1) or steps (cmd 2) envs [from, to); errors are recorded for slice {@code index}. */
    private void process(int index, int from, int to, int cmd) {
        try {
            for (int i = from; i < to; i++) {
                if (cmd == 1) {
                    observations[i] = envs[i].reset(seed + i).observation();
                    finalObservations[i] = null;
                } else {
                    Step s = envs[i].step(actions[i]);
                    rewards[i] = s.reward();
                    terminated[i] = s.terminated();
                    truncated[i] = s.truncated();
                    infos[i] = s.info();
                    if (s.done()) {
                        finalObservations[i] = s.observation();
                        observations[i] = envs[i].reset().observation();
                    } else {
                        finalObservations[i] = null;
                        observations[i] = s.observation();
                    }
                }
            }
        } catch (RuntimeException e) {
            errors[index] = e;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < ownTo; i++) {
            if (envs[i] != null) {
                envs[i].close();
            }
        }
        command = 3;
        generation++;
        for (Worker w : workers) {
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
        for (Worker w : workers) {
            if (w != null) {
                try {
                    w.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private final class Worker extends Thread {
        private final int index;
        private final int from;
        private final int to;
        private final Supplier<Env> factory;
        private final CountDownLatch built;

        Worker(int index, int from, int to, Supplier<Env> factory, CountDownLatch built) {
            super("vector-env-" + index);
            setDaemon(true);
            this.index = index;
            this.from = from;
            this.to = to;
            this.factory = factory;
            this.built = built;
        }

        @Override
        public void run() {
            try {
                for (int i = from; i < to; i++) {
                    envs[i] = factory.get();
                }
            } catch (RuntimeException e) {
                errors[index] = e;
            } finally {
                built.countDown();
            }
            long seen = 0;
            while (true) {
                long spinUntil = System.nanoTime() + 50_000;
                while (generation == seen) {
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                seen = generation;
                int cmd = command;
                if (cmd == 3) {
                    for (int i = from; i < to; i++) {
                        if (envs[i] != null) {
                            envs[i].close();
                        }
                    }
                    return;
                }
                process(index, from, to, cmd);
                if (pending.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "VectorEnv(" + spec.id() + " x " + numEnvs + ", threads=" + workers.length + ", seed=" + seed + ")";
    }
}
