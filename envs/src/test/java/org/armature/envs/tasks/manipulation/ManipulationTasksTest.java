package org.armature.envs.tasks.manipulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.armature.envs.Env;
import org.armature.envs.EnvChecker;
import org.armature.envs.Envs;
import org.armature.envs.Step;
import org.armature.envs.StepReward;
import org.armature.envs.experts.Expert;
import org.armature.envs.experts.Experts;
import org.armature.sim.Model;
import org.armature.sim.ModelSpec;
import org.armature.sim.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManipulationTasksTest {

    @ParameterizedTest
    @ValueSource(strings = {"Reach-v1", "ReachSparse-v1", "PegInsert-v1", "PegInsertSparse-v1"})
    void passesTheChecker(String id) {
        EnvChecker.Report r = new EnvChecker(120).check(id);
        assertTrue(r.passed(), id + " failed: " + r.failures());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Reach-v1", "PushT-v1", "PegInsert-v1"})
    void infoCarriesSuccessAndDenseTermsSumToReward(String id) {
        try (Env env = Envs.make(id)) {
            env.reset(3);
            SplittableRandom rng = new SplittableRandom(1);
            for (int t = 0; t < 20; t++) {
                float[] a = env.spec().actionSpace().sample(rng);
                Step s = env.step(a);
                assertTrue(s.info().get("success") instanceof Boolean, "success must be a Boolean");
                double sum = 0;
                for (var e : s.info().entrySet()) {
                    if (e.getKey().startsWith("reward_")) {
                        sum += (Double) e.getValue();
                    }
                }
                assertEquals(s.reward(), sum, 1e-9, "dense reward = sum of its terms");
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    /**
     * The {@link StepReward} of a Reach task is what {@code step} returned, bit for bit, at the state the step
     * reached, success included (the expert reaches the target); evaluating it does not change the episode.
     */
    @ParameterizedTest
    @ValueSource(strings = {"Reach-v1", "ReachSparse-v1", "Reach-v2", "ReachSparse-v2"})
    void stepRewardIsTheRewardOfTheStepThatReachedTheState(String id) throws Exception {
        Expert expert = Experts.make(id, 0.1, 5);
        int successes = 0;
        try (Env env = Envs.make(id); Env twin = Envs.make(id)) {
            StepReward reward = (StepReward) env.unwrapped();
            float[] o = env.reset(5).observation();
            twin.reset(5);
            for (int t = 0; t < 150; t++) {
                float[] a = expert.act(o);
                Step s = env.step(a);
                Step u = twin.step(a);
                assertEquals(Double.doubleToRawLongBits(s.reward()), Double.doubleToRawLongBits(reward.stepReward(a)),
                        id + " step " + t);
                assertEquals(s.success(), reward.stepSuccess(), id + " step " + t);
                assertArrayEquals(u.observation(), s.observation(), "evaluating does not change the episode");
                assertEquals(u.reward(), s.reward());
                successes += s.success() ? 1 : 0;
                o = s.observation();
                if (s.done()) {
                    break;
                }
            }
        }
        assertTrue(successes > 0, id + ": the expert must reach the target so that success is checked");
        if (!id.contains("Sparse")) {
            ReachEnv env = new ReachEnv(false, id.endsWith("v2"));
            env.reset(2);
            Step s = env.step(new float[]{1, -1, 0.5f, 0, 0, 0, 0});
            assertEquals(-(Double) s.info().get("distance") - ReachEnv.CTRL_COST_WEIGHT * 2.25,
                    env.stepReward(new float[]{1, -1, 0.5f, 0, 0, 0, 0}), 1e-12, "distance and control terms");
            assertEquals(-(Double) s.info().get("distance"), env.stepReward(new float[7]), 1e-15,
                    "the zero action has no control cost");
        }
    }

    /** Runs the noise-free expert on the dense and the sparse variant with the same seed; success must agree. */
    @ParameterizedTest
    @ValueSource(strings = {"Reach", "PushT", "PegInsert"})
    void sparseAndDenseAgreeOnSuccess(String task) throws Exception {
        for (long seed = 0; seed < 3; seed++) {
            List<Boolean> dense = successTrace(task + "-v1", seed);
            List<Boolean> sparse = successTrace(task + "Sparse-v1", seed);
            // the sparse episode ends at the first success; up to there the two runs are the same physics
            assertEquals(dense.subList(0, sparse.size()), sparse, task + " seed " + seed);
            int first = dense.indexOf(true);
            if (first >= 0) {
                assertEquals(first + 1, sparse.size(), "sparse variant terminates on the first success");
            }
        }
    }

    private static List<Boolean> successTrace(String id, long seed) throws Exception {
        List<Boolean> out = new ArrayList<>();
        Expert expert = Experts.make(id, 0.0, seed);
        try (Env env = Envs.make(id)) {
            float[] o = env.reset(seed).observation();
            while (true) {
                Step s = env.step(expert.act(o));
                out.add(s.success());
                if (id.contains("Sparse")) {
                    assertEquals(s.success() ? 1.0 : 0.0, s.reward());
                    assertEquals(s.success(), s.terminated());
                } else {
                    assertFalse(s.terminated(), "dense variants do not terminate on success");
                }
                o = s.observation();
                if (s.done()) {
                    return out;
                }
            }
        }
    }

    @Test
    void pandaModelMatchesPublishedKinematics() {
        ReachEnv env = new ReachEnv();
        PandaKinematics kin = new PandaKinematics();
        SplittableRandom rng = new SplittableRandom(5);
        for (int k = 0; k < 5; k++) {
            env.reset(k);
            // drive to random joint targets, then compare the simulated TCP with the DH forward kinematics
            float[] a = env.spec().actionSpace().sample(rng);
            for (int t = 0; t < 10; t++) {
                env.step(a);
            }
            double[] q = env.jointPositions();
            double[] tcp = new double[3];
            kin.forward(q, tcp, null);
            assertArrayEquals(tcp, env.tcpPosition(), 2e-3, "TCP from physics vs DH FK at q=" + java.util.Arrays.toString(q));
        }
    }

    @Test
    void reachJointLimitsHold() {
        ReachEnv env = new ReachEnv();
        // all joints driven hard both ways (the arm may fold onto the table), then joint 1 alone to its limit
        float[][] pushes = {{1, 1, 1, 1, 1, 1, 1}, {-1, -1, -1, -1, -1, -1, -1}, {-1, 0, 0, 0, 0, 0, 0}};
        env.reset(0);
        for (float[] push : pushes) {
            for (int t = 0; t < 150; t++) {
                env.step(push);
                double[] q = env.jointPositions();
                for (int i = 0; i < 7; i++) {
                    assertTrue(q[i] >= PandaKinematics.Q_LOWER[i] - 0.02 && q[i] <= PandaKinematics.Q_UPPER[i] + 0.02,
                            "joint " + (i + 1) + " at " + q[i] + " outside its limits");
                }
            }
            if (push[1] == 0) {
                env.reset(0);
            }
        }
        env.reset(0);
        for (int t = 0; t < 400; t++) {
            env.step(pushes[2]);
        }
        // the limit was actually reached (the test could fail)
        assertEquals(PandaKinematics.Q_LOWER[0], env.jointPositions()[0], 0.03);
    }

    @Test
    void reachSuccessIsTheDistanceRule() {
        ReachEnv env = new ReachEnv();
        env.reset(1);
        Step s = env.step(new float[7]);
        double d = (Double) s.info().get("distance");
        double[] tcp = env.tcpPosition();
        double[] target = env.targetPosition();
        double expected = Math.sqrt(Math.pow(tcp[0] - target[0], 2) + Math.pow(tcp[1] - target[1], 2)
                + Math.pow(tcp[2] - target[2], 2));
        assertEquals(expected, d, 1e-9);
        assertEquals(d < ReachEnv.SUCCESS_DISTANCE, s.success());
        assertEquals(-d, (Double) s.info().get("reward_distance"), 1e-12);
    }

    @Test
    void alignedPegFallsIntoTheHoleAndSucceeds() {
        PegInsertEnv env = new PegInsertEnv();
        env.reset(2);
        double[] h = env.holePose();
        env.placePegTip(h[0], h[1], h[2] + 0.01, h[3]);
        Step s = null;
        for (int t = 0; t < 20; t++) {
            s = env.step(new float[]{0, 0, -0.5f, 0});
        }
        assertTrue(env.pegTip()[2] < 0.005, "aligned peg reaches the table inside the hole: " + env.pegTip()[2]);
        assertTrue(s.success());
    }

    @Test
    void pegCannotPassThroughTheFixture() {
        PegInsertEnv env = new PegInsertEnv();
        env.reset(2);
        double[] h = env.holePose();
        // 8 mm off-centre: the tip lands on the wall top (clearance is 2 mm)
        for (double[] off : new double[][]{{0.008, 0}, {0, -0.008}, {0.027, 0.027}}) {
            env.reset(2);
            env.placePegTip(h[0] + off[0], h[1] + off[1], h[2] + 0.01, h[3]);
            for (int t = 0; t < 40; t++) {
                Step s = env.step(new float[]{0, 0, -1f, 0}); // full downward push, 6 N over gravity compensation
                assertFalse(s.success());
            }
            assertTrue(env.pegTip()[2] > h[2] - 0.002, "peg tip " + env.pegTip()[2] + " went through the rim at "
                    + h[2]);
        }
    }

    @Test
    void holeObservationNoiseIsConfigurable() {
        PegInsertEnv env = new PegInsertEnv();
        env.setHoleObservationNoise(0, 0);
        float[] o = env.reset(4).observation();
        double[] h = env.holePose();
        assertEquals(h[0], o[7], 1e-6);
        assertEquals(h[1], o[8], 1e-6);
        assertEquals(h[3], o[10], 1e-6);
        env.setHoleObservationNoise(0.01, 0.1);
        float[] o2 = env.reset(4).observation();
        assertTrue(Math.abs(o2[7] - h[0]) > 1e-5, "noise is applied");
    }

    @Test
    void scenesHaveMarkersAndACamera() {
        for (String id : List.of("Reach-v1", "PushT-v1", "PegInsert-v1")) {
            try (Env env = Envs.make(id)) {
                env.reset(0);
                Scene sc = env.scene();
                assertTrue(sc.shapes().stream().anyMatch(Scene.Shape::marker), id + " has a marker");
                assertFalse(sc.cameras().isEmpty(), id + " has a camera");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }
    }

    @Test
    void physicsRandomizationChangesMassesDeterministically() {
        PegInsertEnv a = new PegInsertEnv();
        PegInsertEnv b = new PegInsertEnv();
        ModelSpec.Randomization r = a.model().spec().randomization();
        a.setPhysicsRandomization(r);
        b.setPhysicsRandomization(r);
        a.reset(7);
        b.reset(7);
        Model.BodyInfo peg = a.model().body("peg");
        double m = a.model().mass(peg);
        assertEquals(m, b.model().mass(b.model().body("peg")), 0.0);
        assertTrue(Math.abs(m - peg.nominalMass()) > 1e-6, "mass was randomised");
    }
}
