package org.armature.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Batch-1 inference for an {@link Mlp} without ND4J op dispatch and without allocation per call, for control loops:
 * the issue measured ND4J at 62-67 µs per 17-256-256-6 call on this machine, mostly dispatch overhead. Linear layers
 * are matrix-vector products in BLAS ({@code cblas_sgemv} on a native copy of the weights: 2.4 µs for 256x256 here)
 * where the CPU backend's BLAS is reachable, else plain Java loops (C2 on JDK 17 does not vectorise them: ~17 µs
 * for 256x256); everything element-wise is plain Java over {@code float[]}. Numerically it matches the batch path to
 * float rounding (tested at 1e-5 relative).
 *
 * <p>Not thread-safe (one scratch buffer per instance); use {@link #copy()} per thread.
 */
public final class FastMlp {

    private final List<LayerSpec> specs;
    private final float[][] params; // per layer: linear -> W (in*out) then b; layer_norm -> gamma, beta
    private final float[][] scratch;
    /** Native copies of the linear weights (null when BLAS is not reachable); vectors for the products. */
    private final Mat[] nativeW;
    private final Mat inVec;
    private final Mat outVec;

    /**
     * @param specs  the layer list
     * @param values parameter arrays in {@link Mlp#params()} order (weight, bias per Linear; gamma, beta per
     *               LayerNorm), row-major
     */
    public FastMlp(List<LayerSpec> specs, List<float[]> values) {
        this.specs = List.copyOf(specs);
        List<float[]> p = new ArrayList<>();
        int k = 0;
        int width = 0;
        for (LayerSpec s : specs) {
            width = Math.max(width, Math.max(s.in(), s.out()));
            switch (s.type()) {
                case "linear" -> {
                    float[] w = values.get(k++);
                    float[] b = values.get(k++);
                    if (w.length != s.in() * s.out() || b.length != s.out()) {
                        throw new IllegalArgumentException("linear " + s.in() + "->" + s.out() + ": weight has "
                                + w.length + " values, bias " + b.length);
                    }
                    p.add(w.clone());
                    p.add(b.clone());
                }
                case "layer_norm" -> {
                    float[] g = values.get(k++);
                    float[] b = values.get(k++);
                    if (g.length != s.in() || b.length != s.in()) {
                        throw new IllegalArgumentException("layer_norm " + s.in() + ": gamma/beta have wrong size");
                    }
                    p.add(g.clone());
                    p.add(b.clone());
                }
                case "relu", "tanh", "silu", "mish", "dropout" -> {
                    p.add(null);
                    p.add(null);
                }
                default -> throw new IllegalArgumentException("FastMlp: unsupported layer '" + s.type() + "'");
            }
        }
        if (k != values.size()) {
            throw new IllegalArgumentException("FastMlp: " + values.size() + " parameter arrays given, layers use " + k);
        }
        this.params = p.toArray(new float[0][]);
        this.scratch = new float[][]{new float[width], new float[width]};
        this.nativeW = new Mat[this.specs.size()];
        if (HostBlas.AVAILABLE) {
            for (int li = 0; li < this.specs.size(); li++) {
                LayerSpec s = this.specs.get(li);
                if (s.type().equals("linear")) {
                    nativeW[li] = Mat.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, s.in(), s.out())
                            .setAll(params[2 * li]);
                }
            }
            this.inVec = Mat.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, width);
            this.outVec = Mat.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, width);
        } else {
            this.inVec = null;
            this.outVec = null;
        }
    }

    FastMlp(Mlp mlp) {
        this(mlp.layerSpecs(), values(mlp));
    }

    private static List<float[]> values(Mlp mlp) {
        List<float[]> v = new ArrayList<>();
        for (Param p : mlp.params()) {
            v.add(p.value().toFloatArray());
        }
        return v;
    }

    /** Re-copies the weights of {@code mlp} (same architecture) without allocating. */
    public void refreshFrom(Mlp mlp) {
        int pi = 0;
        List<Param> ps = mlp.params();
        for (int i = 0; i < params.length; i++) {
            if (params[i] != null) {
                Mat m = ps.get(pi++).value().toHost();
                m.get(0, params[i], 0, params[i].length);
                if (i % 2 == 0 && nativeW[i / 2] != null) {
                    nativeW[i / 2].put(0, params[i], 0, params[i].length);
                }
            }
        }
    }

    public FastMlp copy() {
        List<float[]> v = new ArrayList<>();
        for (float[] p : params) {
            if (p != null) {
                v.add(p);
            }
        }
        return new FastMlp(specs, v);
    }

    public int inputSize() {
        return specs.get(0).in();
    }

    public int outputSize() {
        return specs.get(specs.size() - 1).out();
    }

    public List<LayerSpec> layerSpecs() {
        return specs;
    }

    /** Computes the network on one input, writing {@code outputSize()} values into {@code out}. */
    public void forward(float[] x, float[] out) {
        if (x.length != inputSize()) {
            throw new IllegalArgumentException("expected an input of " + inputSize() + " values, got " + x.length);
        }
        float[] cur = x;
        int curLen = x.length;
        int which = 0;
        for (int li = 0; li < specs.size(); li++) {
            LayerSpec s = specs.get(li);
            String t = s.type();
            float[] dst = scratch[which];
            switch (t) {
                case "linear" -> {
                    float[] w = params[2 * li];
                    float[] b = params[2 * li + 1];
                    int n = s.out();
                    if (nativeW[li] != null) {
                        // y = W^T x + b with W (in x out) row-major: one sgemv on native vectors
                        inVec.put(0, cur, 0, curLen);
                        outVec.put(0, b, 0, n);
                        HostBlas.gemv(nativeW[li], true, curLen, n, inVec, outVec, 1.0, 1.0);
                        outVec.get(0, dst, 0, n);
                        curLen = n;
                        break;
                    }
                    System.arraycopy(b, 0, dst, 0, n);
                    int i = 0;
                    // four input rows per pass: a quarter of the loads/stores of dst, vectorised by the JIT
                    for (; i + 3 < curLen; i += 4) {
                        float x0 = cur[i];
                        float x1 = cur[i + 1];
                        float x2 = cur[i + 2];
                        float x3 = cur[i + 3];
                        int o0 = i * n;
                        int o1 = o0 + n;
                        int o2 = o1 + n;
                        int o3 = o2 + n;
                        for (int j = 0; j < n; j++) {
                            dst[j] += x0 * w[o0 + j] + x1 * w[o1 + j] + x2 * w[o2 + j] + x3 * w[o3 + j];
                        }
                    }
                    for (; i < curLen; i++) {
                        float xi = cur[i];
                        int o = i * n;
                        for (int j = 0; j < n; j++) {
                            dst[j] += xi * w[o + j];
                        }
                    }
                    curLen = n;
                }
                case "relu" -> {
                    for (int j = 0; j < curLen; j++) {
                        float v = cur[j];
                        dst[j] = v > 0 ? v : 0f;
                    }
                }
                case "tanh" -> {
                    for (int j = 0; j < curLen; j++) {
                        dst[j] = (float) Kernels.tanh(cur[j]);
                    }
                }
                case "silu" -> {
                    for (int j = 0; j < curLen; j++) {
                        dst[j] = (float) Activation.Kind.SILU.apply(cur[j]);
                    }
                }
                case "mish" -> {
                    for (int j = 0; j < curLen; j++) {
                        dst[j] = (float) Activation.Kind.MISH.apply(cur[j]);
                    }
                }
                case "layer_norm" -> {
                    float[] g = params[2 * li];
                    float[] b = params[2 * li + 1];
                    double mean = 0;
                    for (int j = 0; j < curLen; j++) {
                        mean += cur[j];
                    }
                    mean /= curLen;
                    double var = 0;
                    for (int j = 0; j < curLen; j++) {
                        double d = cur[j] - mean;
                        var += d * d;
                    }
                    var /= curLen;
                    double is = 1.0 / Math.sqrt(var + (s.eps() == null ? LayerNorm.DEFAULT_EPS : s.eps()));
                    for (int j = 0; j < curLen; j++) {
                        dst[j] = (float) ((cur[j] - mean) * is) * g[j] + b[j];
                    }
                }
                case "dropout" -> {
                    System.arraycopy(cur, 0, dst, 0, curLen);
                }
                default -> throw new IllegalStateException(t);
            }
            cur = dst;
            which ^= 1;
        }
        System.arraycopy(cur, 0, out, 0, curLen);
    }
}
