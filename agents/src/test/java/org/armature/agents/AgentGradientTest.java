package org.armature.agents;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.armature.nn.Mat;
import org.armature.nn.ParamGroup;
import org.armature.nn.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Finite-difference checks (float64) of the SAC and TD3 critic and actor loss gradients. */
class AgentGradientTest {

    private static final DataType D = DataType.DOUBLE;
    private static final double H = 1e-6;
    private static final double TOL = 2e-5;

    private static Batch randomBatch(int b, int obs, int act, Rng rng) {
        Batch batch = new Batch(b, obs, act, D);
        fill(batch.observations, rng, 1.0);
        fill(batch.nextObservations, rng, 1.0);
        fill(batch.rewards, rng, 1.0);
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < act; j++) {
                batch.actions.set(i, j, 2 * rng.nextDouble() - 1);
            }
            batch.discounts.set(i, i % 3 == 0 ? 0.0 : 0.99); // some terminal transitions
        }
        return batch;
    }

    private static void fill(Mat m, Rng rng, double s) {
        for (int i = 0; i < m.length(); i++) {
            m.set(i, rng.nextGaussian() * s);
        }
    }

    /** Compares group.grads() (already filled) with central differences of loss over group.values(). */
    private static void check(String what, ParamGroup g, java.util.function.DoubleSupplier loss) {
        double[] analytic = g.grads().toDoubleArray();
        Mat v = g.values();
        for (int i = 0; i < g.size(); i++) {
            double orig = v.get(i);
            v.set(i, orig + H);
            double lp = loss.getAsDouble();
            v.set(i, orig - H);
            double lm = loss.getAsDouble();
            v.set(i, orig);
            double num = (lp - lm) / (2 * H);
            double err = Math.abs(analytic[i] - num) / Math.max(1e-6, Math.abs(analytic[i]) + Math.abs(num));
            assertTrue(err < TOL || Math.abs(analytic[i] - num) < 1e-8,
                    what + "[" + i + "]: analytic " + analytic[i] + " numeric " + num);
        }
    }

    private static Sac.Config smallSac() {
        Sac.Config c = Sac.Config.cleanRl();
        return new Sac.Config(new int[]{6, 5}, new int[]{7, 5}, "tanh", false, 0.0, c.gamma(), c.tau(), c.policyLr(),
                c.qLr(), 1, 1, true, 0.2, -1.0, Double.POSITIVE_INFINITY);
    }

    @Test
    void sacCriticLoss() {
        Rng rng = new Rng(1);
        Sac sac = new Sac(3, new float[]{-2, -1}, new float[]{2, 1}, smallSac(), 7, D);
        Batch batch = randomBatch(5, 3, 2, rng);
        Mat eps = Mat.zeros(D, 5, 2);
        fill(eps, rng, 1.0);
        sac.criticParams().zeroGrad();
        sac.computeCriticGradients(batch, eps);
        ParamGroup g = sac.criticParams();
        double[] analytic = g.grads().toDoubleArray();
        g.zeroGrad();
        g.grads().setAll(analytic);
        check("sac critic", g, () -> sac.computeCriticGradients(batch, eps));
    }

    @Test
    void sacActorLoss() {
        Rng rng = new Rng(2);
        Sac sac = new Sac(3, new float[]{-2, -1}, new float[]{2, 1}, smallSac(), 8, D);
        Batch batch = randomBatch(4, 3, 2, rng);
        Mat eps = Mat.zeros(D, 4, 2);
        fill(eps, rng, 1.0);
        sac.actorParams().zeroGrad();
        sac.computeActorGradients(batch.observations, eps);
        double[] analytic = sac.actorParams().grads().toDoubleArray();
        sac.actorParams().grads().setAll(analytic);
        // the loss value L_pi = mean(alpha log pi - min Q) is reported in stats[1]
        double[] st = new double[sac.statNames().length];
        check("sac actor", sac.actorParams(), () -> {
            sac.computeActorGradients(batch.observations, eps);
            sac.stats(st);
            return st[1];
        });
        // critics' parameter gradients are untouched by the actor step
        double s = 0;
        for (double x : sac.criticParams().grads().toDoubleArray()) {
            s += Math.abs(x);
        }
        assertTrue(s == 0.0, "actor step must not write critic gradients");
    }

    @Test
    void td3CriticAndActorLosses() {
        Rng rng = new Rng(3);
        Td3.Config c = Td3.Config.cleanRl();
        Td3.Config small = new Td3.Config(new int[]{6, 5}, new int[]{7, 5}, "tanh", c.gamma(), c.tau(),
                c.learningRate(), c.policyNoise(), c.noiseClip(), c.explorationNoise(), 2, Double.POSITIVE_INFINITY);
        Td3 td3 = new Td3(3, new float[]{-2, -1}, new float[]{2, 1}, small, 9, D);
        Batch batch = randomBatch(5, 3, 2, rng);
        Mat noise = Mat.zeros(D, 5, 2);
        fill(noise, rng, 1.0);
        td3.criticParams().zeroGrad();
        td3.computeCriticGradients(batch, noise);
        double[] analytic = td3.criticParams().grads().toDoubleArray();
        td3.criticParams().grads().setAll(analytic);
        check("td3 critic", td3.criticParams(), () -> td3.computeCriticGradients(batch, noise));
        td3.actorParams().zeroGrad();
        td3.computeActorGradients(batch.observations, null);
        double[] a2 = td3.actorParams().grads().toDoubleArray();
        td3.actorParams().grads().setAll(a2);
        check("td3 actor", td3.actorParams(), () -> td3.computeActorGradients(batch.observations, null));
    }
}
