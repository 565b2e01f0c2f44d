package org.armature.nn;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * An ordered set of parameters whose values live in one flat buffer and whose gradients live in another
 * ({@link #values()}, {@link #grads()}: {@code 1 x size}). Built once from the parameters of one or more modules;
 * the parameters are rebound to views of the flat buffers (their current values are kept).
 */
public final class ParamGroup {

    private final List<Param> params;
    private final Mat values;
    private final Mat grads;

    public ParamGroup(List<Param> params) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("ParamGroup needs at least one parameter");
        }
        this.params = List.copyOf(params);
        DataType dtype = params.get(0).value().dataType();
        int total = 0;
        for (Param p : params) {
            if (p.value().dataType() != dtype) {
                throw new IllegalArgumentException("ParamGroup: mixed dtypes (" + dtype + " and "
                        + p.value().dataType() + ")");
            }
            total += p.size();
        }
        values = Mat.zeros(dtype, 1, total);
        grads = Mat.zeros(dtype, 1, total);
        DataBuffer vb = values.nd.data();
        DataBuffer gb = grads.nd.data();
        int off = 0;
        for (Param p : params) {
            p.rebind(Mat.view(vb, dtype, off, p.rows(), p.cols()), Mat.view(gb, dtype, off, p.rows(), p.cols()));
            off += p.size();
        }
    }

    /** Concatenation of several modules' parameters. */
    @SafeVarargs
    public static ParamGroup of(List<Param>... lists) {
        List<Param> all = new ArrayList<>();
        for (List<Param> l : lists) {
            all.addAll(l);
        }
        return new ParamGroup(all);
    }

    public List<Param> params() {
        return params;
    }

    public Mat values() {
        return values;
    }

    public Mat grads() {
        return grads;
    }

    public int size() {
        return values.cols;
    }

    public void zeroGrad() {
        grads.fill(0.0);
    }

    /** True when both groups have the same parameter names and shapes in the same order. */
    public boolean sameLayout(ParamGroup o) {
        if (o.params.size() != params.size() || o.size() != size()) {
            return false;
        }
        for (int i = 0; i < params.size(); i++) {
            Param a = params.get(i);
            Param b = o.params.get(i);
            if (a.rows() != b.rows() || a.cols() != b.cols() || !a.name().equals(b.name())) {
                return false;
            }
        }
        return true;
    }

    /** Copies all values from {@code src} (same layout). */
    public void copyFrom(ParamGroup src) {
        requireSameLayout(src);
        values.copyFrom(src.values);
    }

    void requireSameLayout(ParamGroup o) {
        if (!sameLayout(o)) {
            throw new IllegalArgumentException("parameter layouts differ (" + size() + " vs " + o.size() + " values)");
        }
    }
}
