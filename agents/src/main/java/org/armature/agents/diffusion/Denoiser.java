package org.armature.agents.diffusion;

import java.util.List;

import org.armature.nn.Mat;
import org.armature.nn.Param;

/**
 * The noise-prediction network {@code ε_θ(x_t, t, c)} of a diffusion policy (Ho et al. 2020, ε-parameterisation;
 * Chi et al. 2023 condition it on the observation history).
 *
 * <p>Layouts (row-major, one row per batch item): noisy action chunks {@code x} are {@code B x (horizon · actionDim)}
 * with step {@code h}, action dimension {@code j} at column {@code h · actionDim + j} (so the same memory read as
 * {@code (B · horizon) x actionDim} is the channels-last sequence a temporal convolution works on); conditions are
 * {@code B x conditionDim}, the normalised observation frames flattened oldest first; {@code steps[b]} is the
 * diffusion step of row {@code b}, in {@code [0, trainSteps)}.
 *
 * <p>Contract as {@link org.armature.nn.Layer}'s: {@link #forward} returns a buffer owned by the denoiser
 * (preallocated per batch size, so batch-1 sampling does not allocate after the first call), {@link #backward} uses
 * the most recent forward and <em>accumulates</em> parameter gradients.
 */
public interface Denoiser {

    int actionDim();

    int horizon();

    int conditionDim();

    /** Predicted noise {@code ε_θ(x_t, t, c)}, {@code B x (horizon · actionDim)}. */
    Mat forward(Mat noisyActions, int[] steps, Mat condition, boolean training);

    /** Back-propagates {@code dEps} (gradient of the loss w.r.t. the last forward's output) into the parameters. */
    void backward(Mat dEps);

    /** Trainable parameters, in a fixed order (the order of the weight file). */
    List<Param> params();

    /**
     * Declares the weights final (a policy loaded from a bundle): what depends only on the weights and the diffusion
     * step (the step encoder's output) may be computed once. {@link #backward} is not allowed afterwards.
     */
    void freeze(int trainSteps);

    /** Architecture, written to bundle.json; the same spec rebuilds the same network. */
    DenoiserSpec spec();
}
