package org.armature.nn;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;

/** A stack of {@link Layer}s applied in order, with explicit forward and backward. */
public final class Mlp implements Layer {

    private final List<Layer> layers;
    private final List<Param> params;
    private final DataType dtype;
    private FastMlp acting;
    private boolean actingStale;

    public Mlp(List<Layer> layers, DataType dtype) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("Mlp needs at least one layer");
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputSize() != layers.get(i - 1).outputSize()) {
                throw new IllegalArgumentException("layer " + i + " expects " + layers.get(i).inputSize()
                        + " inputs but layer " + (i - 1) + " gives " + layers.get(i - 1).outputSize());
            }
        }
        this.layers = List.copyOf(layers);
        this.dtype = dtype;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Activation a) {
                boolean prevOwned = i > 0 && (layers.get(i - 1) instanceof Linear || layers.get(i - 1) instanceof LayerNorm);
                boolean nextOwned = i < layers.size() - 1 && layers.get(i + 1) instanceof Linear;
                a.setInPlace(prevOwned, nextOwned);
            }
        }
        List<Param> ps = new ArrayList<>();
        for (Layer l : layers) {
            ps.addAll(l.params());
        }
        this.params = List.copyOf(ps);
    }

    /** Builds the spec's layer list (as stored in bundle.json); {@code rng} initialises weights and drives dropout. */
    public static Mlp build(MlpSpec spec, DataType dtype, Rng rng) {
        List<Layer> ls = new ArrayList<>();
        for (LayerSpec s : spec.layers()) {
            String t = s.type() == null ? "" : s.type().toLowerCase();
            int in = s.in() == null ? -1 : s.in();
            int out = s.out() == null ? in : s.out();
            if (in <= 0 || out <= 0) {
                throw new IllegalArgumentException("layer '" + t + "' needs positive in/out sizes");
            }
            switch (t) {
                case "linear" -> ls.add(new Linear(in, out, dtype, rng));
                case "relu", "tanh", "silu", "mish" -> ls.add(new Activation(Activation.Kind.parse(t), in, dtype));
                case "layer_norm" -> ls.add(new LayerNorm(in, s.eps() == null ? LayerNorm.DEFAULT_EPS : s.eps(), dtype));
                case "dropout" -> ls.add(new Dropout(in, s.p() == null ? 0.0 : s.p(), dtype, rng.split()));
                default -> throw new IllegalArgumentException("unknown layer type '" + s.type()
                        + "', expected linear, relu, tanh, silu, mish, layer_norm or dropout");
            }
        }
        return new Mlp(ls, dtype);
    }

    public List<Layer> layers() {
        return layers;
    }

    public DataType dataType() {
        return dtype;
    }

    @Override
    public int inputSize() {
        return layers.get(0).inputSize();
    }

    @Override
    public int outputSize() {
        return layers.get(layers.size() - 1).outputSize();
    }

    @Override
    public Mat forward(Mat x, boolean training) {
        Mat h = x;
        for (int i = 0; i < layers.size(); i++) { // an index loop: the for-each iterator allocates at batch 1
            h = layers.get(i).forward(h, training);
        }
        return h;
    }

    @Override
    public Mat backward(Mat dy, boolean paramGrads, boolean inputGrad) {
        Mat g = dy;
        for (int i = layers.size() - 1; i >= 0; i--) {
            boolean needInput = inputGrad || i > 0;
            g = layers.get(i).backward(g, paramGrads, needInput);
        }
        return g;
    }

    @Override
    public List<Param> params() {
        return params;
    }

    /** Layer specs in order (for bundle.json). */
    public List<LayerSpec> layerSpecs() {
        List<LayerSpec> l = new ArrayList<>();
        for (Layer layer : layers) {
            l.add(layer.spec());
        }
        return l;
    }

    @Override
    public LayerSpec spec() {
        return new LayerSpec("mlp", inputSize(), outputSize(), null, null);
    }

    /** Batch-1 inference engine with a copy of the current weights (call again after training steps). */
    public FastMlp toFast() {
        return new FastMlp(this);
    }

    /**
     * This network's own batch-1 copy for acting, made on first use and refreshed after {@link #weightsChanged()}
     * (learners call it after an optimiser step or a state restore).
     */
    public FastMlp acting() {
        if (acting == null) {
            acting = toFast();
        } else if (actingStale) {
            acting.refreshFrom(this);
        }
        actingStale = false;
        return acting;
    }

    /** Marks the {@link #acting()} copy out of date. */
    public void weightsChanged() {
        actingStale = true;
    }
}
