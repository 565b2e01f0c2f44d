package org.armature.nn;

import java.util.List;

/**
 * A differentiable layer on batches of sequences, stored <em>channels-last</em>: {@code batch} sequences of length
 * {@code L} with {@code C} channels are one row-major {@code (batch · L) x C} {@link Mat}, row {@code b · L + t}
 * holding step {@code t} of sequence {@code b}. This is the memory of a {@code batch x (L · C)} matrix whose row
 * is a flattened sequence (the diffusion denoisers' action-chunk layout), so no transpose separates the two views;
 * it is PyTorch's {@code [B, C, L]} tensor transposed, which turns a 1-D convolution into one matrix product over
 * an im2col buffer with all {@code batch · L} output steps as rows.
 *
 * <p>Contract as {@link Layer}'s: {@link #forward} returns a buffer owned by the layer, preallocated per row count
 * and overwritten by the next forward with that row count; {@link #backward} uses the most recent forward;
 * parameter gradients <em>accumulate</em>.
 */
public interface SequenceLayer {

    int inChannels();

    /** The input's channels unless the layer changes them. */
    default int outChannels() {
        return inChannels();
    }

    /** Output sequence length for an input of length {@code inputLength} (the same unless the layer changes it). */
    default int outputLength(int inputLength) {
        return inputLength;
    }

    /** {@code x}: {@code (batch · L) x inChannels()}; returns {@code (batch · outputLength(L)) x outChannels()}. */
    Mat forward(Mat x, int batch);

    /**
     * Back-propagates {@code dy} (gradient w.r.t. the last forward's output).
     *
     * @param paramGrads accumulate this layer's parameter gradients
     * @param inputGrad  compute and return the gradient w.r.t. the input (otherwise returns null)
     */
    Mat backward(Mat dy, boolean paramGrads, boolean inputGrad);

    /** Trainable parameters (empty for parameter-free layers). */
    default List<Param> params() {
        return List.of();
    }
}
