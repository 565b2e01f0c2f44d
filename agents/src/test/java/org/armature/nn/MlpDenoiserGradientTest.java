package org.armature.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.armature.agents.diffusion.DenoiserSpec;
import org.armature.agents.diffusion.MlpDenoiser;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Finite differences against the MLP denoiser's backward (all parameters, step encoder included), and Mish. */
class MlpDenoiserGradientTest {

    @Test
    void mlpDenoiserGradientsMatchFiniteDifferences() {
        DenoiserSpec spec = new DenoiserSpec(DenoiserSpec.MLP, 2, 3, 5, 8, null, null, null, 6, 2);
        MlpDenoiser d = new MlpDenoiser(spec, DataType.DOUBLE, new Rng(3));
        Rng rng = new Rng(4);
        int batch = 3;
        Mat x = GradCheck.random(batch, 6, rng, 1.0);
        Mat cond = GradCheck.random(batch, 5, rng, 1.0);
        Mat w = GradCheck.random(batch, 6, rng, 1.0);
        int[] steps = {0, 41, 99};
        java.util.function.DoubleSupplier loss = () -> GradCheck.dot(w, d.forward(x, steps, cond, true));
        for (Param p : d.params()) {
            p.grad().fill(0);
        }
        d.forward(x, steps, cond, true);
        d.backward(w);
        GradCheck.checkParams("mlp denoiser", d.params(), loss, 1e-5);
    }

    @Test
    void mishFromOneExponentialMatchesTheDefinition() {
        for (double x = -30; x <= 30; x += 0.37) {
            double t = Math.tanh(Math.log1p(Math.exp(x)));
            assertEquals(x * t, Kernels.mish(x), 1e-12 * Math.max(1, Math.abs(x)), "mish(" + x + ")");
            double sig = 1 / (1 + Math.exp(-x));
            assertEquals(t + x * (1 - t * t) * sig, Kernels.mishDerivative(x), 1e-12, "mish'(" + x + ")");
        }
    }
}
