package org.armature.agents;

/**
 * DSRL (Wagenmaker et al. 2025): a frozen base policy that samples its action chunks from noise (diffusion), steered
 * by a small actor that chooses the initial noise, {@code w = scale · tanh(f(obs))}, instead of drawing it from
 * N(0, I). The base's weights never change; its chunk is played as the base would play it (the first
 * {@code executedChunk} actions, then a new decision).
 */
public final class NoiseSpacePolicy implements Policy {

    private final Policy base;
    private final BundlePolicy noiseActor;
    private final double scale;
    private final float[] noise;
    private float[][] chunk;
    private int next;

    public NoiseSpacePolicy(Policy base, BundlePolicy noiseActor, double scale) {
        if (base.noiseDim() <= 0) {
            throw new IllegalArgumentException("a noise-space policy needs a base that samples from noise (a diffusion "
                    + "policy); this base has none");
        }
        if (noiseActor.observationDim() != base.observationDim()) {
            throw new IllegalArgumentException("the noise actor takes observations of " + noiseActor.observationDim()
                    + " values, its base " + base.observationDim());
        }
        boolean gaussian = PolicyBundles.SQUASHED_GAUSSIAN.equals(noiseActor.spec().policy().type());
        if (noiseActor.outputs() != (gaussian ? 2 : 1) * base.noiseDim()) { // a SAC actor: means, then log-stds
            throw new IllegalArgumentException("the noise actor gives " + noiseActor.outputs()
                    + " values, its base samples from noise of " + base.noiseDim());
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("noise scale must be a finite number > 0, got " + scale);
        }
        this.base = base;
        this.noiseActor = noiseActor;
        this.scale = scale;
        this.noise = new float[base.noiseDim()];
    }

    /**
     * A decision every {@code executedChunk} steps (the chunk played from the base's {@code chunkStart}); between
     * decisions the observation still enters the base's history.
     */
    @Override
    public void act(float[] observation, float[] action) {
        if (chunk == null || next >= base.executedChunk()) {
            chunk = actChunk(observation);
            next = 0;
        } else {
            base.observe(observation);
        }
        System.arraycopy(chunk[base.chunkStart() + next++], 0, action, 0, action.length);
    }

    /** The base's chunk from the noise the actor chooses for {@code observation}. */
    @Override
    public float[][] actChunk(float[] observation) {
        noiseActor.pushObservation(observation);
        noiseActor.forward();
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (scale * noiseActor.squashed(i));
        }
        return base.actChunk(observation, noise);
    }

    @Override
    public void reset(long seed) {
        base.reset(seed);
        noiseActor.reset(seed);
        chunk = null;
        next = 0;
    }

    @Override
    public int chunkLength() {
        return base.chunkLength();
    }

    @Override
    public int executedChunk() {
        return base.executedChunk();
    }

    @Override
    public int chunkStart() {
        return base.chunkStart();
    }

    @Override
    public void observe(float[] observation) {
        base.observe(observation);
    }

    @Override
    public int observationHistory() {
        return base.observationHistory();
    }

    @Override
    public int observationDim() {
        return base.observationDim();
    }

    @Override
    public int actionDim() {
        return base.actionDim();
    }
}
