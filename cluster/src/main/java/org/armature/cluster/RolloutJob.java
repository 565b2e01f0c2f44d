package org.armature.cluster;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.armature.train.Configs;
import org.armature.train.RolloutBatch;
import org.armature.train.RolloutWorker;
import org.armature.train.TrainConfig;

/**
 * One batch of a remote rollout worker ({@code train --rollout-workers}). On the member it runs on, worker
 * {@code worker} of run {@code runKey} is created at its first batch and kept between batches, on a thread of its own
 * (a JBullet world wants one thread). Each batch starts by taking the newest policy weights from the replicated cache
 * when the learner has published newer ones than the worker's, then steps the env {@code steps} times. The job returns the batch the worker
 * stepped ahead and asks it to step the next one at once, so the worker steps while batches travel and the job holds
 * one of the member's job threads only briefly.
 */
public final class RolloutJob implements IgniteCallable<RolloutBatch> {
    private static final long serialVersionUID = 1L;

    /** Replicated cache of the published policy weights: run key → 8-byte version, then the weights. */
    static final String WEIGHTS = "armature-rollout-weights";

    private final String runKey;
    private final int worker;
    private final String configJson;
    private final long fromStep;
    private final int steps;
    private final boolean warmup;
    private final long publishedVersion;

    @IgniteInstanceResource
    private transient Ignite ignite;

    RolloutJob(String runKey, int worker, String configJson, long fromStep, int steps, boolean warmup,
               long publishedVersion) {
        this.runKey = runKey;
        this.worker = worker;
        this.configJson = configJson;
        this.fromStep = fromStep;
        this.steps = steps;
        this.warmup = warmup;
        this.publishedVersion = publishedVersion;
    }

    static IgniteCache<String, byte[]> weightsCache(Ignite ignite) {
        return ignite.getOrCreateCache(new CacheConfiguration<String, byte[]>(WEIGHTS)
                .setCacheMode(CacheMode.REPLICATED).setAtomicityMode(CacheAtomicityMode.ATOMIC));
    }

    static byte[] versioned(long version, byte[] weights) {
        return ByteBuffer.allocate(8 + weights.length).putLong(version).put(weights).array();
    }

    @Override
    public RolloutBatch call() throws Exception {
        expireIdle(System.nanoTime());
        Host host = HOSTS.computeIfAbsent(key(runKey, worker), k -> new Host(k));
        host.lastUsedNanos = System.nanoTime();
        Future<RolloutBatch> ready;
        synchronized (host) {
            ready = host.next != null ? host.next : host.thread.submit(() -> step(host));
            host.next = host.thread.submit(() -> step(host)); // stepped while this one travels
        }
        try {
            return ready.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    /**
     * One batch on the worker's own thread, with the newest published weights (read from the cache only when the
     * learner had published newer ones than the worker's when it sent this job).
     */
    private RolloutBatch step(Host host) throws Exception {
        if (host.worker == null) {
            TrainConfig cfg = Configs.JSON.readValue(configJson, TrainConfig.class);
            host.worker = new RolloutWorker(cfg, worker, fromStep);
            StatusJob.RUNNING.add(host.name);
        }
        if (publishedVersion <= host.worker.policyVersion()) {
            return host.worker.rollout(steps, warmup);
        }
        if (host.weights == null) {
            host.weights = weightsCache(ignite);
        }
        byte[] v = host.weights.get(runKey);
        if (v == null) {
            throw new IllegalStateException("no policy weights published for run " + runKey);
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        long version = b.getLong();
        if (version > host.worker.policyVersion()) {
            byte[] weights = new byte[v.length - 8];
            b.get(weights);
            host.worker.loadPolicy(weights, version);
        }
        return host.worker.rollout(steps, warmup);
    }

    static String key(String runKey, int worker) {
        return runKey + "/" + worker;
    }

    /** Ends the workers of run {@code runKey} on this member (their envs closed, their threads stopped). */
    static void stop(String runKey) {
        for (Map.Entry<String, Host> e : HOSTS.entrySet()) {
            if (e.getKey().startsWith(runKey + "/") && HOSTS.remove(e.getKey(), e.getValue())) {
                e.getValue().close();
            }
        }
    }

    /** A worker that received no batch for this long belongs to a learner that is gone (killed, or lost its link). */
    static final long IDLE_NANOS = 5L * 60 * 1_000_000_000L;

    private static void expireIdle(long now) {
        for (Map.Entry<String, Host> e : HOSTS.entrySet()) {
            if (now - e.getValue().lastUsedNanos > IDLE_NANOS && HOSTS.remove(e.getKey(), e.getValue())) {
                e.getValue().close();
            }
        }
    }

    /** Rollout workers on this member, by run key and worker index. */
    private static final Map<String, Host> HOSTS = new ConcurrentHashMap<>();

    /** One worker and the thread it runs on. */
    private static final class Host {
        final String name;
        final ExecutorService thread;
        RolloutWorker worker; // touched only on thread
        Future<RolloutBatch> next; // the batch stepped ahead of the next job
        IgniteCache<String, byte[]> weights; // the published weights (looked up once)
        volatile long lastUsedNanos = System.nanoTime();

        Host(String key) {
            this.name = "rollout worker " + key;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "armature-" + name.replace(' ', '-'));
                t.setDaemon(true);
                return t;
            });
        }

        void close() {
            thread.execute(() -> {
                if (worker != null) {
                    worker.close();
                    StatusJob.RUNNING.remove(name);
                }
            });
            thread.shutdown();
        }
    }

    /** Stops one run's rollout workers on the member it runs on ({@link RemoteRollouts#close}). */
    static final class Stop implements IgniteCallable<Integer> {
        private static final long serialVersionUID = 1L;
        private final String runKey;

        Stop(String runKey) {
            this.runKey = runKey;
        }

        @Override
        public Integer call() {
            stop(runKey);
            return 0;
        }
    }
}
