package org.armature.nn;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Inverted dropout (Srivastava et al. 2014): in training each feature is zeroed with probability {@code p} and the
 * rest are scaled by {@code 1/(1-p)}; at inference it is the identity. Masks come from the {@link Rng} given at
 * construction, so training stays reproducible (DroQ, Hiraoka et al. 2022, uses dropout in SAC critics).
 */
public final class Dropout implements Layer {

    private final int size;
    private final double p;
    private final Rng rng;
    private final BatchBuffers outs;
    private final BatchBuffers masks;
    private final BatchBuffers inGrads;
    private Mat lastMask;

    public Dropout(int size, double p, DataType dtype, Rng rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.size = size;
        this.p = p;
        this.rng = rng;
        this.outs = new BatchBuffers(dtype, size);
        this.masks = new BatchBuffers(dtype, size);
        this.inGrads = new BatchBuffers(dtype, size);
    }

    public double p() {
        return p;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public Mat forward(Mat x, boolean training) {
        if (!training || p == 0) {
            lastMask = null;
            return x;
        }
        Mat y = outs.get(x.rows);
        Mat m = masks.get(x.rows);
        x.toHost();
        double keep = 1.0 / (1.0 - p);
        int n = x.length();
        for (int i = 0; i < n; i++) {
            double mi = rng.nextDouble() >= p ? keep : 0.0;
            m.set(i, mi);
            y.set(i, x.get(i) * mi);
        }
        m.hostWritten();
        y.hostWritten();
        lastMask = m;
        return y;
    }

    @Override
    public Mat backward(Mat dy, boolean paramGrads, boolean inputGrad) {
        if (!inputGrad) {
            return null;
        }
        if (lastMask == null) {
            return dy;
        }
        Mat dx = inGrads.get(dy.rows);
        dy.toHost();
        int n = dy.length();
        for (int i = 0; i < n; i++) {
            dx.set(i, dy.get(i) * lastMask.get(i));
        }
        dx.hostWritten();
        return dx;
    }

    @Override
    public LayerSpec spec() {
        return new LayerSpec("dropout", size, size, p, null);
    }
}
