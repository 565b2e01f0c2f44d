package org.armature.nn;

import org.nd4j.linalg.api.buffer.DataType;

/** Cached {@code 1 x n} rows of ones (column sums through BLAS). */
final class Ones {

    private final DataType dtype;
    private int[] keys = new int[0];
    private Mat[] mats = new Mat[0];

    Ones(DataType dtype) {
        this.dtype = dtype;
    }

    /** A 1 x n row of ones (do not write to it). */
    Mat get(int n) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == n) {
                return mats[i];
            }
        }
        int k = keys.length;
        keys = java.util.Arrays.copyOf(keys, k + 1);
        mats = java.util.Arrays.copyOf(mats, k + 1);
        keys[k] = n;
        mats[k] = Mat.zeros(dtype, 1, n).fill(1.0);
        return mats[k];
    }
}
