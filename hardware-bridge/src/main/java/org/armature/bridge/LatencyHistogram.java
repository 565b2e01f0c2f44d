package org.armature.bridge;

/**
 * Exact percentiles of a latency in microseconds: one counter per microsecond up to {@value #MAX_MICROS} µs (an
 * overflow bucket above). Recording is allocation-free; reading from another thread gives a slightly racy but
 * consistent-enough view for live printing.
 */
public final class LatencyHistogram {

    public static final int MAX_MICROS = 200_000;
    private final int[] counts = new int[MAX_MICROS + 2];
    private long n;
    private long maxNanos;

    public void recordNanos(long nanos) {
        long us = nanos < 0 ? 0 : nanos / 1000;
        counts[(int) Math.min(us, MAX_MICROS + 1)]++;
        n++;
        if (nanos > maxNanos) {
            maxNanos = nanos;
        }
    }

    public long count() {
        return n;
    }

    /** The q-quantile (0..1) in microseconds; 0 when empty. */
    public double percentileMicros(double q) {
        if (n == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * n);
        rank = Math.max(1, Math.min(n, rank));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i;
            }
        }
        return MAX_MICROS + 1;
    }

    public double maxMicros() {
        return maxNanos / 1e3;
    }

    /** {@code p50/p99/max} in µs, for summaries. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "p50 %.0f µs, p99 %.0f µs, max %.0f µs (n=%d)",
                percentileMicros(0.5), percentileMicros(0.99), maxMicros(), n);
    }
}
