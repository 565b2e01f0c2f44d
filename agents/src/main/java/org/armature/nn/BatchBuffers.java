package org.armature.nn;

import java.util.function.IntFunction;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Per-batch-size preallocated matrices for a layer: a tiny cache (linear scan) so alternating batch sizes (train
 * batch, batch 1, evaluation batch) never reallocate.
 */
public final class BatchBuffers {

    private final IntFunction<Mat> make;
    private int[] keys = new int[0];
    private Mat[] mats = new Mat[0];

    /** {@code rows x cols} matrices of zeros. */
    public BatchBuffers(DataType dtype, int cols) {
        this(rows -> Mat.zeros(dtype, rows, cols));
    }

    /** The matrices {@code make} builds for a key (a row count, or a length). */
    public BatchBuffers(IntFunction<Mat> make) {
        this.make = make;
    }

    public Mat get(int rows) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == rows) {
                return mats[i];
            }
        }
        int n = keys.length;
        keys = java.util.Arrays.copyOf(keys, n + 1);
        mats = java.util.Arrays.copyOf(mats, n + 1);
        keys[n] = rows;
        mats[n] = make.apply(rows);
        return mats[n];
    }
}
