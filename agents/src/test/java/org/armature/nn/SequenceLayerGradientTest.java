package org.armature.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleSupplier;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Finite-difference gradient checks (float64, central differences) of the sequence layers, plus direct checks of
 * the convolution arithmetic against a naive loop over PyTorch's definition.
 */
class SequenceLayerGradientTest {

    private static final DataType D = DataType.DOUBLE;
    private static final double TOL = 1e-5;

    /** Checks input and parameter gradients of loss = sum(W ∘ layer(x)) for {@code batch} sequences of length len. */
    private static void check(String name, SequenceLayer layer, int batch, int len, Rng rng) {
        Mat x = GradCheck.random(batch * len, layer.inChannels(), rng, 1.0);
        Mat w = GradCheck.random(batch * layer.outputLength(len), layer.outChannels(), rng, 1.0);
        DoubleSupplier loss = () -> GradCheck.dot(w, layer.forward(x, batch));
        for (Param p : layer.params()) {
            p.grad().fill(0);
        }
        layer.forward(x, batch);
        Mat dx = layer.backward(w, true, true);
        Mat dxCopy = Mat.zeros(D, dx.rows, dx.cols).copyFrom(dx);
        GradCheck.check(name + ".input", x, dxCopy, loss, TOL);
        GradCheck.checkParams(name, layer.params(), loss, TOL);
    }

    @Test
    void conv1dStride1() {
        Rng rng = new Rng(21);
        check("conv1d_k5", new Conv1d(3, 4, 5, 1, 2, D, rng), 2, 6, rng);
    }

    @Test
    void conv1dStride2() {
        Rng rng = new Rng(22);
        Conv1d down = new Conv1d(4, 4, 3, 2, 1, D, rng);
        assertEquals(4, down.outputLength(8));
        assertEquals(3, down.outputLength(5));
        check("conv1d_k3s2", down, 2, 8, rng);
        check("conv1d_k3s2_odd", down, 3, 5, rng);
    }

    @Test
    void conv1dPointwise() {
        Rng rng = new Rng(23);
        check("conv1d_1x1", new Conv1d(5, 3, 1, 1, 0, D, rng), 2, 4, rng);
    }

    @Test
    void convTranspose1d() {
        Rng rng = new Rng(24);
        ConvTranspose1d up = new ConvTranspose1d(3, 4, 4, 2, 1, D, rng);
        assertEquals(8, up.outputLength(4));
        check("conv_transpose1d", up, 2, 4, rng);
    }

    /**
     * GroupNorm's float32 path (sequences on heap arrays) against the float64 path: outputs, input gradients and
     * gamma/beta gradients accumulated over two calls, three sequences, groups of four channels.
     */
    @Test
    void groupNormFloat32MatchesFloat64() {
        int batch = 3;
        int len = 5;
        int channels = 16;
        Rng rng = new Rng(28);
        GroupNorm n64 = new GroupNorm(4, channels, D);
        GroupNorm n32 = new GroupNorm(4, channels, DataType.FLOAT);
        for (int k = 0; k < 2; k++) {
            Param p = n64.params().get(k);
            for (int i = 0; i < channels; i++) {
                p.value().set(i, (k == 0 ? 1 : 0) + 0.3 * rng.nextGaussian());
            }
            n32.params().get(k).value().setAll(p.value().toFloatArray());
        }
        Mat x = GradCheck.random(batch * len, channels, rng, 2.0);
        for (int i = 0; i < x.length(); i++) {
            x.set(i, x.get(i) + 1.5); // a mean away from zero
        }
        Mat dy = GradCheck.random(batch * len, channels, rng, 1.0);
        Mat x32 = Mat.zeros(DataType.FLOAT, x.rows, x.cols).setAll(x.toFloatArray());
        Mat dy32 = Mat.zeros(DataType.FLOAT, dy.rows, dy.cols).setAll(dy.toFloatArray());
        for (int call = 0; call < 2; call++) {
            double[] y = n64.forward(x, batch).toDoubleArray();
            double[] y32 = n32.forward(x32, batch).toDoubleArray();
            double[] dx = n64.backward(dy, true, true).toDoubleArray();
            double[] dx32 = n32.backward(dy32, true, true).toDoubleArray();
            for (int i = 0; i < y.length; i++) {
                assertEquals(y[i], y32[i], 2e-6 * Math.max(1, Math.abs(y[i])), "y[" + i + "]");
                assertEquals(dx[i], dx32[i], 2e-6 * Math.max(1, Math.abs(dx[i])), "dx[" + i + "]");
            }
            for (int k = 0; k < 2; k++) {
                double[] g = n64.params().get(k).grad().toDoubleArray();
                double[] g32 = n32.params().get(k).grad().toDoubleArray();
                for (int i = 0; i < channels; i++) {
                    assertEquals(g[i], g32[i], 1e-5 * Math.max(1, Math.abs(g[i])), "grad " + k + "[" + i + "]");
                }
            }
        }
        n32.forward(x32, batch);
        assertEquals(null, n32.backward(dy32, true, false), "no input gradient asked for");
    }

