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

    /**
     * One critic's share of the TD regression {@code L = sum_i (Q(s_i, a_i) - y_i)^2 / n}: accumulates its parameter
     * gradients and adds the squared errors to {@code sums[0]} and the Q values to {@code sums[1]}. {@code dq} is a
     * B x 1 scratch buffer.
     */
    public void regress(Mat obs, Mat act, Mat target, Mat dq, double n, double[] sums) {
        Mat v = forward(obs, act, true).toHost();
        for (int i = 0; i < v.rows; i++) {
            double e = v.get(i) - target.get(i);
            sums[0] += e * e;
            sums[1] += v.get(i);
            dq.set(i, 2.0 * e / n);
        }
        dq.hostWritten();
        backward(dq, true, false);
    }

    /**
     * SAC's actor objective {@code L = mean_k (alpha log pi_k - min(Q1, Q2)(s_k, a_k))} over the rows of
     * {@code observations}/{@code actions} (Haarnoja et al. 2018, Eq. 7): evaluates both critics, fills
     * {@code dLogProb} = dL/d log pi and {@code dAction} = dL/da (through the smaller critic, no critic parameter
     * gradients) and returns {@code {sum_k (alpha log pi_k - min Q), sum_k log pi_k}}. {@code dq1}/{@code dq2} are
     * n x 1 scratch buffers.
     */
    public static double[] softActorGradients(QNetwork q1, QNetwork q2, Mat observations, Mat actions, Mat logp,
                                              double alpha, Mat dq1, Mat dq2, Mat dLogProb, Mat dAction) {
        int n = observations.rows;
        Mat v1 = q1.forward(observations, actions, false).toHost();
        Mat v2 = q2.forward(observations, actions, false).toHost();
        double loss = 0;
        double sumLogp = 0;
        for (int i = 0; i < n; i++) {
            double a = v1.get(i);
            double c = v2.get(i);
            boolean first = a <= c;
            loss += alpha * logp.get(i) - Math.min(a, c);
            sumLogp += logp.get(i);
            // d/dQ of -min(Q1, Q2)/n goes to the smaller critic
            dq1.set(i, first ? -1.0 / n : 0.0);
            dq2.set(i, first ? 0.0 : -1.0 / n);
            dLogProb.set(i, alpha / n);
        }
        dq1.hostWritten();
        dq2.hostWritten();
        dLogProb.hostWritten();
        Mat g1 = q1.backward(dq1, false, true);
        dAction.copyFrom(g1);
        Mat g2 = q2.backward(dq2, false, true).toHost();
        dAction.toHost();
        for (int i = 0; i < dAction.length(); i++) {
            dAction.set(i, dAction.get(i) + g2.get(i));
        }
        dAction.hostWritten();
        return new double[]{loss, sumLogp};
    }
}
