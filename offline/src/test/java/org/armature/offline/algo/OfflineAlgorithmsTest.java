package org.armature.offline.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;

import org.armature.agents.Batch;
import org.armature.agents.Learner;
import org.armature.agents.LearnerPolicy;
import org.armature.agents.data.DatasetBuilder;
import org.armature.agents.data.DatasetSampler;
import org.armature.agents.data.Normalization;
import org.armature.agents.data.OfflineDataset;
import org.armature.agents.data.TrainingData;
import org.armature.envs.BoxSpace;
import org.armature.nn.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Learning checks on a one-step problem whose answer is known: actions uniform in [−1, 1], reward
 * 1 − 4 (a − 0.5)², every step terminal. Behaviour cloning must recover the data's mean action (≈ 0); the offline RL
 * algorithms must move towards the best action in the data (0.5). Learning rates are raised to 1e-3 so a few
 * hundred steps suffice; everything else is the CORL configuration.
 */
class OfflineAlgorithmsTest {

    static TrainingData bandit() {
        SplittableRandom rng = new SplittableRandom(0);
        DatasetBuilder b = new DatasetBuilder(2, 1, true);
        for (int i = 0; i < 2000; i++) {
            float[] o = {(float) rng.nextGaussian(), (float) rng.nextGaussian(), 0, 0};
            float a = (float) rng.nextDouble(-1, 1);
            b.addEpisode(o, new float[]{a}, new float[]{1 - 4 * (a - 0.5f) * (a - 0.5f)}, new boolean[]{true},
                    new boolean[]{false}, Map.of());
        }
        OfflineDataset d = b.build(null);
        return new TrainingData(d, Normalization.of(d, BoxSpace.uniform(1, -1, 1), true), 1.0, 0.0);
    }

    static double meanAction(Learner algo, TrainingData data) {
        LearnerPolicy p = new LearnerPolicy(algo, data.normalization, 2, 1);
        SplittableRandom rng = new SplittableRandom(1);
        double s = 0;
        for (int i = 0; i < 50; i++) {
            s += p.act(new float[]{(float) rng.nextGaussian(), (float) rng.nextGaussian()})[0];
        }
        return s / 50;
    }

    static void train(Learner algo, TrainingData data, int steps) {
        DatasetSampler s = DatasetSampler.create("uniform", data, algo.discount(), 0.1);
        Batch batch = new Batch(64, 2, 1, DataType.FLOAT);
        double[] stats = new double[algo.statNames().length];
        Rng rng = new Rng(3);
        for (int i = 0; i < steps; i++) {
            s.sample(batch, rng);
            algo.update(batch);
            algo.stats(stats);
            for (int k = 0; k < stats.length; k++) {
                assertTrue(Double.isFinite(stats[k]) || i == 0, algo.algo() + " " + algo.statNames()[k]
                        + " not finite at step " + i);
            }
        }
    }

    @Test
    void bcRecoversTheMeanDataAction() {
        TrainingData d = bandit();
        Bc bc = new Bc(2, 1, new Bc.Config(64, 2, 1e-3, 1, 1, 1, false), 0);
        train(bc, d, 300);
        assertEquals(0.0, meanAction(bc, d), 0.15);
        assertTrue(bc.lastMetrics().get("actor_loss") < 0.45, "BC loss " + bc.lastMetrics());
    }

    @Test
    void td3bcMovesTowardsTheBestDataAction() {
        TrainingData d = bandit();
        Td3Bc.Config c = Td3Bc.Config.corl();
        Td3Bc algo = new Td3Bc(2, 1, new Td3Bc.Config(64, 2, 1e-3, 1e-3, c.discount(), c.tau(), c.alpha(),
                c.policyNoise(), c.noiseClip(), c.policyFrequency()), 0);
        train(algo, d, 600);
        assertTrue(meanAction(algo, d) > 0.3, "TD3+BC mean action " + meanAction(algo, d));
    }

