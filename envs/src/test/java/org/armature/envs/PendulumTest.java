package org.armature.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.armature.envs.tasks.PendulumEnv;
import org.junit.jupiter.api.Test;

class PendulumTest {

    @Test
    void matchesGymnasiumEquations() {
        PendulumEnv env = new PendulumEnv();
        env.reset(0);
        env.setState(0.5, -1.0);
        // hand-computed with gymnasium/envs/classic_control/pendulum.py (g=10, m=l=1, dt=0.05)
        double th = 0.5;
        double thdot = -1.0;
        float[][] actions = {{1.5f}, {-3f}, {0.25f}};
        for (float[] a : actions) {
            double u = Math.max(-2, Math.min(2, a[0]));
            double norm = ((th + Math.PI) % (2 * Math.PI)) - Math.PI;
            double cost = norm * norm + 0.1 * thdot * thdot + 0.001 * u * u;
            double newThdot = thdot + (3 * 10.0 / 2 * Math.sin(th) + 3.0 * u) * 0.05;
            newThdot = Math.max(-8, Math.min(8, newThdot));
            th = th + newThdot * 0.05;
            thdot = newThdot;
            Step s = env.step(a);
            assertEquals(-cost, s.reward(), 1e-12);
            assertArrayEquals(new float[]{(float) Math.cos(th), (float) Math.sin(th), (float) thdot}, s.observation());
            assertFalse(s.done());
        }
        // first step from rest at the bottom with no torque
        env.setState(Math.PI, 0);
        Step s = env.step(new float[]{0f});
        assertEquals(-(Math.PI * Math.PI), s.reward(), 1e-9, "angle_normalize(pi) = -pi");
    }

    @Test
    void timeLimitIs200AndResetIsUniform() {
        Env env = Envs.make("Pendulum-v1");
        float[] obs = env.reset(42).observation();
        assertEquals(1.0, obs[0] * obs[0] + obs[1] * obs[1], 1e-6);
        assertTrue(Math.abs(obs[2]) <= 1.0f);
        int t = 0;
        Step s;
        do {
            s = env.step(new float[]{0f});
            t++;
        } while (!s.done());
        assertEquals(200, t);
        assertTrue(s.truncated());
        assertFalse(s.terminated());
    }

    @Test
    void angleNormalizeIsFlooredModulo() {
        assertEquals(-Math.PI, angle(Math.PI), 1e-12);
        assertEquals(Math.PI - 0.5, angle(-Math.PI - 0.5), 1e-12);
        assertEquals(0.3, angle(0.3 + 4 * Math.PI), 1e-9);
    }

    private static double angle(double x) {
        try {
            var m = PendulumEnv.class.getDeclaredMethod("angleNormalize", double.class);
            m.setAccessible(true);
            return (double) m.invoke(null, x);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
