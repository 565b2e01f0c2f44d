package org.armature.nn;

/**
 * A named trainable tensor ({@code rows x cols}) with its gradient. Layers always read {@link #value()} and
 * {@link #grad()} through the holder, so a {@link ParamGroup} can move values and gradients into one contiguous
 * buffer (one loop for Adam, Polyak averaging, clipping, save/load).
 */
public final class Param {

    private final String name;
    private final int rows;
    private final int cols;
    private Mat value;
    private Mat grad;

    public Param(String name, org.nd4j.linalg.api.buffer.DataType dtype, int rows, int cols) {
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.value = Mat.zeros(dtype, rows, cols);
        this.grad = Mat.zeros(dtype, rows, cols);
    }

    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int size() {
        return rows * cols;
    }

    public Mat value() {
        return value;
    }

    public Mat grad() {
        return grad;
    }

    void rebind(Mat value, Mat grad) {
        value.copyFrom(this.value);
        grad.copyFrom(this.grad);
        this.value = value;
        this.grad = grad;
    }
}
