package org.armature.agents.diffusion;

import java.util.ArrayList;
import java.util.List;

import org.armature.nn.Activation;
import org.armature.nn.BatchBuffers;
import org.armature.nn.Kernels;
import org.armature.nn.LayerNorm;
import org.armature.nn.Linear;
import org.armature.nn.Mat;
import org.armature.nn.Mlp;
import org.armature.nn.Param;
import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The MLP denoiser of DPPO (Ren et al. 2024) and DSRL (Wagenmaker et al. 2025): the flattened noisy chunk, the
 * encoded diffusion step and the observation condition are concatenated and mapped to a hidden width, then
 * {@code blocks} pre-LayerNorm residual blocks {@code h ← h + W₂ Mish(W₁ LN(h))} (He et al. 2016; Xiong et al. 2020's
 * pre-LN placement) and a {@code LN → Mish → Linear} head back to the chunk's size.
 */
public final class MlpDenoiser implements Denoiser {

    private final DenoiserSpec spec;
    private final int chunk;
    private final StepEncoder steps;
    private final Linear input;
    private final Mlp[] blocks;
    private final Mlp head;
    private final BatchBuffers inputs;
    private final BatchBuffers[] hidden;
    private final BatchBuffers[] hiddenGrads;
    private final BatchBuffers stepGrads;
    private final List<Param> params;
    private int lastBatch;

    public MlpDenoiser(DenoiserSpec spec, DataType dtype, Rng rng) {
        if (!DenoiserSpec.MLP.equals(spec.type())) {
            throw new IllegalArgumentException("MlpDenoiser needs a spec of type mlp, got " + spec.type());
        }
        if (spec.hidden() == null || spec.hidden() < 1 || spec.blocks() == null || spec.blocks() < 0) {
            throw new IllegalArgumentException("mlp denoiser needs hidden >= 1 and blocks >= 0, got " + spec.hidden()
                    + " and " + spec.blocks());
        }
        this.spec = spec;
        this.chunk = spec.horizon() * spec.actionDim();
        int h = spec.hidden();
        this.steps = new StepEncoder(spec.stepEmbedDim(), dtype, rng);
        this.input = new Linear(chunk + spec.stepEmbedDim() + spec.conditionDim(), h, dtype, rng);
        this.blocks = new Mlp[spec.blocks()];
        this.hidden = new BatchBuffers[spec.blocks()];
        this.hiddenGrads = new BatchBuffers[spec.blocks()];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = new Mlp(List.of(new LayerNorm(h, LayerNorm.DEFAULT_EPS, dtype), new Linear(h, h, dtype, rng),
                    new Activation(Activation.Kind.MISH, h, dtype), new Linear(h, h, dtype, rng)), dtype);
            hidden[i] = new BatchBuffers(dtype, h);
            hiddenGrads[i] = new BatchBuffers(dtype, h);
        }
        this.head = new Mlp(List.of(new LayerNorm(h, LayerNorm.DEFAULT_EPS, dtype),
                new Activation(Activation.Kind.MISH, h, dtype), new Linear(h, chunk, dtype, rng)), dtype);
        this.inputs = new BatchBuffers(dtype, input.inputSize());
        this.stepGrads = new BatchBuffers(dtype, spec.stepEmbedDim());
        List<Param> ps = new ArrayList<>(steps.params());
        ps.addAll(input.params());
        for (Mlp b : blocks) {
            ps.addAll(b.params());
        }
        ps.addAll(head.params());
        this.params = List.copyOf(ps);
    }

    @Override
    public int actionDim() {
        return spec.actionDim();
    }

    @Override
    public int horizon() {
        return spec.horizon();
    }

    @Override
    public int conditionDim() {
        return spec.conditionDim();
    }

    @Override
    public Mat forward(Mat x, int[] t, Mat cond, boolean training) {
        int n = x.rows;
        if (x.cols != chunk || cond.cols != spec.conditionDim() || cond.rows != n || t.length < n) {
            throw new IllegalArgumentException("denoiser expects " + chunk + " chunk values and " + spec.conditionDim()
                    + " condition values per row, got " + x.cols + " and " + cond.cols);
        }
        lastBatch = n;
        Mat in = inputs.get(n);
        Kernels.copyColumns(x, in, 0);
        Kernels.copyColumns(steps.forward(t, n), in, chunk);
        Kernels.copyColumns(cond, in, chunk + spec.stepEmbedDim());
        Mat h = input.forward(in, training);
        for (int i = 0; i < blocks.length; i++) {
            Mat r = blocks[i].forward(h, training);
            Mat next = hidden[i].get(n);
            Kernels.add(h, r, next);
            h = next;
        }
        return head.forward(h, training);
    }

    @Override
    public void backward(Mat dEps) {
        Mat dh = head.backward(dEps, true, true);
        for (int i = blocks.length - 1; i >= 0; i--) {
            Mat dr = blocks[i].backward(dh, true, true);
            Mat prev = hiddenGrads[i].get(lastBatch);
            Kernels.add(dh, dr, prev);
            dh = prev;
        }
        Mat dIn = input.backward(dh, true, true);
        Mat dStep = stepGrads.get(lastBatch);
        Kernels.sliceColumns(dIn, chunk, dStep);
        steps.backward(dStep);
    }

    @Override
    public List<Param> params() {
        return params;
    }

    @Override
    public void freeze(int trainSteps) {
        steps.freeze(trainSteps);
    }

    @Override
    public DenoiserSpec spec() {
        return spec;
    }
}
