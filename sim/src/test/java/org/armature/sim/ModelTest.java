package org.armature.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelTest {

    static final String ARM = """
            {"name":"arm","bodies":[{"name":"base","shape":{"type":"box","halfExtents":[0.1,0.1,0.1],"position":[0,0,1]}},
              {"name":"bar","shape":{"type":"capsule","radius":0.05,"fromto":[0.1,0,1, 0.6,0,1]}}],
             "joints":[{"name":"fix","type":"fixed","child":"base"},
               {"name":"h","type":"hinge","parent":"base","child":"bar","anchor":[0.1,0,1],"axis":[0,0,1],"rangeDegrees":[10,30]}],
             "actuators":[{"name":"m","joint":"h","type":"torque","gear":5,"ctrlRange":[-1,1]}]}
            """;

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void hingeLimitsHoldExactly(boolean rowsInJoint) {
        for (float u : new float[]{1f, -1f}) {
            PhysicsWorld w = new PhysicsWorld(PhysicsWorld.Config.DEFAULT.withGravity(0, 0, 0)
                    .withHingeRowsInJoint(rowsInJoint));
            Model m = Model.build(ModelSpec.parse(ARM, "arm"), w);
            m.setControl(new float[]{u});
            w.step(480);
            double q = Math.toDegrees(m.jointPosition("h"));
            assertEquals(u > 0 ? 30 : 10, q, 0.5, "joint should rest on its limit under a constant torque");
            // the bar is still attached at the pivot: its centre is 0.25 m from the anchor
            double[] p = new double[3];
            m.bodyPosition(m.body("bar"), p);
            assertEquals(0.25, Math.hypot(p[0] - 0.1, p[1]), 2e-3);
        }
    }

    @Test
    void positiveTorqueTurnsByTheRightHandRule() {
        PhysicsWorld w = new PhysicsWorld(PhysicsWorld.Config.DEFAULT.withGravity(0, 0, 0));
        Model m = Model.build(ModelSpec.parse(ARM.replace("\"rangeDegrees\":[10,30]", "\"damping\":0.01"), "arm"), w);
        m.setControl(new float[]{0.2f});
        w.step(20);
        assertTrue(m.jointVelocity("h") > 0);
        assertTrue(m.jointPosition("h") > 0);
        double[] p = new double[3];
        m.bodyPosition(m.body("bar"), p);
        assertTrue(p[1] > 0, "rotation about +z moves the bar towards +y");
    }

    @Test
    void forwardKinematicsRoundTrips() {
        PhysicsWorld w = new PhysicsWorld();
        w.addGroundPlane(1f);
        Model m = Model.build(ModelSpec.loadResource("hopper"), w);
        double[] q = m.initialQpos();
        q[0] = 0.3;
        q[1] += 0.1;
        q[2] = 0.05;
        q[3] = -0.4;
        q[4] = -0.3;
        q[5] = 0.2;
        double[] v = {0.5, -0.2, 0.3, 1.0, -2.0, 0.7};
        m.setState(q, v);
        double[] q2 = new double[m.nq()];
        double[] v2 = new double[m.nv()];
        m.qpos(q2);
        m.qvel(v2);
        for (int i = 0; i < q.length; i++) {
            assertEquals(q[i], q2[i], 1e-5, "qpos[" + i + "]");
        }
        for (int i = 0; i < v.length; i++) {
            assertEquals(v[i], v2[i], 1e-4, "qvel[" + i + "]");
        }
    }

    @Test
    void restingBoxFeelsItsWeight() {
        PhysicsWorld w = new PhysicsWorld();
        w.addGroundPlane(1f);
        Model m = Model.build(ModelSpec.parse("""
                {"name":"box","bodies":[{"name":"b","mass":2.0,"shape":{"type":"box","halfExtents":[0.2,0.2,0.1],"position":[0,0,0.1]}}]}
                """, "box"), w);
        w.step(240);
        double[] wrench = new double[6];
        m.contactWrench(m.body("b"), wrench);
        assertEquals(2.0 * 9.81, wrench[2], 0.5, "normal force");
        assertEquals(0, wrench[0], 0.1);
        double[] p = new double[3];
        m.bodyPosition(m.body("b"), p);
        assertEquals(0.1, p[2], 0.01, "box rests on the ground, not in it");
    }

    @Test
    void planarRobotStaysPlanar() {
        PhysicsWorld w = new PhysicsWorld();
        w.addGroundPlane(1f);
        Model m = Model.build(ModelSpec.loadResource("walker2d"), w);
        PhysicsWorldTest.drive(w, m, 1200, 5);
        double[] p = new double[3];
        for (Model.BodyInfo b : m.bodies()) {
            m.bodyPosition(b, p);
            assertEquals(0.0, p[1], 1e-6, b.name() + " left the x-z plane");
            double[] q = m.bodyOrientation(b);
            // rotation about y only: x and z components of the quaternion vanish relative to the spec pose
            double[] rel = Quat.mul(q, Quat.conj(b.rot0));
            assertEquals(0.0, rel[0], 1e-5);
            assertEquals(0.0, rel[2], 1e-5);
        }
    }

    @Test
    void randomizationScalesMassAndRestores() {
        PhysicsWorld w = new PhysicsWorld();
        Model m = Model.build(ModelSpec.loadResource("hopper"), w);
        double nominal = m.totalMass();
        m.randomize(new java.util.SplittableRandom(1), new ModelSpec.Randomization(new float[]{2f, 2f}, null, null, null));
        assertEquals(2 * nominal, m.totalMass(), 1e-3 * nominal);
        m.resetPhysicsParameters();
        assertEquals(nominal, m.totalMass(), 1e-4 * nominal);
    }

    static final String SLIDER = """
            {"name":"s","bodies":[{"name":"base","shape":{"type":"box","halfExtents":[0.2,0.2,0.05],"position":[0,0,0.5]}},
              {"name":"cart","mass":1.0,"shape":{"type":"box","halfExtents":[0.05,0.05,0.05],"position":[0,0,0.65]}}],
             "joints":[{"name":"fix","type":"fixed","child":"base"},
               {"name":"x","type":"slider","parent":"base","child":"cart","axis":[1,0,0],"rangeMetres":[-0.3,0.3]}],
             "actuators":[{"name":"pd","joint":"x","type":"position","kp":200,"kv":20,"forceRange":[-50,50],"ctrlRange":[-0.5,0.5]}],
             "sensors":[{"name":"xq","type":"jointPosition","target":"x"},{"name":"xv","type":"jointVelocity","target":"x"},
                        {"name":"p","type":"bodyPosition","target":"cart"}]}
            """;

    @Test
    void positionActuatorDrivesASliderToItsTarget() {
        PhysicsWorld w = new PhysicsWorld(PhysicsWorld.Config.DEFAULT.withGravity(0, 0, 0));
        Model m = Model.build(ModelSpec.parse(SLIDER, "slider"), w);
        m.setControl(new float[]{0.2f});
        w.step(480);
        assertEquals(0.2, m.jointPosition("x"), 0.01);
        float[] s = new float[m.sensorDim()];
        m.readSensors(s, 0);
        assertEquals(5, s.length);
        assertEquals(0.2, s[0], 0.01);
        assertEquals(0.0, s[1], 0.01);
        assertEquals(0.2, s[2], 0.01, "cart x");
        assertEquals(0.65, s[4], 0.01, "cart z unchanged");
        // beyond the range the slider stops at its limit
        m.setControl(new float[]{0.5f});
        w.step(480);
        assertTrue(m.jointPosition("x") <= 0.31, "slider limit, got " + m.jointPosition("x"));
    }

    @Test
    void freeBodyFallsFreely() {
        PhysicsWorld w = new PhysicsWorld();
        Model m = Model.build(ModelSpec.parse("""
                {"name":"ball","bodies":[{"name":"b","shape":{"type":"sphere","radius":0.1,"position":[0,0,5]}}]}
                """, "ball"), w);
        assertEquals(7, m.nq());
        w.step(240);
        double[] q = new double[7];
        m.qpos(q);
        assertEquals(5 - 0.5 * 9.81, q[2], 0.05, "one second of free fall");
    }
}
