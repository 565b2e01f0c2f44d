package org.armature.nn;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Direct CBLAS calls on host memory for CPU backends. Measured here: {@code Nd4j.gemm} adds ~11 µs of op dispatch
 * to every product (100x64x64: 24 µs vs 13.5 µs through cblas_sgemm) and copies transposed operands (63 µs vs
 * 13.5 µs), which dominates small networks. When the backend is not a CPU backend, or the BLAS binding that the CPU
 * backend ships with is absent, {@link #AVAILABLE} is false and {@link Mat#gemm} uses {@code Nd4j.gemm}.
 */
final class HostBlas {

    static final boolean AVAILABLE = probe();

    private HostBlas() {
    }

    private static boolean probe() {
        if (Boolean.getBoolean("armature.nn.noHostBlas")) {
            return false;
        }
        try {
            if (!Nd4j.getEnvironment().isCPU()) {
                return false;
            }
            Class.forName("org.bytedeco.openblas.global.openblas");
            return Impl.selfTest();
        } catch (Throwable t) {
            return false;
        }
    }

    static void gemm(Mat a, boolean transA, Mat b, boolean transB, Mat c, int m, int n, int k, double alpha,
                     double beta) {
        Impl.gemm(a, transA, b, transB, c, m, n, k, alpha, beta);
    }

    /**
     * {@code y = alpha op(A) x + beta y} with row-major {@code A} ({@code rows x cols}, leading dimension
     * {@code a.cols}) and contiguous vectors. Matrix-vector products go here rather than to gemm: OpenBLAS's gemm
     * with one row or column is up to 17x slower than its gemv on its generic x86 kernels (a 1x256 by 256x256
     * product: 41 µs vs 2.4 µs measured here).
     */
    static void gemv(Mat a, boolean trans, int rows, int cols, Mat x, Mat y, double alpha, double beta) {
        Impl.gemv(a, trans, rows, cols, x, y, alpha, beta);
    }

    /** Pointer at element {@code offset} of a buffer's host memory. */
    static Pointer pointer(org.nd4j.linalg.api.buffer.DataBuffer buffer, boolean isDouble, int offset) {
        Pointer base = buffer.addressPointer();
        if (isDouble) {
            return new DoublePointer(base).position(offset);
        }
        return new FloatPointer(base).position(offset);
    }

    /** Only loaded when the binding exists. */
    private static final class Impl {
        static void gemm(Mat a, boolean transA, Mat b, boolean transB, Mat c, int m, int n, int k, double alpha,
                         double beta) {
            int ta = transA ? org.bytedeco.openblas.global.openblas.CblasTrans
                    : org.bytedeco.openblas.global.openblas.CblasNoTrans;
            int tb = transB ? org.bytedeco.openblas.global.openblas.CblasTrans
                    : org.bytedeco.openblas.global.openblas.CblasNoTrans;
            if (c.isDouble()) {
                org.bytedeco.openblas.global.openblas.cblas_dgemm(org.bytedeco.openblas.global.openblas.CblasRowMajor,
                        ta, tb, m, n, k, alpha, (DoublePointer) a.pointer(), a.cols, (DoublePointer) b.pointer(),
                        b.cols, beta, (DoublePointer) c.pointer(), c.cols);
            } else {
                org.bytedeco.openblas.global.openblas.cblas_sgemm(org.bytedeco.openblas.global.openblas.CblasRowMajor,
                        ta, tb, m, n, k, (float) alpha, (FloatPointer) a.pointer(), a.cols, (FloatPointer) b.pointer(),
                        b.cols, (float) beta, (FloatPointer) c.pointer(), c.cols);
            }
        }

        static void gemv(Mat a, boolean trans, int rows, int cols, Mat x, Mat y, double alpha, double beta) {
            int t = trans ? org.bytedeco.openblas.global.openblas.CblasTrans
                    : org.bytedeco.openblas.global.openblas.CblasNoTrans;
            if (y.isDouble()) {
                org.bytedeco.openblas.global.openblas.cblas_dgemv(org.bytedeco.openblas.global.openblas.CblasRowMajor,
                        t, rows, cols, alpha, (DoublePointer) a.pointer(), a.cols, (DoublePointer) x.pointer(), 1,
                        beta, (DoublePointer) y.pointer(), 1);
            } else {
                org.bytedeco.openblas.global.openblas.cblas_sgemv(org.bytedeco.openblas.global.openblas.CblasRowMajor,
                        t, rows, cols, (float) alpha, (FloatPointer) a.pointer(), a.cols, (FloatPointer) x.pointer(), 1,
                        (float) beta, (FloatPointer) y.pointer(), 1);
            }
        }

        static boolean selfTest() {
            Mat a = Mat.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3);
            Mat b = Mat.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 2);
            Mat c = Mat.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 2);
            a.setAll(new float[]{1, 2, 3, 4, 5, 6});
            b.setAll(new float[]{1, 0, 0, 1, 1, 1});
            gemm(a, false, b, false, c, 2, 2, 3, 1.0, 0.0);
            float[] r = c.toFloatArray();
            return r[0] == 4 && r[1] == 5 && r[2] == 10 && r[3] == 11;
        }
    }
}
