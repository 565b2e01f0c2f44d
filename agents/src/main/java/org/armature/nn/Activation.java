package org.armature.nn;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Element-wise nonlinearity layer: ReLU, Tanh, SiLU (x * sigmoid(x), Elfwing et al. 2018) or Mish
 * (x * tanh(softplus(x)), Misra 2019), with exact derivatives.
 */
public final class Activation implements Layer {

    /** The supported nonlinearities. */
    public enum Kind {
        RELU, TANH, SILU, MISH;

        public String id() {
            return name().toLowerCase();
        }

        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.id().equalsIgnoreCase(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown activation '" + s + "', expected one of relu, tanh, silu, mish");
        }

        /** f(x) for one value (shared with the batch-1 inference path). */
        public double apply(double x) {
            return switch (this) {
                case RELU -> x > 0 ? x : 0.0;
                case TANH -> Kernels.tanh(x);
                case SILU -> x * Kernels.sigmoid(x);
                case MISH -> Kernels.mish(x);
            };
        }

        /** f'(x) given input x and output y. */
        double derivative(double x, double y) {
            return switch (this) {
                case RELU -> x > 0 ? 1.0 : 0.0;
                case TANH -> 1.0 - y * y;
                case SILU -> {
                    double s = Kernels.sigmoid(x);
                    yield s * (1.0 + x * (1.0 - s));
                }
                case MISH -> Kernels.mishDerivative(x);
            };
        }
    }

    /** From this many values on, ReLU runs on a heap copy (the bulk copies cost more than they save below it). */
    private static final int RELU_HEAP_MIN = 4096;

    private final Kind kind;
    private final int size;
    private final BatchBuffers outs;
    private final BatchBuffers inGrads;
    private Mat lastIn;
    private Mat lastOut;
    private float[] buf = new float[0];
    private float[] gbuf = new float[0];
    private float[] mishDerivative = new float[0];

    private boolean inPlaceForward;
    private boolean inPlaceBackward;

    public Activation(Kind kind, int size, DataType dtype) {
        this.kind = kind;
        this.size = size;
        this.outs = new BatchBuffers(dtype, size);
        this.inGrads = new BatchBuffers(dtype, size);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Lets {@link Mlp} run ReLU/Tanh in place (their derivatives only need the output): forward overwrites its
     * input when that is a buffer of the previous layer, backward overwrites the incoming gradient when that is a
     * buffer of the next layer. Halves the activation memory (smaller cache footprint).
     */
    void setInPlace(boolean forward, boolean backward) {
        boolean outputOnly = kind == Kind.RELU || kind == Kind.TANH;
        this.inPlaceForward = forward && outputOnly;
        this.inPlaceBackward = backward;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public Mat forward(Mat x, boolean training) {
        Mat y = inPlaceForward ? x : outs.get(x.rows);
        x.toHost();
        y.toHost();
        int n = x.length();
        if (kind == Kind.RELU && !x.isDouble() && n >= RELU_HEAP_MIN) {
            // float fast path for batches: a heap copy, where C2 vectorises Math.max (about 0.15 ns per value with
            // the copies, against 0.3 for the loop below). Math.max(v, +0) maps negative values and -0 to +0 and
            // passes NaN through, as the loop below and PyTorch do.
            buf = Kernels.atLeast(buf, n);
            x.get(0, buf, 0, n);
            for (int i = 0; i < n; i++) {
                buf[i] = Math.max(buf[i], 0f);
            }
            y.put(0, buf, 0, n);
        } else if (kind == Kind.RELU && !x.isDouble()) {
            // float fast path for small inputs: raw host memory, branch-free. Half the pre-activations are negative
            // in a random order, so `v > 0 ? v : 0` mispredicts every other element (measured: 2.9 ns/element,
            // 0.29 ms of a 0.87 ms SAC update at 2x64/batch 100); clearing the value when its sign bit is set
            // costs ~0.3 ns/element. Negative values and -0 become +0; NaN passes through (as in PyTorch).
            long xa = x.address();
            long ya = y.address();
            for (int i = 0; i < n; i++) {
                int bits = Mat.U.getInt(xa + 4L * i);
                Mat.U.putInt(ya + 4L * i, bits & ~(bits >> 31));
            }
        } else if (kind == Kind.RELU) {
            for (int i = 0; i < n; i++) {
                double v = x.get(i);
                y.set(i, v > 0 ? v : 0.0);
            }
        } else if (kind == Kind.MISH && !x.isDouble()) {
            // heap copies and Mish's vectorised float kernel; the derivative is kept for backward
            buf = Kernels.atLeast(buf, n);
            mishDerivative = Kernels.atLeast(mishDerivative, n);
            gbuf = Kernels.atLeast(gbuf, n);
            x.get(0, buf, 0, n);
            Mish.floatValuesAndDerivatives(buf, mishDerivative, gbuf, n);
            y.put(0, buf, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                y.set(i, kind.apply(x.get(i)));
            }
        }
        y.hostWritten();
        lastIn = x;
        lastOut = y;
        return y;
    }

    @Override
    public Mat backward(Mat dy, boolean paramGrads, boolean inputGrad) {
        if (!inputGrad) {
            return null;
        }
        Mat dx = inPlaceBackward ? dy : inGrads.get(dy.rows);
        Mat x = lastIn;
        Mat y = lastOut;
        dy.toHost();
        dx.toHost();
        int n = dy.length();
        if (kind == Kind.RELU && !dy.isDouble()) {
            // branch-free as in forward: the output is +0 or positive, so its bit pattern is non-zero exactly
            // where the unit was active; (b | -b) >> 31 turns that into an all-ones mask
            long ya = y.address();
            long da = dy.address();
            long oa = dx.address();
            for (int i = 0; i < n; i++) {
                int yb = Mat.U.getInt(ya + 4L * i);
                int mask = (yb | -yb) >> 31;
                Mat.U.putInt(oa + 4L * i, Mat.U.getInt(da + 4L * i) & mask);
            }
        } else if (kind == Kind.RELU) {
            for (int i = 0; i < n; i++) {
                dx.set(i, y.get(i) > 0 ? dy.get(i) : 0.0);
            }
        } else if (kind == Kind.MISH && !dy.isDouble()) {
            gbuf = Kernels.atLeast(gbuf, n);
            dy.get(0, gbuf, 0, n);
            for (int i = 0; i < n; i++) {
                gbuf[i] *= mishDerivative[i];
            }
            dx.put(0, gbuf, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                dx.set(i, dy.get(i) * kind.derivative(x.get(i), y.get(i)));
            }
        }
        dx.hostWritten();
        return dx;
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of(kind.id(), size);
    }
}
