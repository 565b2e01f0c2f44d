package org.armature.agents;

import org.armature.nn.Rng;

/**
 * What every policy loaded from a bundle shares ({@link BundlePolicy}, the diffusion policy): the bundle's spaces and
 * time layout; the observation history, each observation normalised as the bundle says and stacked as the newest of
 * {@code observationHistory} frames (oldest first) at the start of the input, an episode's first observation filling
 * every frame as Diffusion Policy pads, so MLP and diffusion policies see exactly the inputs their training windows
 * had; the map of the network's [−1, 1] actions to env units; and the queue of the
 * {@code executedChunk} actions still to play (from index {@code chunkStart} of the chunk), the last one held until
 * the next decision, {@code interval} control steps after the last. Not thread-safe: one instance per control thread.
 */
public abstract class LoadedPolicy implements Policy {

    protected final PolicyBundles.Spec spec;
    protected final int obsDim;
    protected final int actDim;
    protected final int history;
    protected final int predicted;
    protected final int executed;
    protected final int start;
    /** Control steps per decision: the executed actions, then the last one held. */
    private final int interval;
    protected final double[] scale;
    protected final double[] center;
    /** The observation frames, then what else the network takes (a residual network's base action). */
    protected final float[] input;
    private final PolicyBundles.Normalization normalization;
    private final float[][] queue;
    private int queued;
    private int next;
    private int pushed;
    /** The episode's random stream (sampling, a sampler's noise), seeded by {@link #reset}. */
    protected Rng rng = new Rng(0);

    protected LoadedPolicy(PolicyBundles.Spec spec, int inputSize, int interval) {
        this.spec = spec;
        this.obsDim = spec.observationSpace().low().length;
        this.actDim = spec.actionSpace().low().length;
        this.history = spec.history();
        this.predicted = spec.predictedChunk();
        this.executed = spec.executed();
        this.start = spec.start();
        this.interval = interval;
        this.scale = new double[actDim];
        this.center = new double[actDim];
        // a = center + scale · u from the network's [−1, 1]: the action space's box, or the dataset's action range
        // for a min–max normalised bundle (a dimension of zero range passes through unscaled, as the training data)
        PolicyBundles.Normalization n = spec.actionNormalization();
        for (int j = 0; j < actDim; j++) {
            float lo = n != null ? n.low()[j] : spec.actionSpace().low()[j];
            float hi = n != null ? n.high()[j] : spec.actionSpace().high()[j];
            double half = (hi - (double) lo) / 2;
            scale[j] = n != null && !(half > 0) ? 1 : half;
            center[j] = (hi + (double) lo) / 2;
        }
        this.input = new float[inputSize];
        this.normalization = spec.observationNormalization();
        this.queue = new float[predicted][actDim];
    }

    /** Predicts a chunk from {@link #input}. */
    protected abstract void forward();

    /** Action {@code c} of the last predicted chunk, in env units. */
    protected abstract void chunkAction(int c, float[] action);

    public PolicyBundles.Spec spec() {
        return spec;
    }

    @Override
    public int observationDim() {
        return obsDim;
    }

    @Override
    public int actionDim() {
        return actDim;
    }

    @Override
    public int observationHistory() {
        return history;
    }

    @Override
    public int chunkLength() {
        return predicted;
    }

    @Override
    public int executedChunk() {
        return executed;
    }

    @Override
    public int chunkStart() {
        return start;
    }

    @Override
    public void observe(float[] observation) {
        pushObservation(observation);
    }

    @Override
    public void reset(long seed) {
        rng = new Rng(seed);
        queued = 0;
        next = 0;
        pushed = 0;
    }

    /** Shifts the frames of {@link #input} one frame older and normalises {@code observation} in as the newest. */
    protected void pushObservation(float[] observation) {
        if (observation.length != obsDim) {
            throw new IllegalArgumentException("policy expects observations of " + obsDim + " values, got "
                    + observation.length);
        }
        int newest = (history - 1) * obsDim;
        if (history > 1) {
            System.arraycopy(input, obsDim, input, 0, newest);
        }
        for (int i = 0; i < obsDim; i++) {
            input[newest + i] = (float) BundlePolicy.normalize(normalization, i, observation[i]);
        }
        if (pushed == 0) {
            for (int f = 0; f < history - 1; f++) {
                System.arraycopy(input, newest, input, f * obsDim, obsDim);
            }
        }
        pushed++;
    }

    @Override
    public void act(float[] observation, float[] action) {
        pushObservation(observation);
        if (next == queued) { // the queue ran out: decide again
            forward();
            for (int c = 0; c < executed; c++) {
                chunkAction(start + c, queue[c]);
            }
            queued = interval;
            next = 0;
        }
        System.arraycopy(queue[Math.min(next++, executed - 1)], 0, action, 0, actDim);
    }

    @Override
    public float[][] actChunk(float[] observation) {
        pushObservation(observation);
        forward();
        return wholeChunk();
    }

    /** Every action of the last predicted chunk, in env units. */
    protected float[][] wholeChunk() {
        float[][] chunk = new float[predicted][actDim];
        for (int c = 0; c < predicted; c++) {
            chunkAction(c, chunk[c]);
        }
        return chunk;
    }
}
