package org.armature.envs.experts;

import java.util.SplittableRandom;

import org.armature.envs.AbstractEnv;

/** Seeded noise and clipping shared by the scripted experts. */
abstract class AbstractExpert implements Expert {

    protected final double noiseStd;
    protected SplittableRandom rng;

    AbstractExpert(double noiseStd, long seed) {
        if (!(noiseStd >= 0) || !Double.isFinite(noiseStd)) {
            throw new IllegalArgumentException("expert noise std must be a finite number >= 0, got " + noiseStd);
        }
        this.noiseStd = noiseStd;
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public double noiseStd() {
        return noiseStd;
    }

    @Override
    public void reset(long seed) {
        rng = new SplittableRandom(seed);
        resetEpisode();
    }

    /** Clears per-episode state (none by default). */
    protected void resetEpisode() {
    }

    /** Adds noise (if any) and clips every component into [lo, hi]. */
    protected float[] noisyClipped(double[] a, double lo, double hi) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            double v = a[i];
            if (noiseStd > 0) {
                v += noiseStd * AbstractEnv.gaussian(rng);
            }
            out[i] = (float) Math.max(lo, Math.min(hi, v));
        }
        return out;
    }
}
