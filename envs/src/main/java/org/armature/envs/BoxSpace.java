package org.armature.envs;

import java.util.Arrays;

/**
 * A box in R^n with per-dimension bounds, as Gymnasium's {@code Box} with dtype float32. Unbounded dimensions use
 * {@link Float#NEGATIVE_INFINITY} / {@link Float#POSITIVE_INFINITY}.
 */
public record BoxSpace(float[] low, float[] high) {

    public BoxSpace {
        if (low.length != high.length) {
            throw new IllegalArgumentException("BoxSpace: low has " + low.length + " dims but high has " + high.length);
        }
        for (int i = 0; i < low.length; i++) {
            if (Float.isNaN(low[i]) || Float.isNaN(high[i]) || low[i] > high[i]) {
                throw new IllegalArgumentException("BoxSpace: bad bounds at dim " + i + ": [" + low[i] + ", " + high[i] + "]");
            }
        }
        low = low.clone();
        high = high.clone();
    }

    /** The box [low, high]^n. */
    public static BoxSpace uniform(int n, float low, float high) {
        float[] lo = new float[n];
        float[] hi = new float[n];
        Arrays.fill(lo, low);
        Arrays.fill(hi, high);
        return new BoxSpace(lo, hi);
    }

    /** R^n, unbounded. */
    public static BoxSpace unbounded(int n) {
        return uniform(n, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    }

    /** This box tiled {@code times} times: the space of a stacked history or an action sequence. */
    public BoxSpace repeat(int times) {
        int n = low.length;
        float[] lo = new float[times * n];
        float[] hi = new float[times * n];
        for (int i = 0; i < times; i++) {
            System.arraycopy(low, 0, lo, i * n, n);
            System.arraycopy(high, 0, hi, i * n, n);
        }
        return new BoxSpace(lo, hi);
    }

    public int dim() {
        return low.length;
    }

    public float low(int i) {
        return low[i];
    }

    public float high(int i) {
        return high[i];
    }

    /** True when every dimension is finite on both sides. */
    public boolean isBounded() {
        for (int i = 0; i < low.length; i++) {
            if (Float.isInfinite(low[i]) || Float.isInfinite(high[i])) {
                return false;
            }
        }
        return true;
    }

    public boolean contains(float[] x) {
        if (x.length != low.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] >= low[i] && x[i] <= high[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Clips {@code x} into the box, writing to {@code out} (may be {@code x}); returns how many components were
     * outside.
     */
    public int clip(float[] x, float[] out) {
        int clipped = 0;
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            if (v < low[i]) {
                v = low[i];
                clipped++;
            } else if (v > high[i]) {
                v = high[i];
                clipped++;
            }
            out[i] = v;
        }
        return clipped;
    }

    /** Uniform sample (bounded boxes only), drawn from {@code rng}. */
    public float[] sample(java.util.random.RandomGenerator rng) {
        if (!isBounded()) {
            throw new IllegalStateException("cannot sample uniformly from an unbounded BoxSpace");
        }
        float[] x = new float[low.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = low[i] + (high[i] - low[i]) * rng.nextFloat();
        }
        return x;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BoxSpace b && Arrays.equals(low, b.low) && Arrays.equals(high, b.high);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(low) + Arrays.hashCode(high);
    }

    @Override
    public String toString() {
        return "Box(" + low.length + ")";
    }
}
