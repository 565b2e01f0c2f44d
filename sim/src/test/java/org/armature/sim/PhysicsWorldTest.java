package org.armature.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class PhysicsWorldTest {

    static Model hopper(PhysicsWorld w) {
        w.addGroundPlane(1f);
        return Model.build(ModelSpec.loadResource("hopper"), w);
    }

    static double[] state(Model m) {
        double[] q = new double[m.nq()];
        double[] v = new double[m.nv()];
        m.qpos(q);
        m.qvel(v);
        double[] s = new double[q.length + v.length];
        System.arraycopy(q, 0, s, 0, q.length);
        System.arraycopy(v, 0, s, q.length, v.length);
        return s;
    }

    static void drive(PhysicsWorld w, Model m, int steps, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        float[] u = new float[m.actuatorCount()];
        for (int t = 0; t < steps; t++) {
            if (t % 2 == 0) {
                for (int i = 0; i < u.length; i++) {
                    u[i] = (float) rng.nextDouble(-1, 1);
                }
                m.setControl(u);
            }
            w.step();
        }
    }

    @Test
    void oneStepIsOnePhysicsStep() {
        PhysicsWorld w = new PhysicsWorld();
        assertEquals(1.0 / 240.0, w.physicsDtSeconds(), 0);
        hopper(w);
        w.step();
        w.step(4);
        assertEquals(5, w.stepCount());
        assertEquals(5 / 240.0, w.timeSeconds(), 1e-12);
    }

    @Test
    void sameControlsGiveIdenticalStates() {
        PhysicsWorld a = new PhysicsWorld();
        PhysicsWorld b = new PhysicsWorld();
        Model ma = hopper(a);
        Model mb = hopper(b);
        drive(a, ma, 400, 3);
        drive(b, mb, 400, 3);
        assertArrayEquals(state(ma), state(mb));
    }

    @Test
    void restoreGivesBitIdenticalContinuation() {
        PhysicsWorld w = new PhysicsWorld();
        Model m = hopper(w);
        drive(w, m, 150, 1); // in contact with the ground by now
        PhysicsWorld.Snapshot snap = w.snapshot();
        drive(w, m, 300, 2);
        double[] first = state(m);
        long steps = w.stepCount();
        w.restore(snap);
        assertEquals(150, w.stepCount());
        drive(w, m, 300, 2);
        assertArrayEquals(first, state(m));
        assertEquals(steps, w.stepCount());
    }

    @Test
    void worldRefusesForeignThreads() throws Exception {
        PhysicsWorld w = new PhysicsWorld();
        hopper(w);
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                w.step();
            } catch (Throwable e) {
                error.set(e);
            }
        });
        t.start();
        t.join();
        assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
        assertTrue(error.get().getMessage().contains("thread"));
    }

    @Test
    void configValidation() {
        assertThrows(IllegalArgumentException.class, () -> new PhysicsWorld.Config(0, new float[3], 10));
        assertThrows(IllegalArgumentException.class, () -> new PhysicsWorld.Config(0.01, new float[2], 10));
        assertThrows(IllegalArgumentException.class, () -> new PhysicsWorld.Config(0.01, new float[3], 0));
        assertFalse(PhysicsWorld.Config.DEFAULT.gravity()[2] >= 0);
    }
}
