package org.armature.bridge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps (robot state stamp, local wall-clock receive time) of the last {@code capacity} states a link received, so
 * that end-to-end latency can be measured against a peer on the same clock (the ROS links' benchmarks). Written by
 * the link's receiver thread only; read after the run.
 */
final class LatencyProbe {

    private final long[] stamps;
    private final long[] receiveWallNanos;
    private final AtomicLong count = new AtomicLong();

    LatencyProbe(int capacity) {
        this.stamps = new long[capacity];
        this.receiveWallNanos = new long[capacity];
    }

    void record(long stampNanos, long receiveWallNanos) {
        int i = (int) (count.getAndIncrement() % stamps.length);
        stamps[i] = stampNanos;
        this.receiveWallNanos[i] = receiveWallNanos;
    }

    /** The kept (stamp, receive wall time in ns) pairs, oldest first, as {@code [2][n]}. */
    long[][] pairs() {
        long c = count.get();
        int n = (int) Math.min(stamps.length, c);
        long[][] out = new long[2][n];
        for (int k = 0; k < n; k++) {
            int i = (int) ((c - n + k) % stamps.length);
            out[0][k] = stamps[i];
            out[1][k] = receiveWallNanos[i];
        }
        return out;
    }
}
