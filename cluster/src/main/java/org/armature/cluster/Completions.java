package org.armature.cluster;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.apache.ignite.IgniteCompute;
import org.apache.ignite.lang.IgniteCallable;

/**
 * Jobs submitted at once and taken back as they finish, each under the index of the work item it belongs to (a
 * sweep's run, a collection's shard), with the attempts per item counted for the retry cap.
 */
final class Completions<T> {

    /** A finished job: its value, or the failure Ignite reported (the member died too often, the job threw). */
    record Done<T>(int index, T value, RuntimeException failure) {
    }

    private final IgniteCompute compute;
    private final int[] attempts;
    private final BlockingQueue<Done<T>> done = new LinkedBlockingQueue<>();

    Completions(IgniteCompute compute, int items) {
        this.compute = compute;
        this.attempts = new int[items];
    }

    /** Submits {@code job} for item {@code index} (again, for a retry). */
    void submit(int index, IgniteCallable<T> job) {
        attempts[index]++;
        compute.callAsync(job).listen(f -> {
            try {
                done.add(new Done<>(index, f.get(), null));
            } catch (RuntimeException e) {
                done.add(new Done<>(index, null, e));
            }
        });
    }

    /** How often item {@code index} was submitted. */
    int attempts(int index) {
        return attempts[index];
    }

    /** The next finished job, waiting for one. */
    Done<T> take() {
        try {
            return done.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while waiting for the cluster's jobs", e);
        }
    }
}
