package org.armature.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import javax.vecmath.Matrix3f;
import javax.vecmath.Quat4f;

import com.bulletphysics.linearmath.MatrixUtil;

import org.junit.jupiter.api.Test;

/** The allocation-free pieces of the step: quaternion extraction, 3x3 inverse, limit time constant, broadphase. */
class SolverPartsTest {

    @Test
    void quaternionFromBasisEqualsJBulletsBitForBit() {
        SplittableRandom rng = new SplittableRandom(7);
        Matrix3f m = new Matrix3f();
        Quat4f q = new Quat4f();
        Quat4f expected = new Quat4f();
        double[] out = new double[4];
        int[] branches = new int[4];
        for (int i = 0; i < 2000; i++) {
            // random unit quaternions, some near 180-degree turns about each axis so every branch is taken
            double[] r = {rng.nextDouble(-1, 1), rng.nextDouble(-1, 1), rng.nextDouble(-1, 1),
                    i % 2 == 0 ? rng.nextDouble(-1, 1) : rng.nextDouble(-0.05, 0.05)};
            double n = Math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2] + r[3] * r[3]);
            q.set((float) (r[0] / n), (float) (r[1] / n), (float) (r[2] / n), (float) (r[3] / n));
            MatrixUtil.setRotation(m, q);
            MatrixUtil.getRotation(m, expected);
            Quat.fromMatrixInto(m, out);
            assertArrayEquals(new double[]{expected.x, expected.y, expected.z, expected.w}, out, 0.0);
            float trace = m.m00 + m.m11 + m.m22;
            branches[trace > 0 ? 3 : m.m00 < m.m11 ? (m.m11 < m.m22 ? 2 : 1) : (m.m00 < m.m22 ? 2 : 0)]++;
        }
        for (int b : branches) {
            assertTrue(b > 0, "every branch exercised: " + java.util.Arrays.toString(branches));
        }
    }

    @Test
    void inverseOfTheEffectiveMassIsAnInverse() {
        Matrix3f a = new Matrix3f(2.0f, 0.3f, -0.1f, 0.3f, 1.5f, 0.2f, -0.1f, 0.2f, 0.9f);
        Matrix3f inv = new Matrix3f();
        HingeJoint.invert3x3(a, inv);
        Matrix3f prod = new Matrix3f();
        prod.mul(a, inv);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(r == c ? 1f : 0f, prod.getElement(r, c), 1e-6f, "(" + r + "," + c + ")");
            }
        }
        HingeJoint.invert3x3(new Matrix3f(), inv); // two static bodies: no response, no NaN
        assertEquals(0f, inv.m00);
    }

    @Test
    void limitTimeConstantIsFixedAcrossPhysicsSteps() {
        assertEquals(0.2f, HingeLimitConstraint.beta(1.0 / 240.0)); // unchanged at the default step
        assertEquals(0.4f, HingeLimitConstraint.beta(1.0 / 120.0), 1e-7f);
        assertEquals(1f, HingeLimitConstraint.beta(0.05)); // capped: never overshoot in one step
    }

    private static double settledTorsoHeight(boolean smallWorld) {
        PhysicsWorld w = new PhysicsWorld(PhysicsWorld.Config.DEFAULT.withSmallWorldBroadphase(smallWorld));
        w.addGroundPlane(1f);
        Model m = Model.build(ModelSpec.loadResource("half_cheetah"), w);
        w.step(480);
        double[] q = new double[m.nq()];
        m.qpos(q);
        if (smallWorld) {
            int pairs = w.dynamicsWorld().getBroadphase().getOverlappingPairCache().getNumOverlappingPairs();
            assertTrue(pairs > 0 && pairs <= 7, "only body-ground pairs (7 bodies, no self-collision), got " + pairs);
        }
        return q[1];
    }

    @Test
    void smallWorldBroadphaseFindsTheGroundLikeTheTree() {
        double tree = settledTorsoHeight(false);
        double small = settledTorsoHeight(true);
        assertTrue(tree < 0.7, "the cheetah dropped onto its legs: " + tree);
        assertEquals(tree, small, 2e-3, "same resting height with either broadphase");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"ant, false", "ant, true", "half_cheetah, true"})
    void smallWorldBroadphaseRestoresBitIdentically(String model, boolean rowsInJoint) {
        PhysicsWorld w = new PhysicsWorld(PhysicsWorld.Config.DEFAULT.withPhysicsDt(1.0 / 120.0)
                .withSmallWorldBroadphase(true).withHingeRowsInJoint(rowsInJoint));
        w.addGroundPlane(1f);
        Model m = Model.build(ModelSpec.loadResource(model), w);
        PhysicsWorldTest.drive(w, m, 120, 1); // on the ground, limits, springs and armature active
        PhysicsWorld.Snapshot snap = w.snapshot();
        PhysicsWorldTest.drive(w, m, 200, 2);
        double[] first = PhysicsWorldTest.state(m);
        w.restore(snap);
        PhysicsWorldTest.drive(w, m, 200, 2);
        assertArrayEquals(first, PhysicsWorldTest.state(m));
    }
}
