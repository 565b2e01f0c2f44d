package org.armature.offline.algo;

import java.util.List;

import org.armature.agents.Policy;
import org.armature.nn.FastMlp;
import org.armature.nn.Kernels;
import org.armature.nn.LayerSpec;

/**
 * The deterministic policy of an offline actor for evaluation: normalise the observation, run the actor network
 * (plain Java, batch 1), squash its first {@code actionDim} outputs with tanh and map [−1, 1] to the action box.
 */
public final class ActorPolicy implements Policy {

    private final FastMlp net;
    private final Normalization norm;
    private final int od;
    private final int ad;
    private final float[] x;
    private final float[] out;
    private final float[] unit;

    public ActorPolicy(List<LayerSpec> layers, List<float[]> weights, Normalization norm) {
        this.net = new FastMlp(layers, weights);
        this.norm = norm;
        this.od = norm.observationMean().length;
        this.ad = norm.actionCenter().length;
        this.x = new float[od];
        this.out = new float[net.outputSize()];
        this.unit = new float[ad];
    }

    @Override
    public float[] act(float[] observation) {
        norm.observation(observation, 0, x, 0);
        net.forward(x, out);
        for (int j = 0; j < ad; j++) {
            unit[j] = (float) Kernels.tanh(out[j]);
        }
        float[] a = new float[ad];
        norm.unscaleAction(unit, a);
        return a;
    }

    @Override
    public int observationDim() {
        return od;
    }

    @Override
    public int actionDim() {
        return ad;
    }
}
