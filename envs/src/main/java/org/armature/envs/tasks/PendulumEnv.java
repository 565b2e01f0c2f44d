package org.armature.envs.tasks;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.armature.envs.AbstractEnv;
import org.armature.envs.BoxSpace;
import org.armature.envs.EnvSpec;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.sim.Scene;

/**
 * Gymnasium's {@code Pendulum-v1}, reproduced exactly: g = 10, m = l = 1, dt = 0.05, max speed 8, max torque 2,
 * semi-implicit Euler integration in float64, reward {@code -(angle_normalize(th)^2 + 0.1 thdot^2 + 0.001 u^2)},
 * observation {@code [cos th, sin th, thdot]}, initial state uniform in [-pi, pi] x [-1, 1], never terminates
 * (the 200-step limit is a {@code TimeLimit} truncation).
 */
public final class PendulumEnv extends AbstractEnv {

    public static final String ID = "Pendulum-v1";
    // Gymnasium pendulum.py constants
    public static final double MAX_SPEED = 8.0;
    public static final double MAX_TORQUE = 2.0;
    public static final double DT = 0.05;
    public static final double G = 10.0;
    public static final double M = 1.0;
    public static final double L = 1.0;

    private static final EnvSpec SPEC = new EnvSpec(ID,
            new BoxSpace(new float[]{-1f, -1f, (float) -MAX_SPEED}, new float[]{1f, 1f, (float) MAX_SPEED}),
            new BoxSpace(new float[]{(float) -MAX_TORQUE}, new float[]{(float) MAX_TORQUE}),
            DT, 200);

    private double th;
    private double thdot;

    public PendulumEnv() {
        super(1);
    }

    @Override
    public EnvSpec spec() {
        return SPEC;
    }

    @Override
    protected Reset resetTask(SplittableRandom rng) {
        th = -Math.PI + 2 * Math.PI * rng.nextDouble();
        thdot = -1.0 + 2.0 * rng.nextDouble();
        return new Reset(observation());
    }

    @Override
    protected Step stepTask(float[] action) {
        double u = action[0]; // already clipped to [-2, 2]
        double costs = angleNormalize(th) * angleNormalize(th) + 0.1 * thdot * thdot + 0.001 * (u * u);
        double newThdot = thdot + (3 * G / (2 * L) * Math.sin(th) + 3.0 / (M * L * L) * u) * DT;
        newThdot = Math.max(-MAX_SPEED, Math.min(MAX_SPEED, newThdot));
        th = th + newThdot * DT;
        thdot = newThdot;
        return new Step(observation(), -costs, false, false, Map.of());
    }

    /** Sets the state directly (tests, replays). */
    public void setState(double theta, double thetaDot) {
        th = theta;
        thdot = thetaDot;
    }

    private float[] observation() {
        return new float[]{(float) Math.cos(th), (float) Math.sin(th), (float) thdot};
    }

    static double angleNormalize(double x) {
        // ((x + pi) % (2 pi)) - pi with Python's floored modulo
        double m = (x + Math.PI) % (2 * Math.PI);
        if (m < 0) {
            m += 2 * Math.PI;
        }
        return m - Math.PI;
    }

    @Override
    public Scene scene() {
        // pivot at (0, 0, 1.2); th = 0 points up; the rod swings in the x-z plane
        float len = (float) L;
        float cx = (float) (Math.sin(th) * len / 2);
        float cz = 1.2f + (float) (Math.cos(th) * len / 2);
        // capsule local z axis -> rotate about y by th
        float half = (float) (th / 2);
        float[] q = {0f, (float) Math.sin(half), 0f, (float) Math.cos(half)};
        List<Scene.Shape> shapes = List.of(
                new Scene.Shape("pivot", Scene.Kind.SPHERE, new float[]{0.06f, 0, 0}, new float[]{0, 0, 1.2f},
                        new float[]{0, 0, 0, 1}, new float[]{0.3f, 0.3f, 0.3f, 1f}, false),
                new Scene.Shape("pole", Scene.Kind.CAPSULE, new float[]{0.05f, len / 2, 0}, new float[]{cx, 0, cz},
                        q, new float[]{0.8f, 0.3f, 0.3f, 1f}, false));
        return new Scene(shapes,
                List.of(new Scene.Camera("front", new float[]{0, -3.5f, 1.2f}, new float[]{0, 0, 1.2f}, 45f)),
                -1, true);
    }
}
