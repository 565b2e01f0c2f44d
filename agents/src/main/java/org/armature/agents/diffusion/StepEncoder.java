package org.armature.agents.diffusion;

import java.util.List;

import org.armature.nn.Activation;
import org.armature.nn.BatchBuffers;
import org.armature.nn.Linear;
import org.armature.nn.Mat;
import org.armature.nn.Mlp;
import org.armature.nn.Param;
import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Diffusion-step encoder of both denoisers: the transformer's sinusoidal position embedding of the integer step
 * (Vaswani et al. 2017; {@code [sin(t f_k), cos(t f_k)]}, {@code f_k = 10000^(−k / (d/2 − 1))}, as Diffusion Policy's
 * {@code SinusoidalPosEmb}) followed by {@code Linear(d, 4d) → Mish → Linear(4d, d)}.
 */
public final class StepEncoder {

    private final int dim;
    private final double[] freq;
    private final Mlp mlp;
    private final BatchBuffers embeddings;
    /** Sinusoidal embeddings of steps 0..{@value #TABLE_STEPS}−1, computed once (rows copied per batch). */
    private final float[] table;
    static final int TABLE_STEPS = 1024;

    public StepEncoder(int dim, DataType dtype, Rng rng) {
        if (dim < 4 || dim % 2 != 0) {
            throw new IllegalArgumentException("step embedding size must be even and >= 4, got " + dim);
        }
        this.dim = dim;
        int half = dim / 2;
        this.freq = new double[half];
        for (int k = 0; k < half; k++) {
            freq[k] = Math.exp(-Math.log(10000.0) * k / (half - 1));
        }
        this.mlp = new Mlp(List.of(new Linear(dim, 4 * dim, dtype, rng),
                new Activation(Activation.Kind.MISH, 4 * dim, dtype),
                new Linear(4 * dim, dim, dtype, rng)), dtype);
        this.embeddings = new BatchBuffers(dtype, dim);
        this.table = new float[TABLE_STEPS * dim];
        for (int t = 0; t < TABLE_STEPS; t++) {
            for (int k = 0; k < half; k++) {
                double angle = t * freq[k];
                table[t * dim + k] = (float) Math.sin(angle);
                table[t * dim + half + k] = (float) Math.cos(angle);
            }
        }
    }

    public int dim() {
        return dim;
    }

    /**
     * Marks the weights final (a loaded policy): the encoder then computes the output of every step below
     * {@code trainSteps} once, and {@link #forward} copies rows of that table instead of running the MLP. Sampling
     * evaluates the same few steps for every chunk, so this removes the encoder's products from inference.
     */
    public void freeze(int trainSteps) {
        int n = Math.min(trainSteps, TABLE_STEPS);
        int[] all = new int[n];
        for (int t = 0; t < n; t++) {
            all[t] = t;
        }
        Mat out = forwardMlp(all, n);
        frozen = out.toHost().toFloatArray();
        frozenSteps = n;
        frozenOut = new BatchBuffers(out.dataType(), dim);
    }

    private float[] frozen;
    private int frozenSteps;
    private BatchBuffers frozenOut;

    /** Encoded steps, {@code steps.length x dim} (a buffer owned by the encoder). */
    public Mat forward(int[] steps, int batch) {
        if (frozen != null) {
            Mat out = frozenOut.get(batch).toHost();
            boolean all = true;
            for (int b = 0; b < batch; b++) {
                all &= steps[b] >= 0 && steps[b] < frozenSteps;
            }
            if (all) {
                for (int b = 0; b < batch; b++) {
                    out.put(b * dim, frozen, steps[b] * dim, dim);
                }
                return out.hostWritten();
            }
        }
        return forwardMlp(steps, batch);
    }

    private Mat forwardMlp(int[] steps, int batch) {
        Mat e = embeddings.get(batch).toHost();
        int half = dim / 2;
        for (int b = 0; b < batch; b++) {
            int t = steps[b];
            if (t >= 0 && t < TABLE_STEPS && !e.isDouble()) {
                e.put(b * dim, table, t * dim, dim);
                continue;
            }
            for (int k = 0; k < half; k++) {
                double angle = t * freq[k];
                e.set(b * dim + k, Math.sin(angle));
                e.set(b * dim + half + k, Math.cos(angle));
            }
        }
        e.hostWritten();
        return mlp.forward(e, true);
    }

    /** Accumulates parameter gradients for {@code dOut}, the gradient w.r.t. the last forward's output. */
    public void backward(Mat dOut) {
        if (frozen != null) {
            throw new IllegalStateException("the step encoder is frozen (a loaded policy); it does not train");
        }
        mlp.backward(dOut, true, false);
    }

    public List<Param> params() {
        return mlp.params();
    }
}
