package org.armature.agents.diffusion;

import java.util.ArrayList;
import java.util.List;

import org.armature.nn.BatchBuffers;
import org.armature.nn.Conv1d;
import org.armature.nn.Kernels;
import org.armature.nn.Linear;
import org.armature.nn.Mat;
import org.armature.nn.Param;
import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Diffusion Policy's {@code ConditionalResidualBlock1D} with {@code cond_predict_scale} (Chi et al. 2023, Sec. III-B
 * and the low-dim configs): two {@link ConvNormMish} blocks; between them FiLM (Perez et al. 2018) modulates every
 * channel with a scale and a bias predicted from the global condition, {@code h ← scale[b, c] · h + bias[b, c]} for
 * all steps; the block adds a residual path, a 1x1 convolution when the channel count changes and the identity
 * otherwise.
 *
 * <p>The reference's condition encoder is {@code Mish → Linear(cond, 2 · cout)}, scale first. The Mish of the
 * condition is the same in every block of a U-Net, so this block takes the already activated condition
 * ({@code conditionFeatures}, {@code batch x condDim}) and {@link UnetDenoiser} computes it once; the gradient with
 * respect to it is {@link #conditionGrad()}. Parameter order: first block, second block, FiLM linear, residual
 * convolution (PyTorch's registration order).
 */
public final class FilmResidualBlock {

    private final int cout;
    private final ConvNormMish first;
    private final ConvNormMish second;
    private final Linear film;
    private final Conv1d residual;
    private final BatchBuffers modulated;
    private final BatchBuffers outs;
    private final BatchBuffers firstGrads;
    private final BatchBuffers filmGrads;
    private Mat lastFirst;
    private Mat lastFilm;
    private Mat lastConditionGrad;
    private int lastBatch;

    public FilmResidualBlock(int cin, int cout, int condDim, int kernel, int groups, DataType dtype, Rng rng) {
        this.cout = cout;
        this.first = new ConvNormMish(cin, cout, kernel, groups, dtype, rng);
        this.second = new ConvNormMish(cout, cout, kernel, groups, dtype, rng);
        this.film = new Linear(condDim, 2 * cout, dtype, rng);
        this.residual = cin != cout ? new Conv1d(cin, cout, 1, 1, 0, dtype, rng) : null;
        this.modulated = new BatchBuffers(dtype, cout);
        this.outs = new BatchBuffers(dtype, cout);
        this.firstGrads = new BatchBuffers(dtype, cout);
        this.filmGrads = new BatchBuffers(dtype, 2 * cout);
    }

    public int inChannels() {
        return first.inChannels();
    }

    public int outChannels() {
        return cout;
    }

    public Linear film() {
        return film;
    }

    /** The 1x1 residual convolution, or null when the block keeps its channel count (identity residual). */
    public Conv1d residual() {
        return residual;
    }

    /**
     * @param x                 {@code (batch · L) x cin}
     * @param conditionFeatures {@code batch x condDim}, the Mish of the global condition
     * @return {@code (batch · L) x cout} (a buffer owned by the block)
     */
    public Mat forward(Mat x, Mat conditionFeatures, int batch) {
        return forwardWithFilm(x, film.forward(conditionFeatures, true), batch);
    }

    /**
     * The same forward with the FiLM output {@code [scale | bias]} ({@code batch x 2·cout}) already computed: by
     * {@link #film()} on the condition features, or by a frozen {@link UnetDenoiser} from its per-step table. The
     * block keeps a reference to {@code fc} for backward.
     */
    public Mat forwardWithFilm(Mat x, Mat fc, int batch) {
        Mat h1 = first.forward(x, batch);
        int len = h1.rows / batch;
        Mat h = modulated.get(h1.rows);
        h1.toHost();
        fc.toHost();
        if (!h1.isDouble() && !fc.isDouble()) {
            modulateFloat(h1, fc, h, batch, len);
        } else {
            modulateDouble(h1, fc, h, batch, len);
        }
        h.hostWritten();
        Mat h2 = second.forward(h, batch);
        Mat y = outs.get(h2.rows);
        Mat r = residual != null ? residual.forward(x, batch) : x;
        Kernels.add(h2, r, y);
        lastFirst = h1;
        lastFilm = fc;
        lastBatch = batch;
        return y;
    }

    // float32 path: each sequence (len x cout values) on heap arrays, with the sequence's scale and bias repeated
    // per step, so that every element-wise loop reads and writes all its arrays at the same index and C2 vectorises
    // it (it does not vectorise loops over off-heap memory, nor, fearing aliasing, loops that mix h[o + c] with
    // scale[c]).
    private float[] seq = new float[0];
    private float[] seqGrad = new float[0];
    private float[] seqProduct = new float[0];
    private float[] scales = new float[0];
    private float[] biases = new float[0];
    private float[] filmRow = new float[0];
    private float[] stepRow = new float[0];

    /** Fills {@code scales}/{@code biases} with sequence b's FiLM scale and bias, repeated for each of len steps. */
    private void repeatFilm(Mat fc, int b, int len) {
        filmRow = Kernels.atLeast(filmRow, 2 * cout);
        fc.get(b * 2 * cout, filmRow, 0, 2 * cout);
        for (int t = 0; t < len; t++) {
            System.arraycopy(filmRow, 0, scales, t * cout, cout);
            System.arraycopy(filmRow, cout, biases, t * cout, cout);
        }
    }

    private void modulateFloat(Mat h1, Mat fc, Mat h, int batch, int len) {
        int m = len * cout;
        seq = Kernels.atLeast(seq, m);
        scales = Kernels.atLeast(scales, m);
        biases = Kernels.atLeast(biases, m);
        float[] v = seq;
        float[] sc = scales;
        float[] bi = biases;
        for (int b = 0; b < batch; b++) {
            h1.get(b * m, v, 0, m);
            repeatFilm(fc, b, len);
            for (int i = 0; i < m; i++) {
                v[i] = sc[i] * v[i] + bi[i];
            }
            h.put(b * m, v, 0, m);
        }
    }

    private void modulateDouble(Mat h1, Mat fc, Mat h, int batch, int len) {
        for (int b = 0; b < batch; b++) {
            int f = b * 2 * cout;
            for (int t = 0; t < len; t++) {
                int o = (b * len + t) * cout;
                for (int c = 0; c < cout; c++) {
                    h.set(o + c, fc.get(f + c) * h1.get(o + c) + fc.get(f + cout + c));
                }
            }
        }
    }

    /**
     * Back-propagates {@code dy}; the gradient w.r.t. the condition features is then {@link #conditionGrad()}.
     *
     * @return the gradient w.r.t. {@code x} (null when {@code inputGrad} is false)
     */
    public Mat backward(Mat dy, boolean paramGrads, boolean inputGrad) {
        int batch = lastBatch;
        int len = dy.rows / batch;
        Mat h1 = lastFirst;
        Mat fc = lastFilm;
        Mat dh = second.backward(dy, paramGrads, true);
        Mat dh1 = firstGrads.get(dy.rows);
        Mat dfc = filmGrads.get(batch);
        dh.toHost();
        if (!dh.isDouble() && !h1.isDouble() && !fc.isDouble()) {
            filmBackwardFloat(dh, h1, fc, dh1, dfc, batch, len);
        } else {
            filmBackwardDouble(dh, h1, fc, dh1, dfc, batch, len);
        }
        dh1.hostWritten();
        dfc.hostWritten();
        lastConditionGrad = film.backward(dfc, paramGrads, true);
        Mat dx = first.backward(dh1, paramGrads, inputGrad);
        if (residual != null) {
            Mat dr = residual.backward(dy, paramGrads, inputGrad);
            if (inputGrad) {
                Kernels.add(dx, dr, dx);
            }
        } else if (inputGrad) {
            Kernels.add(dx, dy, dx);
        }
        return dx;
    }

    /**
     * {@code dh1 = dh · scale} and, per sequence, {@code dscale[c] = Σ_t dh[t, c] · h1[t, c]}, {@code dbias[c] =
     * Σ_t dh[t, c]}: the products element-wise over the sequence, the sums over steps one step-row at a time.
     */
    private void filmBackwardFloat(Mat dh, Mat h1, Mat fc, Mat dh1, Mat dfc, int batch, int len) {
        int m = len * cout;
        seq = Kernels.atLeast(seq, m);
        seqGrad = Kernels.atLeast(seqGrad, m);
        seqProduct = Kernels.atLeast(seqProduct, m);
        scales = Kernels.atLeast(scales, m);
        biases = Kernels.atLeast(biases, m);
        stepRow = Kernels.atLeast(stepRow, 2 * cout);
        float[] v = seq;
        float[] g = seqGrad;
        float[] p = seqProduct;
        float[] sc = scales;
        float[] acc = stepRow;
        for (int b = 0; b < batch; b++) {
            dh.get(b * m, g, 0, m);
            h1.get(b * m, v, 0, m);
            repeatFilm(fc, b, len);
            for (int i = 0; i < m; i++) {
                p[i] = g[i] * v[i];
                v[i] = g[i] * sc[i];
            }
            dh1.put(b * m, v, 0, m);
            java.util.Arrays.fill(acc, 0, 2 * cout, 0f);
            for (int t = 0; t < len; t++) {
                int o = t * cout;
                for (int c = 0; c < cout; c++) {
                    acc[c] += p[o + c];            // d scale
                    acc[cout + c] += g[o + c];     // d bias
                }
            }
            dfc.put(b * 2 * cout, acc, 0, 2 * cout);
        }
    }

    private void filmBackwardDouble(Mat dh, Mat h1, Mat fc, Mat dh1, Mat dfc, int batch, int len) {
        for (int b = 0; b < batch; b++) {
            int f = b * 2 * cout;
            for (int c = 0; c < cout; c++) {
                dfc.set(f + c, 0.0);
                dfc.set(f + cout + c, 0.0);
            }
            for (int t = 0; t < len; t++) {
                int o = (b * len + t) * cout;
                for (int c = 0; c < cout; c++) {
                    double g = dh.get(o + c);
                    dh1.set(o + c, g * fc.get(f + c));
                    dfc.set(f + c, dfc.get(f + c) + g * h1.get(o + c)); // d scale
                    dfc.set(f + cout + c, dfc.get(f + cout + c) + g);   // d bias
                }
            }
        }
    }

    /** Gradient w.r.t. the condition features of the last backward ({@code batch x condDim}, the FiLM's buffer). */
    public Mat conditionGrad() {
        return lastConditionGrad;
    }

    public List<Param> params() {
        List<Param> ps = new ArrayList<>(first.params());
        ps.addAll(second.params());
        ps.addAll(film.params());
        if (residual != null) {
            ps.addAll(residual.params());
        }
        return ps;
    }
}
