package org.armature.agents.diffusion;

import java.util.ArrayList;
import java.util.List;

import org.armature.nn.BatchBuffers;
import org.armature.nn.Conv1d;
import org.armature.nn.ConvTranspose1d;
import org.armature.nn.Kernels;
import org.armature.nn.Mat;
import org.armature.nn.Mish;
import org.armature.nn.Param;
import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Diffusion Policy's conditional 1-D temporal U-Net (Chi et al., RSS 2023, Sec. III-B; {@code ConditionalUnet1D}
 * of real-stanford/diffusion_policy with {@code cond_predict_scale}, the low-dim Push-T configuration), after
 * Janner et al.'s (2022) temporal U-Net:
 *
 * <ul>
 *   <li>global condition {@code c = [StepEncoder(t), observation history]} (the paper's {@code obs_as_global_cond});
 *       every residual block reads it through FiLM ({@link FilmResidualBlock});</li>
 *   <li>down path: per width {@code downDims[i]} two FiLM residual blocks, the second's output kept as a skip, then
 *       a {@code Conv1d(k 3, stride 2, pad 1)} halving the length, except at the last level;</li>
 *   <li>two middle blocks at the last width;</li>
 *   <li>up path: one level per down-sampling (the reference's {@code reversed(in_out[1:])}), each concatenating the
 *       skip of the level at its length behind the features ({@code cat((x, skip))}), two FiLM residual blocks to the
 *       next narrower width and a {@code ConvTranspose1d(k 4, stride 2, pad 1)} doubling the length; as in the
 *       reference, the first level's skip is never read;</li>
 *   <li>head: {@link ConvNormMish} at {@code downDims[0]} and a 1x1 convolution to {@code actionDim}.</li>
 * </ul>
 *
 * <p>Sequences are channels-last ({@link org.armature.nn.SequenceLayer}): the {@code B x (horizon · actionDim)}
 * action chunks are read as {@code (B · horizon) x actionDim} without a transpose. The Mish of the global
 * condition, which the reference applies in every block's condition encoder, is computed once and shared. A
 * frozen U-Net (a loaded policy) tabulates each block's FiLM output for every diffusion step and adds only the
 * observation's share at run time ({@link #freeze}).
 * Every buffer is preallocated per batch size, so after the first call a forward at a given batch size allocates
 * nothing (the batch-1 sampling loop). {@code training} has no effect (no dropout, GroupNorm has no running
 * statistics).
 */
public final class UnetDenoiser implements Denoiser {

    private final DenoiserSpec spec;
    private final int actionDim;
    private final int horizon;
    private final int conditionDim;
    private final int globalDim;
    private final int levels;
    private final StepEncoder stepEncoder;
    private final Mish conditionMish;
    private final FilmResidualBlock[] downFirst;
    private final FilmResidualBlock[] downSecond;
    private final Conv1d[] downsample;
    private final FilmResidualBlock[] mid;
    private final FilmResidualBlock[] upFirst;
    private final FilmResidualBlock[] upSecond;
    private final ConvTranspose1d[] upsample;
    private final ConvNormMish head;
    private final Conv1d out;
    private final List<Param> params;

    private final BatchBuffers sequences;
    private final BatchBuffers globalConditions;
    private final BatchBuffers outputs;
    private final BatchBuffers[] concatenations;
    private final BatchBuffers[] upstreamGrads;
    private final BatchBuffers[] skipGrads;
    private final BatchBuffers outputGrads;
    private final BatchBuffers globalGrads;
    private final BatchBuffers stepGrads;
    private final BatchBuffers actionGrads;
    private final BatchBuffers conditionGrads;
    private final FilmResidualBlock[] blocks;
    private final Mat[] films;
    private final Mish observationMish;
    private final BatchBuffers[] frozenFilms;
    private float[][] stepFilms;
    private Mat[] observationFilmWeights;
    private int frozenSteps;
    private final Mat[] skips;
    private final Mat[] lastSkipGrads;
    private int lastBatch;
    private Mat lastActionGrad;
    private Mat lastConditionGrad;

    public UnetDenoiser(DenoiserSpec spec, DataType dtype, Rng rng) {
        if (!DenoiserSpec.UNET.equals(spec.type())) {
            throw new IllegalArgumentException("UnetDenoiser needs a spec of type '" + DenoiserSpec.UNET + "', got '"
                    + spec.type() + "'");
        }
        int[] dims = spec.downDims();
        if (dims == null || dims.length == 0) {
            throw new IllegalArgumentException("UnetDenoiser needs at least one entry in downDims");
        }
        int kernel = spec.kernelSize() == null ? 5 : spec.kernelSize();
        int groups = spec.groups() == null ? 8 : spec.groups();
        this.levels = dims.length;
        int factor = 1 << (levels - 1);
        if (spec.horizon() <= 0 || spec.horizon() % factor != 0) {
            throw new IllegalArgumentException("UnetDenoiser: horizon " + spec.horizon() + " must be divisible by 2^"
                    + (levels - 1) + " = " + factor + " (" + levels + " levels in downDims, each but the last halves"
                    + " the length)");
        }
        for (int d : dims) {
            if (d <= 0 || d % groups != 0) {
                throw new IllegalArgumentException("UnetDenoiser: every width in downDims must be a positive multiple"
                        + " of the " + groups + " GroupNorm groups, got " + d);
            }
        }
        if (kernel <= 0 || kernel % 2 == 0) {
            throw new IllegalArgumentException("UnetDenoiser: kernelSize must be odd, got " + kernel);
        }
        if (spec.actionDim() <= 0 || spec.conditionDim() < 0) {
            throw new IllegalArgumentException("UnetDenoiser: actionDim must be positive and conditionDim >= 0, got "
                    + spec.actionDim() + " and " + spec.conditionDim());
        }
        this.spec = spec;
        this.actionDim = spec.actionDim();
        this.horizon = spec.horizon();
        this.conditionDim = spec.conditionDim();
        this.stepEncoder = new StepEncoder(spec.stepEmbedDim(), dtype, rng);
        this.globalDim = spec.stepEmbedDim() + conditionDim;
        this.conditionMish = new Mish(globalDim, dtype);

        List<Param> ps = new ArrayList<>(stepEncoder.params());
        downFirst = new FilmResidualBlock[levels];
        downSecond = new FilmResidualBlock[levels];
        downsample = new Conv1d[levels - 1];
        int cin = actionDim;
        for (int i = 0; i < levels; i++) {
            downFirst[i] = new FilmResidualBlock(cin, dims[i], globalDim, kernel, groups, dtype, rng);
            downSecond[i] = new FilmResidualBlock(dims[i], dims[i], globalDim, kernel, groups, dtype, rng);
            ps.addAll(downFirst[i].params());
            ps.addAll(downSecond[i].params());
            if (i < levels - 1) {
                downsample[i] = new Conv1d(dims[i], dims[i], 3, 2, 1, dtype, rng); // Downsample1d
                ps.addAll(downsample[i].params());
            }
            cin = dims[i];
        }
        int widest = dims[levels - 1];
        mid = new FilmResidualBlock[]{
                new FilmResidualBlock(widest, widest, globalDim, kernel, groups, dtype, rng),
                new FilmResidualBlock(widest, widest, globalDim, kernel, groups, dtype, rng)};
        ps.addAll(mid[0].params());
        ps.addAll(mid[1].params());
        upFirst = new FilmResidualBlock[levels - 1];
        upSecond = new FilmResidualBlock[levels - 1];
        upsample = new ConvTranspose1d[levels - 1];
        concatenations = new BatchBuffers[levels - 1];
        upstreamGrads = new BatchBuffers[levels - 1];
        skipGrads = new BatchBuffers[levels - 1];
        for (int u = 0; u < levels - 1; u++) {
            int level = levels - 1 - u;   // the skip this up level reads (same length as its input)
            int wide = dims[level];
            int narrow = dims[level - 1];
            upFirst[u] = new FilmResidualBlock(2 * wide, narrow, globalDim, kernel, groups, dtype, rng);
            upSecond[u] = new FilmResidualBlock(narrow, narrow, globalDim, kernel, groups, dtype, rng);
            upsample[u] = new ConvTranspose1d(narrow, narrow, 4, 2, 1, dtype, rng); // Upsample1d
            ps.addAll(upFirst[u].params());
            ps.addAll(upSecond[u].params());
            ps.addAll(upsample[u].params());
            concatenations[u] = new BatchBuffers(dtype, 2 * wide);
            upstreamGrads[u] = new BatchBuffers(dtype, wide);
            skipGrads[u] = new BatchBuffers(dtype, wide);
        }
        head = new ConvNormMish(dims[0], dims[0], kernel, groups, dtype, rng);
        out = new Conv1d(dims[0], actionDim, 1, 1, 0, dtype, rng);
        ps.addAll(head.params());
        ps.addAll(out.params());
        this.params = List.copyOf(ps);

        sequences = new BatchBuffers(dtype, actionDim);
        globalConditions = new BatchBuffers(dtype, globalDim);
        outputs = new BatchBuffers(dtype, horizon * actionDim);
        outputGrads = new BatchBuffers(dtype, actionDim);
        globalGrads = new BatchBuffers(dtype, globalDim);
        stepGrads = new BatchBuffers(dtype, spec.stepEmbedDim());
        actionGrads = new BatchBuffers(dtype, horizon * actionDim);
        conditionGrads = new BatchBuffers(dtype, Math.max(1, conditionDim));
        skips = new Mat[levels];
        lastSkipGrads = new Mat[levels];
        List<FilmResidualBlock> all = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            all.add(downFirst[i]);
            all.add(downSecond[i]);
        }
        all.addAll(List.of(mid));
        for (int u = 0; u < levels - 1; u++) {
            all.add(upFirst[u]);
            all.add(upSecond[u]);
        }
        blocks = all.toArray(new FilmResidualBlock[0]);
        films = new Mat[blocks.length];
        observationMish = new Mish(Math.max(1, conditionDim), dtype);
        frozenFilms = new BatchBuffers[blocks.length];
        for (int j = 0; j < blocks.length; j++) {
            frozenFilms[j] = new BatchBuffers(dtype, 2 * blocks[j].outChannels());
        }
    }

    @Override
    public int actionDim() {
        return actionDim;
    }

    @Override
    public int horizon() {
        return horizon;
    }

    @Override
    public int conditionDim() {
        return conditionDim;
    }

    @Override
    public void freeze(int trainSteps) {
        stepEncoder.freeze(trainSteps);
        // FiLM is linear in the Mish of [step features, observation history], and Mish acts element-wise, so each
        // block's [scale | bias] = b + W_step^T mish(step features) + W_obs^T mish(observation): the first two
        // terms depend on the step alone and are tabulated here; a forward then adds the (small) observation term.
        int n = Math.min(trainSteps, StepEncoder.TABLE_STEPS);
        int stepDim = stepEncoder.dim();
        int[] steps = new int[n];
        for (int t = 0; t < n; t++) {
            steps[t] = t;
        }
        float[] stepFeatures = stepEncoder.forward(steps, n).toFloatArray();
        double[] activated = new double[stepFeatures.length];
        for (int i = 0; i < activated.length; i++) {
            activated[i] = Mish.value(stepFeatures[i]);
        }
        stepFilms = new float[blocks.length][];
        observationFilmWeights = new Mat[blocks.length];
        for (int j = 0; j < blocks.length; j++) {
            float[] w = blocks[j].film().weight().value().toFloatArray(); // globalDim x 2·cout, row-major
            float[] b = blocks[j].film().bias().value().toFloatArray();
            int width = b.length;
            float[] table = new float[n * width];
            double[] acc = new double[width];
            for (int t = 0; t < n; t++) {
                for (int o = 0; o < width; o++) {
                    acc[o] = b[o];
                }
                for (int k = 0; k < stepDim; k++) {
                    double a = activated[t * stepDim + k];
                    int row = k * width;
                    for (int o = 0; o < width; o++) {
                        acc[o] += a * w[row + o];
                    }
                }
                for (int o = 0; o < width; o++) {
                    table[t * width + o] = (float) acc[o];
                }
            }
            stepFilms[j] = table;
            if (conditionDim > 0) {
                Mat obs = Mat.zeros(blocks[j].film().weight().value().dataType(), conditionDim, width);
                float[] rows = new float[conditionDim * width];
                System.arraycopy(w, stepDim * width, rows, 0, rows.length);
                observationFilmWeights[j] = obs.setAll(rows);
            }
        }
        frozenSteps = n;
    }

    /** Every block's FiLM output for this forward, into {@link #films}: from the tables when frozen. */
    private void computeFilms(int[] steps, Mat condition, int batch) {
        boolean tabulated = frozenSteps > 0;
        for (int b = 0; b < batch && tabulated; b++) {
            tabulated = steps[b] >= 0 && steps[b] < frozenSteps;
        }
        if (!tabulated) {
            Mat stepFeatures = stepEncoder.forward(steps, batch);
            Mat global = globalConditions.get(batch);
            Kernels.copyColumns(stepFeatures, global, 0);
            Kernels.copyColumns(condition, global, stepFeatures.cols);
            Mat cond = conditionMish.forward(global, batch);
            for (int j = 0; j < blocks.length; j++) {
                films[j] = blocks[j].film().forward(cond, true);
            }
            return;
        }
        Mat obs = conditionDim > 0 ? observationMish.forward(condition, batch) : null;
        for (int j = 0; j < blocks.length; j++) {
            Mat fc = frozenFilms[j].get(batch).toHost();
            int width = fc.cols;
            for (int b = 0; b < batch; b++) {
                fc.put(b * width, stepFilms[j], steps[b] * width, width);
            }
            fc.hostWritten();
            if (obs != null) {
                Mat.gemm(obs, false, observationFilmWeights[j], false, fc, 1.0, 1.0);
            }
            films[j] = fc;
        }
    }

    @Override
    public DenoiserSpec spec() {
        return spec;
    }

    @Override
    public List<Param> params() {
        return params;
    }

    @Override
    public Mat forward(Mat noisyActions, int[] steps, Mat condition, boolean training) {
        int batch = noisyActions.rows;
        if (noisyActions.cols != horizon * actionDim || condition.rows != batch || condition.cols != conditionDim
                || steps.length < batch) {
            throw new IllegalArgumentException("UnetDenoiser expects actions B x " + horizon * actionDim
                    + ", B steps and condition B x " + conditionDim + ", got " + noisyActions.rows + "x"
                    + noisyActions.cols + ", " + steps.length + " steps, " + condition.rows + "x" + condition.cols);
        }
        Mat x = sequences.get(batch * horizon);
        copyFlat(noisyActions, x);
        computeFilms(steps, condition, batch);

        Mat h = x;
        int j = 0; // blocks in forward order, as in the constructor
        for (int i = 0; i < levels; i++) {
            h = downFirst[i].forwardWithFilm(h, films[j++], batch);
            h = downSecond[i].forwardWithFilm(h, films[j++], batch);
            skips[i] = h;
            if (i < levels - 1) {
                h = downsample[i].forward(h, batch);
            }
        }
        h = mid[0].forwardWithFilm(h, films[j++], batch);
        h = mid[1].forwardWithFilm(h, films[j++], batch);
        for (int u = 0; u < levels - 1; u++) {
            Mat skip = skips[levels - 1 - u];
            Mat cat = concatenations[u].get(h.rows);
            Kernels.copyColumns(h, cat, 0);
            Kernels.copyColumns(skip, cat, h.cols);
            h = upFirst[u].forwardWithFilm(cat, films[j++], batch);
            h = upSecond[u].forwardWithFilm(h, films[j++], batch);
            h = upsample[u].forward(h, batch);
        }
        h = out.forward(head.forward(h, batch), batch);
        Mat y = outputs.get(batch);
        copyFlat(h, y);
        lastBatch = batch;
        return y;
    }

    @Override
    public void backward(Mat dEps) {
        if (frozenSteps > 0) {
            throw new IllegalStateException("the U-Net is frozen (a loaded policy); it does not train");
        }
        int batch = lastBatch;
        Mat d = outputGrads.get(batch * horizon);
        copyFlat(dEps, d);
        d = head.backward(out.backward(d, true, true), true, true);
        Mat dCond = globalGrads.get(batch);
        dCond.fill(0.0);
        for (int u = levels - 2; u >= 0; u--) {
            d = upsample[u].backward(d, true, true);
            d = upSecond[u].backward(d, true, true);
            accumulate(dCond, upSecond[u].conditionGrad());
            d = upFirst[u].backward(d, true, true);
            accumulate(dCond, upFirst[u].conditionGrad());
            int wide = d.cols / 2;
            Mat dUp = upstreamGrads[u].get(d.rows);
            Mat dSkip = skipGrads[u].get(d.rows);
            Kernels.sliceColumns(d, 0, dUp);
            Kernels.sliceColumns(d, wide, dSkip);
            lastSkipGrads[levels - 1 - u] = dSkip;
            d = dUp;
        }
        d = mid[1].backward(d, true, true);
        accumulate(dCond, mid[1].conditionGrad());
        d = mid[0].backward(d, true, true);
        accumulate(dCond, mid[0].conditionGrad());
        for (int i = levels - 1; i >= 0; i--) {
            if (i < levels - 1) {
                d = downsample[i].backward(d, true, true);
            }
            if (i >= 1) {
                Kernels.add(d, lastSkipGrads[i], d); // the skip's gradient joins the down path's
            }
            d = downSecond[i].backward(d, true, true);
            accumulate(dCond, downSecond[i].conditionGrad());
            d = downFirst[i].backward(d, true, true);
            accumulate(dCond, downFirst[i].conditionGrad());
        }
        lastActionGrad = actionGrads.get(batch);
        copyFlat(d, lastActionGrad);
        Mat dGlobal = conditionMish.backward(dCond, true, true);
        int stepDim = stepEncoder.dim();
        Mat dStep = stepGrads.get(batch);
        Kernels.sliceColumns(dGlobal, 0, dStep);
        stepEncoder.backward(dStep);
        lastConditionGrad = conditionGrads.get(batch);
        if (conditionDim > 0) {
            Kernels.sliceColumns(dGlobal, stepDim, lastConditionGrad);
        }
    }

    /** Gradient w.r.t. the noisy actions of the last backward, {@code B x (horizon · actionDim)}. */
    public Mat noisyActionGrad() {
        return lastActionGrad;
    }

    /** Gradient w.r.t. the condition of the last backward, {@code B x conditionDim}. */
    public Mat conditionGrad() {
        return lastConditionGrad;
    }

    /** Copies all elements of {@code src} into {@code dst} in row-major order (same length, any shapes). */
    private static void copyFlat(Mat src, Mat dst) {
        if (src.length() != dst.length()) {
            throw new IllegalArgumentException("copy of " + src + " into " + dst);
        }
        src.toHost();
        dst.toHost();
        int n = src.length();
        for (int i = 0; i < n; i++) {
            dst.set(i, src.get(i));
        }
        dst.hostWritten();
    }

    private static void accumulate(Mat acc, Mat g) {
        Kernels.add(acc, g, acc);
    }
}
