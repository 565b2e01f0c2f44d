package org.armature.agents.diffusion;

import org.armature.nn.Mat;
import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Draws one action chunk from a trained denoiser at batch 1: start from Gaussian noise (or a given initial noise,
 * which DSRL steers), then {@code k} DDIM or DDPM steps over the chosen timesteps ({@link NoiseSchedule}). After the
 * first call nothing is allocated: the chunk, condition and noise buffers are reused and the denoiser keeps its
 * batch-1 buffers.
 */
public final class DiffusionSampler {

    private final Denoiser denoiser;
    private final NoiseSchedule schedule;
    private final boolean ddim;
    private final int[] timesteps;
    private final int chunk;
    private final Mat x;
    private final Mat cond;
    private final float[] xs;
    private final float[] eps;
    private final float[] z;
    private final int[] step = new int[1];

    /**
     * @param sampler {@code ddim} (deterministic given the initial noise, η = 0) or {@code ddpm}
     */
    public DiffusionSampler(Denoiser denoiser, NoiseSchedule schedule, String sampler, int inferenceSteps,
                            NoiseSchedule.Spacing spacing) {
        if (!sampler.equals("ddim") && !sampler.equals("ddpm")) {
            throw new IllegalArgumentException("unknown diffusion sampler '" + sampler + "', expected ddim or ddpm");
        }
        this.denoiser = denoiser;
        this.schedule = schedule;
        this.ddim = sampler.equals("ddim");
        this.timesteps = schedule.timesteps(inferenceSteps, spacing);
        this.chunk = denoiser.horizon() * denoiser.actionDim();
        DataType dt = denoiser.params().get(0).value().dataType();
        this.x = Mat.zeros(dt, 1, chunk);
        this.cond = Mat.zeros(dt, 1, denoiser.conditionDim());
        this.xs = new float[chunk];
        this.eps = new float[chunk];
        this.z = new float[chunk];
    }

    /** Values of initial noise per chunk ({@code horizon · actionDim}). */
    public int noiseDim() {
        return chunk;
    }

    /**
     * Samples a chunk for {@code condition} (normalised, flattened history) into {@code out} (normalised actions in
     * [−1, 1]). {@code initialNoise} null: drawn from {@code rng}; DDPM's per-step noise always comes from {@code rng}.
     */
    public void sample(float[] condition, float[] initialNoise, Rng rng, float[] out) {
        cond.toHost();
        cond.put(0, condition, 0, condition.length);
        cond.hostWritten();
        for (int i = 0; i < chunk; i++) {
            xs[i] = initialNoise != null ? initialNoise[i] : (float) rng.nextGaussian();
        }
        for (int k = 0; k < timesteps.length; k++) {
            int t = timesteps[k];
            int prev = k + 1 < timesteps.length ? timesteps[k + 1] : -1;
            x.toHost();
            x.put(0, xs, 0, chunk);
            x.hostWritten();
            step[0] = t;
            Mat e = denoiser.forward(x, step, cond, false).toHost();
            e.get(0, eps, 0, chunk);
            if (!ddim && prev >= 0) {
                for (int i = 0; i < chunk; i++) {
                    z[i] = (float) rng.nextGaussian();
                }
            }
            schedule.step(ddim, xs, eps, t, prev, z);
        }
        for (int i = 0; i < chunk; i++) {
            out[i] = Math.max(-1f, Math.min(1f, xs[i]));
        }
    }
}
