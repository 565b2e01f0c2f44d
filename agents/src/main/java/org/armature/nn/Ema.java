package org.armature.nn;

/**
 * An exponential moving average of a parameter group's weights (Polyak &amp; Juditsky 1992), with the warm-up of
 * Diffusion Policy's {@code EMAModel}: update {@code k} (from 0) uses decay {@code 0} while {@code k ≤ 1}, then
 * {@code min(maxDecay, 1 − (1 + (k − 1))^(−power))} — power 0.75 and max 0.9999 in the reference, so the average
 * follows the weights closely early in training and spans about 10,000 updates late. Evaluation and deployment use
 * the averaged weights.
 */
public final class Ema {

    private final ParamGroup source;
    private final ParamGroup average;
    private final double power;
    private final double maxDecay;
    private long updates;
    private float[] av;
    private float[] sv;

    public Ema(ParamGroup source, ParamGroup average, double power, double maxDecay) {
        if (!source.sameLayout(average)) {
            throw new IllegalArgumentException("EMA copy must have the same parameter layout as its source");
        }
        if (!(power > 0) || !(maxDecay >= 0 && maxDecay < 1)) {
            throw new IllegalArgumentException("EMA needs power > 0 and 0 <= max decay < 1, got " + power + ", "
                    + maxDecay);
        }
        this.source = source;
        this.average = average;
        this.power = power;
        this.maxDecay = maxDecay;
        average.copyFrom(source);
    }

    /** Decay used by update number {@code k} (0-based). */
    public double decay(long k) {
        long step = k - 1;
        if (step <= 0) {
            return 0;
        }
        return Math.min(maxDecay, 1 - Math.pow(1 + step, -power));
    }

    /** {@code average ← d · average + (1 − d) · source}. */
    public void update() {
        double d = decay(updates++);
        Mat a = average.values().toHost();
        Mat s = source.values().toHost();
        int n = a.length();
        if (d == 0) {
            average.copyFrom(source);
            return;
        }
        float keep = (float) (1 - d);
        float df = (float) d;
        if (a.isDouble()) {
            for (int i = 0; i < n; i++) {
                a.set(i, d * a.get(i) + (1 - d) * s.get(i));
            }
        } else {
            if (av == null) {
                av = new float[n];
                sv = new float[n];
            }
            a.get(0, av, 0, n);
            s.get(0, sv, 0, n);
            for (int i = 0; i < n; i++) { // heap arrays: C2 vectorises this loop
                av[i] = df * av[i] + keep * sv[i];
            }
            a.put(0, av, 0, n);
        }
        a.hostWritten();
    }

    public long updates() {
        return updates;
    }

    /** Restores the update counter (checkpoint resume; the weights are restored with their group). */
    public void setUpdates(long n) {
        this.updates = n;
    }

    public ParamGroup average() {
        return average;
    }
}
