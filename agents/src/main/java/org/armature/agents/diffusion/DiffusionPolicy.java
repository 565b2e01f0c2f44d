package org.armature.agents.diffusion;

import java.io.IOException;
import java.nio.file.Path;

import org.armature.agents.LoadedPolicy;
import org.armature.agents.PolicyBundles;
import org.armature.nn.ParamIO;
import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A diffusion policy loaded from a bundle, acting as Diffusion Policy does at run time: the last {@code To}
 * observations (the episode's first one repeated until there are enough), normalised, condition the sampler; a chunk
 * of {@code Tp} actions is drawn ({@link DiffusionSampler}), clipped to [−1, 1] and mapped back to env units; the
 * actions {@code [To − 1, To − 1 + Ta)} are played one per step, then the policy decides again. {@link #reset} clears
 * history and queue and seeds the sampler's noise, so an episode's actions depend only on its seed.
 *
 * <p>Optional temporal ensembling (Zhao et al. 2023, ACT; {@link #setTemporalEnsemble}): decide at every step and play
 * the exponentially weighted mean ({@code w_i = exp(−m i)}, the oldest prediction weighted most) of every predicted
 * chunk's action for the current step.
 */
public final class DiffusionPolicy extends LoadedPolicy {

    private final DiffusionSampler sampler;
    private final float[] chunk;
    private double ensembleM = -1;
    private float[][] ensemble; // ensemble[k] = prediction made k decisions ago, aligned to the current step
    private int ensembleCount;
    private final double[] ensembleMean;

    DiffusionPolicy(PolicyBundles.Spec spec, Denoiser denoiser) {
        super(spec, spec.history() * spec.observationSpace().low().length, spec.executed());
        PolicyBundles.NoiseSchedule ns = spec.noiseSchedule();
        if (!NoiseSchedule.SQUARED_COSINE.equals(ns.betaSchedule())) {
            throw new IllegalArgumentException("noise schedule '" + ns.betaSchedule() + "' is not supported, expected "
                    + NoiseSchedule.SQUARED_COSINE);
        }
        if (denoiser.actionDim() != actDim || denoiser.horizon() != predicted
                || denoiser.conditionDim() != history * obsDim) {
            throw new IllegalArgumentException("denoiser predicts " + denoiser.horizon() + " x " + denoiser.actionDim()
                    + " actions from " + denoiser.conditionDim() + " condition values, the bundle needs " + predicted
                    + " x " + actDim + " from " + history + " x " + obsDim);
        }
        this.sampler = new DiffusionSampler(denoiser, new NoiseSchedule(ns.trainSteps()), ns.sampler(),
                ns.inferenceSteps(), NoiseSchedule.Spacing.parse(ns.timestepSpacing() == null ? "trailing"
                : ns.timestepSpacing()));
        this.chunk = new float[predicted * actDim];
        this.ensembleMean = new double[actDim];
        if (ns.temporalEnsemble() != null) {
            setTemporalEnsemble(ns.temporalEnsemble());
        }
    }

    /** Loads the denoiser named in a bundle's spec from {@code weights}. */
    public static DiffusionPolicy load(PolicyBundles.Spec spec, Path weights) throws IOException {
        Denoiser d;
        try {
            d = Denoisers.build(spec.policy().denoiser(), DataType.FLOAT, new Rng(0));
        } catch (IllegalArgumentException e) {
            throw new IOException(weights.getParent() + ": bad denoiser in bundle.json (" + e.getMessage() + ")");
        }
        try {
            ParamIO.load(weights, d.params());
            d.freeze(spec.noiseSchedule().trainSteps());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IOException(weights + ": weights do not match the denoiser in bundle.json (" + e.getMessage()
                    + ")");
        }
        try {
            return new DiffusionPolicy(spec, d);
        } catch (IllegalArgumentException e) {
            throw new IOException(weights.getParent() + ": " + e.getMessage());
        }
    }

    /** Decide at every step and average overlapping chunks with weights {@code exp(−m i)}; {@code m < 0} turns it off. */
    public void setTemporalEnsemble(double m) {
        this.ensembleM = m;
        this.ensemble = m >= 0 ? new float[predicted][predicted * actDim] : null;
        this.ensembleCount = 0;
    }

    @Override
    public int executedChunk() {
        return ensembleM >= 0 ? 1 : executed;
    }

    @Override
    public int noiseDim() {
        return sampler.noiseDim();
    }

    @Override
    public void reset(long seed) {
        super.reset(seed);
        ensembleCount = 0;
    }

    /** One DDIM/DDPM chunk from the condition (the observation frames) and the episode's noise. */
    @Override
    protected void forward() {
        sampler.sample(input, null, rng, chunk);
    }

    @Override
    protected void chunkAction(int c, float[] out) {
        for (int j = 0; j < actDim; j++) {
            out[j] = (float) (chunk[c * actDim + j] * scale[j] + center[j]);
        }
    }

    @Override
    public void act(float[] observation, float[] action) {
        if (ensembleM < 0) {
            super.act(observation, action);
            return;
        }
        pushObservation(observation);
        forward();
        // shift: the prediction made k decisions ago now sits at chunk index start + k for the current step
        float[] oldest = ensemble[predicted - 1];
        System.arraycopy(ensemble, 0, ensemble, 1, predicted - 1);
        ensemble[0] = oldest;
        System.arraycopy(chunk, 0, ensemble[0], 0, chunk.length);
        ensembleCount = Math.min(ensembleCount + 1, predicted - start);
        double wsum = 0;
        double[] mean = ensembleMean;
        java.util.Arrays.fill(mean, 0);
        for (int k = ensembleCount - 1; k >= 0; k--) {
            double w = Math.exp(-ensembleM * (ensembleCount - 1 - k)); // oldest first, weight 1
            int idx = start + k;
            for (int j = 0; j < actDim; j++) {
                mean[j] += w * ensemble[k][idx * actDim + j];
            }
            wsum += w;
        }
        for (int j = 0; j < actDim; j++) {
            action[j] = (float) (mean[j] / wsum * scale[j] + center[j]);
        }
    }

    @Override
    public float[][] actChunk(float[] observation, float[] initialNoise) {
        if (initialNoise.length != sampler.noiseDim()) {
            throw new IllegalArgumentException("initial noise must have " + sampler.noiseDim() + " values, got "
                    + initialNoise.length);
        }
        pushObservation(observation);
        sampler.sample(input, initialNoise, rng, chunk);
        return wholeChunk();
    }
}
