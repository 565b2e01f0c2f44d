package org.armature.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A dense row-major matrix ({@code rows x cols}) backed by an ND4J {@link INDArray}, with direct host access for
 * the small element-wise kernels.
 *
 * <p>Why host access: on this class of machine one ND4J op costs 8-20 µs of dispatch overhead regardless of size,
 * while a Java loop over the same off-heap memory costs ~0.3 ns per element. Matrix products go to BLAS through
 * {@link #gemm}; everything element-wise (bias, activations, heads, Adam, Polyak) runs as Java loops over the
 * array's memory. Host access goes through ND4J's {@link AffinityManager} ({@code ensureLocation} before reading,
 * {@code tagLocation} after writing), so the same code is correct on a GPU backend (where it costs transfers).
 *
 * <p>Both {@code float32} (training, inference) and {@code float64} (gradient checks) are supported; kernels read
 * and write through {@link #get(int)} / {@link #set(int, double)}, whose dtype branch is loop-invariant.
 */
public final class Mat {

    public final INDArray nd;
    public final int rows;
    public final int cols;
    private final boolean isDouble;
    private final FloatBuffer f;
    private final DoubleBuffer d;
    private final int offset;
    /** Host address of element 0 (off-heap memory of the backing buffer). */
    private final long address;
    private final DataBuffer buffer;
    static final sun.misc.Unsafe U = unsafe();

    private static sun.misc.Unsafe unsafe() {
        try {
            java.lang.reflect.Field fld = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            fld.setAccessible(true);
            return (sun.misc.Unsafe) fld.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Mat(INDArray nd, int rows, int cols, DataBuffer buffer, int offset) {
        this.nd = nd;
        this.rows = rows;
        this.cols = cols;
        this.offset = offset;
        this.isDouble = nd.dataType() == DataType.DOUBLE;
        if (!isDouble && nd.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("Mat supports FLOAT and DOUBLE, got " + nd.dataType());
        }
        this.f = isDouble ? null : buffer.asNioFloat();
        this.d = isDouble ? buffer.asNioDouble() : null;
        this.address = buffer.address() + (long) offset * (isDouble ? 8 : 4);
        this.buffer = buffer;
        if (buffer.address() == 0) {
            throw new IllegalStateException("ND4J buffer has no host memory");
        }
    }

    /** A new zero matrix. */
    public static Mat zeros(DataType dtype, int rows, int cols) {
        INDArray a = Nd4j.create(dtype, new long[]{rows, cols}, 'c');
        return new Mat(a, rows, cols, a.data(), 0);
    }

    /** A row-major view of {@code length = rows*cols} elements of {@code buffer} starting at {@code offset}. */
    static Mat view(DataBuffer buffer, DataType dtype, int offset, int rows, int cols) {
        INDArray a = Nd4j.create(buffer, new long[]{rows, cols}, new long[]{cols, 1}, offset, 'c', dtype);
        return new Mat(a, rows, cols, buffer, offset);
    }

    /** Host address of element 0 (for float-specialised kernels in this package). */
    long address() {
        return address;
    }

    public DataType dataType() {
        return isDouble ? DataType.DOUBLE : DataType.FLOAT;
    }

    public boolean isDouble() {
        return isDouble;
    }

    public int length() {
        return rows * cols;
    }

    /** Element at flat row-major index {@code i}. Call {@link #toHost()} first when a device may have written. */
    public double get(int i) {
        // raw host access: element-wise kernels run ~10x faster than through NIO buffers on JDK 17
        return isDouble ? U.getDouble(address + 8L * i) : U.getFloat(address + 4L * i);
    }

    public double get(int r, int c) {
        return get(r * cols + c);
    }

    public void set(int i, double v) {
        if (isDouble) {
            U.putDouble(address + 8L * i, v);
        } else {
            U.putFloat(address + 4L * i, (float) v);
        }
    }

    public void set(int r, int c, double v) {
        set(r * cols + c, v);
    }

    /** Makes the host copy current (no-op on CPU backends). */
    public Mat toHost() {
        Nd4j.getAffinityManager().ensureLocation(nd, AffinityManager.Location.HOST);
        return this;
    }

    /** Marks the host copy as the newest after host writes (no-op on CPU backends). */
    public Mat hostWritten() {
        Nd4j.getAffinityManager().tagLocation(nd, AffinityManager.Location.HOST);
        return this;
    }

    public Mat fill(double v) {
        toHost();
        int n = length();
        for (int i = 0; i < n; i++) {
            set(i, v);
        }
        return hostWritten();
    }

    /** Copies {@code src} (same shape, any dtype) into this matrix. */
    public Mat copyFrom(Mat src) {
        checkSameShape(src);
        src.toHost();
        toHost();
        int n = length();
        if (!isDouble && !src.isDouble) {
            f.put(offset, src.f, src.offset, n);
        } else {
            for (int i = 0; i < n; i++) {
                set(i, src.get(i));
            }
        }
        return hostWritten();
    }

    /** Copies {@code n} floats from {@code src[srcOff..]} into flat positions {@code [dstOff, dstOff+n)}. */
    public void put(int dstOff, float[] src, int srcOff, int n) {
        if (isDouble) {
            for (int i = 0; i < n; i++) {
                d.put(offset + dstOff + i, src[srcOff + i]);
            }
        } else {
            f.put(offset + dstOff, src, srcOff, n);
        }
    }

    /** Copies flat positions {@code [srcOff, srcOff+n)} into {@code dst[dstOff..]} (as floats). */
    public void get(int srcOff, float[] dst, int dstOff, int n) {
        if (isDouble) {
            for (int i = 0; i < n; i++) {
                dst[dstOff + i] = (float) d.get(offset + srcOff + i);
            }
        } else {
            f.get(offset + srcOff, dst, dstOff, n);
        }
    }

    /** A copy of the contents as a float array (row-major). */
    public float[] toFloatArray() {
        toHost();
        float[] out = new float[length()];
        get(0, out, 0, out.length);
        return out;
    }

    /** A copy of the contents as a double array (row-major). */
    public double[] toDoubleArray() {
        toHost();
        double[] out = new double[length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    public Mat setAll(float[] values) {
        if (values.length != length()) {
            throw new IllegalArgumentException("Mat.setAll: got " + values.length + " values for a " + rows + "x" + cols
                    + " matrix");
        }
        toHost();
        put(0, values, 0, values.length);
        return hostWritten();
    }

    public Mat setAll(double[] values) {
        if (values.length != length()) {
            throw new IllegalArgumentException("Mat.setAll: got " + values.length + " values for a " + rows + "x" + cols
                    + " matrix");
        }
        toHost();
        for (int i = 0; i < values.length; i++) {
            set(i, values[i]);
        }
        return hostWritten();
    }

    void checkSameShape(Mat o) {
        if (o.rows != rows || o.cols != cols) {
            throw new IllegalArgumentException("shape mismatch: " + rows + "x" + cols + " vs " + o.rows + "x" + o.cols);
        }
    }

    /**
     * {@code c = alpha * op(a) * op(b) + beta * c} through the backend's BLAS ({@code op} = optional transpose).
     */
    public static void gemm(Mat a, boolean transA, Mat b, boolean transB, Mat c, double alpha, double beta) {
        int m = transA ? a.cols : a.rows;
        int k = transA ? a.rows : a.cols;
        int kb = transB ? b.cols : b.rows;
        int n = transB ? b.rows : b.cols;
        if (k != kb || c.rows != m || c.cols != n) {
            throw new IllegalArgumentException("gemm shape mismatch: op(a) " + m + "x" + k + ", op(b) " + kb + "x" + n
                    + ", c " + c.rows + "x" + c.cols);
        }
        if (HostBlas.AVAILABLE && a.isDouble == c.isDouble && b.isDouble == c.isDouble) {
            // one row or one column: the operands are contiguous vectors, so this is a matrix-vector product
            if (m == 1 && n > 1) {
                // c (1 x n) = a (k values) op(B): B^T a for B (k x n), B a for B (n x k)
                HostBlas.gemv(b, !transB, transB ? n : k, transB ? k : n, a, c, alpha, beta);
            } else if (n == 1 && m > 1) {
                // c (m x 1) = op(A) b (k values): A b for A (m x k), A^T b for A (k x m)
                HostBlas.gemv(a, transA, transA ? k : m, transA ? m : k, b, c, alpha, beta);
            } else {
                HostBlas.gemm(a, transA, b, transB, c, m, n, k, alpha, beta);
            }
        } else {
            Nd4j.gemm(a.nd, b.nd, c.nd, transA, transB, alpha, beta);
        }
    }

    private org.bytedeco.javacpp.Pointer pointer;

    /** A native pointer at element 0 (host memory), cached. */
    org.bytedeco.javacpp.Pointer pointer() {
        if (pointer == null) {
            pointer = HostBlas.pointer(buffer, isDouble, offset);
        }
        return pointer;
    }

    @Override
    public String toString() {
        return "Mat(" + rows + "x" + cols + ", " + dataType() + ")";
    }
}
