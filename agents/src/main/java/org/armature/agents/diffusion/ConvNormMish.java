package org.armature.agents.diffusion;

import java.util.ArrayList;
import java.util.List;

import org.armature.nn.Conv1d;
import org.armature.nn.GroupNorm;
import org.armature.nn.Mat;
import org.armature.nn.Mish;
import org.armature.nn.Param;
import org.armature.nn.Rng;
import org.armature.nn.SequenceLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Diffusion Policy's {@code Conv1dBlock} (Chi et al. 2023, {@code conv1d_components.py}): a length-preserving
 * convolution ({@code padding = k / 2}), {@link GroupNorm} and {@link Mish}, the unit of every residual block and of
 * the U-Net's output head. Parameter order: convolution weight, bias; norm weight, bias (PyTorch's).
 */
public final class ConvNormMish implements SequenceLayer {

    private final Conv1d conv;
    private final GroupNorm norm;
    private final Mish mish;

    public ConvNormMish(int cin, int cout, int kernel, int groups, DataType dtype, Rng rng) {
        if (kernel % 2 == 0) {
            throw new IllegalArgumentException("ConvNormMish needs an odd kernel to keep the length, got " + kernel);
        }
        this.conv = new Conv1d(cin, cout, kernel, 1, kernel / 2, dtype, rng);
        this.norm = new GroupNorm(groups, cout, dtype);
        this.mish = new Mish(cout, dtype);
    }

    @Override
    public int inChannels() {
        return conv.inChannels();
    }

    @Override
    public int outChannels() {
        return conv.outChannels();
    }

    @Override
    public Mat forward(Mat x, int batch) {
        return mish.forward(norm.forward(conv.forward(x, batch), batch), batch);
    }

    @Override
    public Mat backward(Mat dy, boolean paramGrads, boolean inputGrad) {
        Mat d = mish.backward(dy, paramGrads, true);
        d = norm.backward(d, paramGrads, true);
        return conv.backward(d, paramGrads, inputGrad);
    }

    @Override
    public List<Param> params() {
        List<Param> ps = new ArrayList<>(conv.params());
        ps.addAll(norm.params());
        return ps;
    }
}