    @Test
    void iqlMovesTowardsTheBestDataAction() {
        TrainingData d = bandit();
        Iql.Config c = Iql.Config.corl(600);
        Iql algo = new Iql(2, 1, new Iql.Config(64, 2, 1e-3, 1e-3, 1e-3, c.discount(), c.tau(), c.expectile(),
                c.beta(), c.maxWeight(), false, 600, 0.0, 2, 0.0, false), 0);
        train(algo, d, 600);
        assertTrue(meanAction(algo, d) > 0.3, "IQL mean action " + meanAction(algo, d));
        // expectile 0.7 of Q over the data's actions lies above the mean reward (1 - 4 E[(a - .5)^2] = -1/3)
        assertTrue(algo.lastMetrics().get("adv_weight_mean") > 0, algo.lastMetrics().toString());
    }

    @Test
    void iqlDeterministicActorAlsoMovesTowardsTheBestDataAction() {
        TrainingData d = bandit();
        Iql.Config c = Iql.Config.corl("Hopper-v1", 600);
        assertTrue(c.deterministicActor(), "CORL's Hopper IQL config uses the deterministic actor");
        assertEquals(1e-3, c.tau(), 0.0);
        Iql algo = new Iql(2, 1, new Iql.Config(64, 2, 1e-3, 1e-3, 1e-3, c.discount(), c.tau(), c.expectile(),
                c.beta(), c.maxWeight(), false, 600, 0.0, 2, 0.0, true), 0);
        train(algo, d, 600);
        assertTrue(meanAction(algo, d) > 0.3, "deterministic IQL mean action " + meanAction(algo, d));
        assertFalse(Iql.Config.corl("HalfCheetah-v1", 600).deterministicActor());
    }

    @Test
    void riqlQuantileEnsembleWithHuberLossAlsoLearns() {
        TrainingData d = bandit();
        Iql.Config c = Iql.Config.corl(600);
        Iql algo = new Iql(2, 1, new Iql.Config(64, 2, 1e-3, 1e-3, 1e-3, c.discount(), c.tau(), c.expectile(),
                c.beta(), c.maxWeight(), false, 600, 1.0, 5, 0.25, false), 0);
        train(algo, d, 600);
        assertTrue(meanAction(algo, d) > 0.3, "RIQL mean action " + meanAction(algo, d));
        assertEquals(5, algo.hyperparameters().get("q_ensemble"));
    }

    @Test
    void quantileInterpolatesBetweenOrderStatistics() {
        assertEquals(1.0, Iql.quantile(new double[]{3, 1, 2}, 0.0));
        assertEquals(1.5, Iql.quantile(new double[]{3, 1, 2}, 0.25));
        assertEquals(3.0, Iql.quantile(new double[]{3, 1, 2}, 1.0));
        assertEquals(2.0, Iql.quantile(new double[]{2, 5}, 0.0));
    }

    @Test
    void cqlMovesTowardsTheBestDataAction() {
        TrainingData d = bandit();
        Cql.Config c = Cql.Config.corl();
        Cql algo = new Cql(2, 1, new Cql.Config(64, 2, 2, 1e-3, 1e-3, 1e-3, c.discount(), c.tau(), c.cqlAlpha(),
                c.cqlActions(), c.cqlTemperature(), c.importanceSample(), false, false), 0);
        train(algo, d, 400);
        assertTrue(meanAction(algo, d) > 0.3, "CQL mean action " + meanAction(algo, d));
    }

    @Test
    void cqlWithCorlLogStdAndOrthogonalInitLearnsToo() {
        TrainingData d = bandit();
        Cql.Config c = Cql.Config.corl();
        Cql algo = new Cql(2, 1, new Cql.Config(64, 2, 2, 1e-3, 1e-3, 1e-3, c.discount(), c.tau(), c.cqlAlpha(),
                c.cqlActions(), c.cqlTemperature(), c.importanceSample(), true, true), 0);
        assertArrayEquals(new double[]{1.0, -1.0}, algo.logStdAffine(), 1e-7); // CORL's initial multiplier, offset
        train(algo, d, 400);
        assertTrue(meanAction(algo, d) > 0.3, "CQL (CORL head) mean action " + meanAction(algo, d));
        assertNotEquals(-1.0, algo.logStdAffine()[1], "the offset is a trained parameter");
    }
}
