package org.armature.agents.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleSupplier;

import org.armature.nn.Mat;
import org.armature.nn.Param;
import org.armature.nn.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Finite-difference gradient checks (float64) of the FiLM residual block and the whole U-Net, and its validation. */
class UnetGradientTest {

    private static final DataType D = DataType.DOUBLE;
    private static final double TOL = 1e-5;

    /** The small U-Net: two levels (one down- and one up-sampling), GroupNorm with 8 groups. */
    private static DenoiserSpec small() {
        return new DenoiserSpec(DenoiserSpec.UNET, 2, 8, 6, 8, new int[]{8, 16}, 5, 8, null, null);
    }

    @Test
    void filmResidualBlockWithProjectedResidual() {
        checkBlock(new FilmResidualBlock(3, 8, 5, 5, 4, D, new Rng(31)), new Rng(32));
    }

    @Test
    void filmResidualBlockWithIdentityResidual() {
        checkBlock(new FilmResidualBlock(8, 8, 5, 3, 2, D, new Rng(33)), new Rng(34));
    }

    private static void checkBlock(FilmResidualBlock block, Rng rng) {
        int batch = 2;
        int len = 6;
        Mat x = FiniteDifferences.random(batch * len, block.inChannels(), rng, 1.0);
        Mat cond = FiniteDifferences.random(batch, 5, rng, 1.0);
        Mat w = FiniteDifferences.random(batch * len, block.outChannels(), rng, 1.0);
        DoubleSupplier loss = () -> FiniteDifferences.dot(w, block.forward(x, cond, batch));
        block.forward(x, cond, batch);
        Mat dx = FiniteDifferences.copy(block.backward(w, true, true));
        Mat dc = FiniteDifferences.copy(block.conditionGrad());
        FiniteDifferences.check("block.input", x, dx, loss, TOL);
        FiniteDifferences.check("block.condition", cond, dc, loss, TOL);
        FiniteDifferences.checkParams("block", block.params(), loss, TOL);
    }

    /**
     * A frozen U-Net (a loaded policy) reads each block's FiLM output from its per-step table plus the observation's
     * share: the same outputs as before freezing, in float32 as deployed, at batch 1 and 3, with conditions but also
     * steps beyond the table (which take the full path), and it refuses to train.
     */
    @Test
    void frozenUnetMatchesTheUnfrozenForward() {
        DenoiserSpec spec = new DenoiserSpec(DenoiserSpec.UNET, 2, 8, 6, 8, new int[]{8, 16}, 5, 8, null, null);
        UnetDenoiser net = new UnetDenoiser(spec, DataType.FLOAT, new Rng(41));
        Rng rng = new Rng(42);
        for (int batch : new int[]{1, 3}) {
            Mat x = f32(FiniteDifferences.random(batch, 16, rng, 1.0));
            Mat cond = f32(FiniteDifferences.random(batch, 6, rng, 2.0));
            int[] steps = new int[batch];
            for (int b = 0; b < batch; b++) {
                steps[b] = 7 + 40 * b;
            }
            float[] before = net.forward(x, steps, cond, false).toFloatArray();
            UnetDenoiser frozen = new UnetDenoiser(spec, DataType.FLOAT, new Rng(41));
            frozen.freeze(100);
            float[] after = frozen.forward(x, steps, cond, false).toFloatArray();
            for (int i = 0; i < before.length; i++) {
                assertEquals(before[i], after[i], 2e-5 * Math.max(1, Math.abs(before[i])), "batch " + batch + " [" + i
                        + "]");
            }
            int[] outside = steps.clone();
            outside[0] = 100; // not in the table of 100 training steps: the full path
            float[] full = net.forward(x, outside, cond, false).toFloatArray();
            float[] frozenFull = frozen.forward(x, outside, cond, false).toFloatArray();
            assertEquals(full[0], frozenFull[0], 2e-5 * Math.max(1, Math.abs(full[0])), "step outside the table");
        }
        assertThrows(IllegalStateException.class, () -> {
            UnetDenoiser frozen = new UnetDenoiser(spec, DataType.FLOAT, new Rng(41));
            frozen.freeze(100);
            Mat x = f32(FiniteDifferences.random(1, 16, rng, 1.0));
            frozen.forward(x, new int[]{3}, f32(FiniteDifferences.random(1, 6, rng, 1.0)), true);
            frozen.backward(x);
        });
    }

    private static Mat f32(Mat m) {
        return Mat.zeros(DataType.FLOAT, m.rows, m.cols).setAll(m.toFloatArray());
    }

