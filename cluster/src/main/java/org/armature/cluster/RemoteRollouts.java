package org.armature.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cluster.ClusterGroup;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.lang.IgniteFuture;
import org.armature.train.Configs;
import org.armature.train.RolloutBatch;
import org.armature.train.RolloutSource;
import org.armature.train.TrainConfig;

/**
 * Remote rollout workers on Ignite members ({@code armature train --rollout-workers N}): worker {@code w} runs on the
 * {@code w mod M}-th of the M members that run this build; each has {@code IN_FLIGHT} batch asked for and
 * steps the next batch while the last one travels. Published weights go to a replicated cache, from which each
 * worker takes the newest before each batch. A worker whose member leaves is placed on another
 * member, with a line on the log, and starts fresh episodes there; any other failure of a batch ends the run with
 * its message.
 */
public final class RemoteRollouts implements RolloutSource {

    /** Batches asked for per worker at any time (the worker steps one more ahead: {@link RolloutJob}). */
    static final int IN_FLIGHT = 1;

    private final Ignite ignite;
    private final ClusterGroup members;
    private final int workers;
    private final Consumer<String> log;
    private final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    private final List<ClusterNode> placement = new ArrayList<>();
    private final List<IgniteFuture<RolloutBatch>> inFlight = new ArrayList<>();
    private IgniteCache<String, byte[]> weights;
    private String runKey;
    private String configJson;
    private int batchSteps;
    private long[] fromStep;
    private long delivered;
    private volatile boolean warmup = true;
    private volatile long version = -1;
    private volatile boolean closed;

    private record Done(int worker, IgniteFuture<RolloutBatch> future) {
    }

    /** Workers on the members of {@code ignite}'s cluster that run this build; refused members are named on {@code log}. */
    public RemoteRollouts(Ignite ignite, int workers, Consumer<String> log) {
        this(ignite, null, workers, log);
    }

    /** Workers on those of {@code members} (null: every member) that run this build. */
    public RemoteRollouts(Ignite ignite, ClusterGroup members, int workers, Consumer<String> log) {
        if (workers < 1) {
            throw new IllegalArgumentException("rollout workers must be >= 1, got " + workers);
        }
        this.ignite = ignite;
        this.members = members;
        this.workers = workers;
        this.log = log;
    }

    @Override
    public int workers() {
        return workers;
    }

    @Override
    public void start(TrainConfig cfg, long firstStep, byte[] policy, long policyVersion) throws IOException {
        List<ClusterNode> nodes = eligible();
        this.runKey = UUID.randomUUID().toString();
        this.configJson = Configs.toJson(cfg);
        this.batchSteps = cfg.rollouts().batchSteps();
        this.fromStep = new long[workers];
        java.util.Arrays.fill(fromStep, firstStep);
        this.delivered = firstStep;
        this.weights = RolloutJob.weightsCache(ignite);
        publish(policy, policyVersion);
        for (int w = 0; w < workers; w++) {
            placement.add(nodes.get(w % nodes.size()));
        }
        for (int w = 0; w < workers; w++) {
            for (int k = 0; k < IN_FLIGHT; k++) {
                submit(w);
            }
        }
    }

    /** The members that run this build (and are among {@code members}), in a fixed order. */
    private List<ClusterNode> eligible() {
        List<ClusterNode> nodes = new ArrayList<>(Sweep.eligibleMembers(ignite, log).nodes());
        if (members != null) {
            nodes.retainAll(members.nodes());
        }
        if (nodes.isEmpty()) {
            throw new ClusterException("no member to run rollout workers on");
        }
        nodes.sort((a, b) -> a.id().compareTo(b.id()));
        return nodes;
    }

    @Override
    public void publish(byte[] policy, long policyVersion) {
        weights.put(runKey, RolloutJob.versioned(policyVersion, policy));
        version = policyVersion;
    }

    private void submit(int w) {
        RolloutJob job = new RolloutJob(runKey, w, configJson, fromStep[w], batchSteps, warmup, version);
        IgniteFuture<RolloutBatch> f = ignite.compute(ignite.cluster().forNode(placement.get(w))).callAsync(job);
        synchronized (inFlight) {
            inFlight.add(f);
        }
        f.listen(x -> done.add(new Done(w, x)));
    }

    @Override
    public RolloutBatch next(boolean warmupActions) throws IOException {
        this.warmup = warmupActions;
        while (true) {
            Done d;
            try {
                d = done.poll(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for a rollout batch");
            }
            if (d == null) {
                throw new IOException("no rollout batch arrived in 10 minutes from " + workers + " worker(s)");
            }
            synchronized (inFlight) {
                inFlight.remove(d.future());
            }
            try {
                RolloutBatch b = d.future().get();
                delivered += b.steps;
                submit(d.worker());
                return b;
            } catch (RuntimeException e) {
                if (ignite.cluster().node(placement.get(d.worker()).id()) == null || memberLeft(e)) {
                    replace(d.worker());
                    continue;
                }
                throw new IOException("rollout worker " + d.worker() + " on " + Members.describe(placement.get(
                        d.worker())) + " failed: " + Members.rootMessage(e));
            }
        }
    }

    private static boolean memberLeft(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof org.apache.ignite.cluster.ClusterTopologyException
                    || c instanceof org.apache.ignite.internal.cluster.ClusterTopologyCheckedException) {
                return true;
            }
        }
        return false;
    }

    /** Moves worker {@code w} off a member that left, to the next member that runs this build. */
    private void replace(int w) {
        ClusterNode gone = placement.get(w);
        List<ClusterNode> nodes = eligible();
        ClusterNode to = nodes.get(w % nodes.size());
        if (!to.equals(placement.get(w)) || !nodes.contains(gone)) {
            log.accept("rollout worker " + w + ": member " + Members.describe(gone) + " left; continuing on "
                    + Members.describe(to) + " with fresh episodes");
            placement.set(w, to);
            fromStep[w] = delivered;
        }
        submit(w);
    }

    @Override
    public void close() {
        if (closed || runKey == null) {
            return;
        }
        closed = true;
        List<IgniteFuture<RolloutBatch>> pending;
        synchronized (inFlight) {
            pending = new ArrayList<>(inFlight);
        }
        for (IgniteFuture<RolloutBatch> f : pending) {
            try {
                f.get(30, TimeUnit.SECONDS); // let the member finish the batch it is stepping before its worker ends
            } catch (RuntimeException ignored) {
                // a failed or lost batch: nothing to wait for
            }
        }
        for (ClusterNode n : new java.util.HashSet<>(placement)) {
            if (ignite.cluster().node(n.id()) != null) {
                try {
                    ignite.compute(ignite.cluster().forNode(n)).call(new RolloutJob.Stop(runKey));
                } catch (RuntimeException e) {
                    log.accept("could not stop the rollout workers on " + Members.describe(n) + ": "
                            + Members.rootMessage(e) + " (they end after 5 idle minutes)");
                }
            }
        }
        try {
            weights.remove(runKey);
        } catch (RuntimeException ignored) {
            // the cluster is going away
        }
    }
}
