package org.armature.nn;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Deterministic tanh head scaled to the action box, {@code a = tanh(x) * scale + center} (TD3's actor output,
 * Fujimoto et al. 2018, as in CleanRL td3_continuous_action.py).
 */
public final class DeterministicHead {

    private final int actionDim;
    private final double[] scale;
    private final double[] center;
    private final BatchBuffers actions;
    private final BatchBuffers inGrads;
    private Mat lastAction;

    public DeterministicHead(float[] low, float[] high, DataType dtype) {
        this.actionDim = low.length;
        this.scale = new double[actionDim];
        this.center = new double[actionDim];
        for (int j = 0; j < actionDim; j++) {
            scale[j] = (high[j] - (double) low[j]) / 2.0;
            center[j] = (high[j] + (double) low[j]) / 2.0;
            if (!(scale[j] > 0) || Double.isInfinite(scale[j])) {
                throw new IllegalArgumentException("tanh head needs a bounded action box, dim " + j + " is ["
                        + low[j] + ", " + high[j] + "]");
            }
        }
        this.actions = new BatchBuffers(dtype, actionDim);
        this.inGrads = new BatchBuffers(dtype, actionDim);
    }

    public int actionDim() {
        return actionDim;
    }

    public double scale(int j) {
        return scale[j];
    }

    public Mat forward(Mat in) {
        int rows = in.rows;
        Mat act = actions.get(rows);
        in.toHost();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < actionDim; j++) {
                int k = r * actionDim + j;
                act.set(k, Kernels.tanh(in.get(k)) * scale[j] + center[j]);
            }
        }
        lastAction = act;
        return act.hostWritten();
    }

    /** Gradient w.r.t. the head input for upstream {@code dAction}, for the last forward. */
    public Mat backward(Mat dAction) {
        int rows = dAction.rows;
        Mat dIn = inGrads.get(rows);
        dAction.toHost();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < actionDim; j++) {
                int k = r * actionDim + j;
                double t = (lastAction.get(k) - center[j]) / scale[j];
                dIn.set(k, dAction.get(k) * scale[j] * (1.0 - t * t));
            }
        }
        return dIn.hostWritten();
    }

    public void forward(float[] in, float[] out) {
        for (int j = 0; j < actionDim; j++) {
            out[j] = (float) (Kernels.tanh(in[j]) * scale[j] + center[j]);
        }
    }
}