    /**
     * The float32 paths of the U-Net (FiLM modulation and its gradient, the residual add, GroupNorm, Mish on heap
     * arrays) against float64 with the same weights: the output and every parameter gradient of the whole network.
     */
    @Test
    void float32UnetMatchesFloat64() {
        DenoiserSpec spec = small();
        UnetDenoiser net64 = new UnetDenoiser(spec, D, new Rng(43));
        UnetDenoiser net32 = new UnetDenoiser(spec, DataType.FLOAT, new Rng(44));
        for (int i = 0; i < net64.params().size(); i++) {
            net32.params().get(i).value().setAll(net64.params().get(i).value().toFloatArray());
        }
        Rng rng = new Rng(45);
        int batch = 3;
        Mat x = FiniteDifferences.random(batch, 16, rng, 1.0);
        Mat cond = FiniteDifferences.random(batch, 6, rng, 1.0);
        Mat r = FiniteDifferences.random(batch, 16, rng, 1.0);
        int[] steps = {5, 50, 95};
        double[] y64 = net64.forward(x, steps, cond, true).toDoubleArray();
        double[] y32 = net32.forward(f32(x), steps, f32(cond), true).toDoubleArray();
        for (int i = 0; i < y64.length; i++) {
            assertEquals(y64[i], y32[i], 2e-5 * Math.max(1, Math.abs(y64[i])), "output[" + i + "]");
        }
        net64.backward(r);
        net32.backward(f32(r));
        // relative to the largest gradient of the network: a convolution bias in front of GroupNorm has a zero
        // gradient in exact arithmetic, and float32 leaves rounding noise there
        double scale = 0;
        for (Param p : net64.params()) {
            for (double v : p.grad().toDoubleArray()) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int i = 0; i < net64.params().size(); i++) {
            double[] g64 = net64.params().get(i).grad().toDoubleArray();
            double[] g32 = net32.params().get(i).grad().toDoubleArray();
            for (int k = 0; k < g64.length; k++) {
                assertEquals(g64[k], g32[k], 2e-4 * scale, "parameter " + i + " grad[" + k + "]");
            }
        }
    }

    @Test
    void wholeUnetParametersAndInputs() {
        UnetDenoiser net = new UnetDenoiser(small(), D, new Rng(35));
        Rng rng = new Rng(36);
        int batch = 2;
        Mat x = FiniteDifferences.random(batch, 16, rng, 1.0);
        Mat cond = FiniteDifferences.random(batch, 6, rng, 1.0);
        int[] steps = {3, 71};
        Mat r = FiniteDifferences.random(batch, 16, rng, 1.0);
        DoubleSupplier loss = () -> FiniteDifferences.dot(r, net.forward(x, steps, cond, true));
        for (Param p : net.params()) {
            p.grad().fill(0);
        }
        net.forward(x, steps, cond, true);
        net.backward(r);
        Mat dx = FiniteDifferences.copy(net.noisyActionGrad());
        Mat dc = FiniteDifferences.copy(net.conditionGrad());
        FiniteDifferences.check("unet.noisy_actions", x, dx, loss, TOL);
        FiniteDifferences.check("unet.condition", cond, dc, loss, TOL);
        FiniteDifferences.checkParams("unet", net.params(), loss, TOL);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        UnetDenoiser net = new UnetDenoiser(small(), D, new Rng(37));
        Rng rng = new Rng(38);
        Mat x = FiniteDifferences.random(3, 16, rng, 1.0);
        Mat cond = FiniteDifferences.random(3, 6, rng, 1.0);
        Mat r = FiniteDifferences.random(3, 16, rng, 1.0);
        int[] steps = {0, 5, 99};
        net.forward(x, steps, cond, true);
        net.backward(r);
        double[] once = net.params().get(net.params().size() - 2).grad().toDoubleArray();
        net.forward(x, steps, cond, true);
        net.backward(r);
        double[] twice = net.params().get(net.params().size() - 2).grad().toDoubleArray();
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i], 1e-12 * Math.max(1, Math.abs(once[i])));
        }
    }

    @Test
    void validatesHorizonAndGroups() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new UnetDenoiser(
                DenoiserSpec.unet(2, 10, 6, 8, 16, 32), D, new Rng(1)));
        assertTrue(e.getMessage().contains("horizon 10") && e.getMessage().contains("2^2 = 4"), e.getMessage());
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class, () -> new UnetDenoiser(
                DenoiserSpec.unet(2, 8, 6, 12, 16), D, new Rng(1)));
        assertTrue(g.getMessage().contains("8 GroupNorm groups") && g.getMessage().contains("12"), g.getMessage());
    }

    @Test
    void batchOneForwardMatchesTheSameRowInABatch() {
        UnetDenoiser net = new UnetDenoiser(small(), D, new Rng(39));
        Rng rng = new Rng(40);
        Mat x = FiniteDifferences.random(3, 16, rng, 1.0);
        Mat cond = FiniteDifferences.random(3, 6, rng, 1.0);
        double[] all = net.forward(x, new int[]{4, 50, 9}, cond, false).toDoubleArray();
        Mat x1 = Mat.zeros(D, 1, 16);
        Mat c1 = Mat.zeros(D, 1, 6);
        for (int j = 0; j < 16; j++) {
            x1.set(j, x.get(1, j));
        }
        for (int j = 0; j < 6; j++) {
            c1.set(j, cond.get(1, j));
        }
        double[] one = net.forward(x1, new int[]{50}, c1, false).toDoubleArray();
        for (int j = 0; j < 16; j++) {
            assertEquals(all[16 + j], one[j], 1e-12);
        }
    }
}
