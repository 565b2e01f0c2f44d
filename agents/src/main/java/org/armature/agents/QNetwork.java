package org.armature.agents;

import org.armature.nn.Kernels;
import org.armature.nn.Mat;
import org.armature.nn.Mlp;
import org.armature.nn.MlpSpec;
import org.armature.nn.Param;
import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;

/** State-action value network {@code Q(s, a) = mlp([s, a])}, with preallocated input and gradient buffers. */
public final class QNetwork {

    private final Mlp mlp;
    private final int obsDim;
    private final int actDim;
    private final DataType dtype;
    private Mat input;
    private Mat dAction;
    /** Buffers of another batch size (sequence learners alternate B and B x J rows), kept to avoid reallocation. */
    private Mat otherInput;
    private Mat otherDAction;

    public QNetwork(int obsDim, int actDim, int[] hidden, String activation, boolean layerNorm, double dropout,
                    DataType dtype, Rng rng) {
        this.obsDim = obsDim;
        this.actDim = actDim;
        this.dtype = dtype;
        this.mlp = Mlp.build(new MlpSpec(obsDim + actDim, hidden, 1, activation, layerNorm, dropout), dtype, rng);
    }

    public Mlp mlp() {
        return mlp;
    }

    public List<Param> params() {
        return mlp.params();
    }

    /** Q values ({@code B x 1}, owned by the network) for a batch of observations and actions. */
    public Mat forward(Mat obs, Mat act, boolean training) {
        int b = obs.rows;
        if (input == null || input.rows != b) {
            Mat i = input;
            Mat d = dAction;
            if (otherInput != null && otherInput.rows == b) {
                input = otherInput;
                dAction = otherDAction;
            } else {
                input = Mat.zeros(dtype, b, obsDim + actDim);
                dAction = Mat.zeros(dtype, b, actDim);
            }
            otherInput = i;
            otherDAction = d;
        }
        Kernels.copyColumns(obs, input, 0);
        Kernels.copyColumns(act, input, obsDim);
        return mlp.forward(input, training);
    }

    /**
     * Back-propagates {@code dq} ({@code B x 1}) through the last forward.
     *
     * @param paramGrads accumulate parameter gradients
     * @param wantAction return dQ/da ({@code B x actDim}, owned by the network), else null
     */
    public Mat backward(Mat dq, boolean paramGrads, boolean wantAction) {
        Mat dIn = mlp.backward(dq, paramGrads, wantAction);
        if (!wantAction) {
            return null;
        }
        Kernels.sliceColumns(dIn, obsDim, dAction);
        return dAction;
    }
}
