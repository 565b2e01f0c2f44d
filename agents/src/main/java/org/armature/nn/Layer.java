package org.armature.nn;

import java.util.List;

/**
 * A differentiable layer on row-major batches ({@code batch x features}).
 *
 * <p>Contract: {@link #forward(Mat, boolean)} returns a buffer owned by the layer (preallocated per batch size and
 * overwritten by the next forward of the same batch size) and remembers what {@link #backward(Mat, boolean, boolean)}
 * needs; backward uses the most recent forward. Parameter gradients <em>accumulate</em> (as in PyTorch): zero them
 * with {@link ParamGroup#zeroGrad()} after the optimiser step.
 */
public interface Layer {

    int inputSize();

    /** The input size unless the layer changes it. */
    default int outputSize() {
        return inputSize();
    }

    /** {@code training} enables dropout. */
    Mat forward(Mat x, boolean training);

    /**
     * Back-propagates {@code dy} (gradient of the loss w.r.t. the last forward's output).
     *
     * @param paramGrads accumulate gradients of this layer's parameters
     * @param inputGrad  compute and return the gradient w.r.t. the input (otherwise returns null)
     */
    Mat backward(Mat dy, boolean paramGrads, boolean inputGrad);

    /** Trainable parameters (empty for parameter-free layers). */
    default List<Param> params() {
        return List.of();
    }

    /** Writes this layer's architecture (JSON-able) for bundles. */
    LayerSpec spec();
}
