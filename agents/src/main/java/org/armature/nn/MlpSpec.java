package org.armature.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * How to build an {@link Mlp}: {@code in -> hidden[0] -> ... -> out}. Each hidden block is
 * {@code Linear -> [Dropout] -> [LayerNorm] -> activation} (the DroQ ordering, Hiraoka et al. 2022); the output
 * layer is a plain {@code Linear}.
 *
 * @param activation relu | tanh | silu | mish
 * @param layerNorm  LayerNorm after each hidden Linear
 * @param dropout    dropout probability after each hidden Linear (0 = none)
 */
public record MlpSpec(int in, int[] hidden, int out, String activation, boolean layerNorm, double dropout) {

    public MlpSpec {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("MLP sizes must be positive, got in=" + in + " out=" + out);
        }
        for (int h : hidden) {
            if (h <= 0) {
                throw new IllegalArgumentException("hidden sizes must be positive, got " + h);
            }
        }
        Activation.Kind.parse(activation);
        hidden = hidden.clone();
    }

    public static MlpSpec relu(int in, int[] hidden, int out) {
        return new MlpSpec(in, hidden, out, "relu", false, 0.0);
    }

    /** The layer list this spec builds. */
    public List<LayerSpec> layers() {
        List<LayerSpec> l = new ArrayList<>();
        int prev = in;
        for (int h : hidden) {
            l.add(new LayerSpec("linear", prev, h, null, null));
            if (dropout > 0) {
                l.add(new LayerSpec("dropout", h, h, dropout, null));
            }
            if (layerNorm) {
                l.add(new LayerSpec("layer_norm", h, h, null, LayerNorm.DEFAULT_EPS));
            }
            l.add(LayerSpec.of(activation.toLowerCase(), h));
            prev = h;
        }
        l.add(new LayerSpec("linear", prev, out, null, null));
        return l;
    }
}
