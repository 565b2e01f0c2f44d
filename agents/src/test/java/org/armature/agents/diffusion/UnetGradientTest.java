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
