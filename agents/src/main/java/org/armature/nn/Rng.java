package org.armature.nn;

/**
 * A small seeded random stream (SplitMix64, Steele, Lea &amp; Flood 2014) whose whole state is two longs and a
 * flag, so training checkpoints can save and restore it exactly ({@link #state()} / {@link #restore(long[])}).
 * Gaussians use the Box-Muller transform, caching the second value of each pair.
 */
public final class Rng {

    private long state;
    private boolean hasSpare;
    private double spare;

    public Rng(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound) (Lemire's nearly-divisionless method, unbiased). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long l = m & 0xFFFFFFFFL;
        if (l < bound) {
            long t = (0x100000000L - bound) % bound;
            while (l < t) {
                m = (nextLong() >>> 32) * bound;
                l = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Standard normal. */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 <= 0.0);
        double u2 = nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        double th = 2.0 * Math.PI * u2;
        spare = r * Math.sin(th);
        hasSpare = true;
        return r * Math.cos(th);
    }

    /** A new independent stream derived from this one. */
    public Rng split() {
        return new Rng(nextLong());
    }

    /** The complete state: {@code [state, hasSpare ? 1 : 0, doubleToRawLongBits(spare)]}. */
    public long[] state() {
        return new long[]{state, hasSpare ? 1 : 0, Double.doubleToRawLongBits(spare)};
    }

    public void restore(long[] s) {
        if (s == null || s.length != 3) {
            throw new IllegalArgumentException("Rng state must have 3 longs");
        }
        state = s[0];
        hasSpare = s[1] != 0;
        spare = Double.longBitsToDouble(s[2]);
    }
}