    @Test
    void groupNorm() {
        Rng rng = new Rng(25);
        GroupNorm gn = new GroupNorm(2, 6, D);
        for (Param p : gn.params()) {
            for (int i = 0; i < p.size(); i++) {
                p.value().set(i, 1 + 0.3 * rng.nextGaussian());
            }
        }
        check("group_norm", gn, 3, 4, rng);
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(8, 12, D));
    }

    @Test
    void mish() {
        Rng rng = new Rng(26);
        check("mish", new Mish(5, D), 2, 3, rng);
        for (double x : new double[]{-30, -3, -0.5, 0, 0.7, 4, 19.9, 25}) {
            double ref = x * Math.tanh(Math.log1p(Math.exp(x)));
            assertEquals(ref, Mish.value(x), 1e-12 * Math.max(1, Math.abs(x)), "mish(" + x + ")");
        }
    }

    /** The float32 path (the vectorised kernel) against the float64 definition, and its derivative. */
    @Test
    void mishFloat32() {
        Rng rng = new Rng(29);
        int n = 4000;
        Mat x = Mat.zeros(DataType.FLOAT, 1, n);
        for (int i = 0; i < n; i++) {
            x.set(i, (i < 10 ? -90 + 12 * i : 8 * rng.nextGaussian())); // includes the far tails and > 20
        }
        x.hostWritten();
        Mish m = new Mish(n, DataType.FLOAT);
        Mat y = m.forward(x, 1);
        Mat ones = Mat.zeros(DataType.FLOAT, 1, n).fill(1.0);
        Mat d = m.backward(ones, false, true);
        for (int i = 0; i < n; i++) {
            double v = x.get(i);
            double ref = v * Math.tanh(Math.log1p(Math.exp(v)));
            assertEquals(ref, y.get(i), 3e-7 * Math.max(1e-3, Math.abs(ref)) + 1e-30, "mish(" + v + ")");
            assertEquals(Mish.derivative(v), d.get(i), 3e-7 * Math.max(1e-3, Math.abs(Mish.derivative(v))) + 1e-7,
                    "mish'(" + v + ")");
        }
        // extremes: x and 1 far above, (almost) 0 far below, NaN through
        float[] extremes = {1e30f, Float.POSITIVE_INFINITY, -1e30f, -1e6f, Float.NaN};
        Mish e = new Mish(extremes.length, DataType.FLOAT);
        Mat xe = Mat.zeros(DataType.FLOAT, 1, extremes.length).setAll(extremes);
        float[] ye = e.forward(xe, 1).toFloatArray();
        float[] de = e.backward(Mat.zeros(DataType.FLOAT, 1, extremes.length).fill(1.0), false, true).toFloatArray();
        assertEquals(1e30f, ye[0]);
        assertEquals(1f, de[0]);
        assertEquals(Float.POSITIVE_INFINITY, ye[1]);
        assertEquals(1f, de[1]);
        for (int i = 2; i <= 3; i++) {
            assertTrue(Math.abs(ye[i]) < 1e-15 && Math.abs(de[i]) < 1e-15, "mish(" + extremes[i] + ") = " + ye[i]
                    + ", derivative " + de[i]);
        }
        assertTrue(Float.isNaN(ye[4]) && Float.isNaN(de[4]), "NaN in, NaN out");
    }

    /** Conv1d and ConvTranspose1d outputs against PyTorch's definitions written as plain loops over [B, C, L]. */
    @Test
    void convolutionsMatchTheirDefinitions() {
        Rng rng = new Rng(27);
        int b = 2;
        int cin = 3;
        int cout = 2;
        int len = 7;
        for (int[] ksp : new int[][]{{5, 1, 2}, {3, 2, 1}, {1, 1, 0}, {4, 3, 0}}) {
            int k = ksp[0];
            int s = ksp[1];
            int p = ksp[2];
            Conv1d conv = new Conv1d(cin, cout, k, s, p, D, rng);
            Mat x = GradCheck.random(b * len, cin, rng, 1.0);
            Mat y = conv.forward(x, b);
            int lo = conv.outputLength(len);
            assertEquals((len + 2 * p - k) / s + 1, lo);
            Mat wt = conv.weight().value();
            for (int bb = 0; bb < b; bb++) {
                for (int t = 0; t < lo; t++) {
                    for (int o = 0; o < cout; o++) {
                        double ref = conv.bias().value().get(o);
                        for (int c = 0; c < cin; c++) {
                            for (int j = 0; j < k; j++) {
                                int src = t * s - p + j;
                                if (src >= 0 && src < len) {
                                    ref += x.get(bb * len + src, c) * wt.get(j * cin + c, o);
                                }
                            }
                        }
                        assertEquals(ref, y.get(bb * lo + t, o), 1e-12, "conv k" + k + " s" + s);
                    }
                }
            }
        }
        ConvTranspose1d up = new ConvTranspose1d(cin, cout, 4, 2, 1, D, rng);
        Mat x = GradCheck.random(b * len, cin, rng, 1.0);
        Mat y = up.forward(x, b);
        int lo = up.outputLength(len);
        assertEquals(2 * len, lo);
        Mat wt = up.weight().value();
        for (int bb = 0; bb < b; bb++) {
            for (int t = 0; t < lo; t++) {
                for (int o = 0; o < cout; o++) {
                    double ref = up.bias().value().get(o);
                    for (int i = 0; i < len; i++) {
                        int j = t - (i * 2 - 1);
                        if (j >= 0 && j < 4) {
                            for (int c = 0; c < cin; c++) {
                                ref += x.get(bb * len + i, c) * wt.get(c, j * cout + o);
                            }
                        }
                    }
                    assertEquals(ref, y.get(bb * lo + t, o), 1e-12, "conv_transpose");
                }
            }
        }
    }

    @Test
    void pytorchDefaultInitBounds() {
        Rng rng = new Rng(28);
        Conv1d conv = new Conv1d(16, 8, 5, 1, 2, D, rng);
        double bound = 1 / Math.sqrt(16 * 5);
        assertMaxAbsNear(conv.weight().value(), bound);
        ConvTranspose1d up = new ConvTranspose1d(8, 32, 4, 2, 1, D, rng);
        assertMaxAbsNear(up.weight().value(), 1 / Math.sqrt(32 * 4));
    }

    private static void assertMaxAbsNear(Mat m, double bound) {
        double max = 0;
        for (int i = 0; i < m.length(); i++) {
            max = Math.max(max, Math.abs(m.get(i)));
        }
        // enough uniform draws that the largest is within 2% of the bound
        assertEquals(bound, max, 0.02 * bound);
    }
}
