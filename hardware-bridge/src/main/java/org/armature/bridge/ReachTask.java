package org.armature.bridge;

import java.util.Locale;

import org.armature.envs.tasks.manipulation.PandaKinematics;
import org.armature.envs.tasks.manipulation.ReachEnv;

/**
 * Reach-v1 on a Panda: the observation is built from the measured joint positions and velocities with
 * {@link ReachEnv#observation} (the env's own code); the TCP position comes from the arm's forward kinematics, as a
 * robot computes it; the target is given by the operator. An action becomes joint position targets exactly as in
 * the env ({@link ReachEnv#jointTarget}: q + 0.05 a, clipped to the joint limits).
 */
public final class ReachTask implements DeploymentTask {

    /** Centre of Reach-v1's target box (m), the default target. */
    public static final double[] DEFAULT_TARGET = {0.45, 0.0, 0.40};

    private final String envId;
    private final double[] target;
    private final PandaKinematics kinematics = new PandaKinematics();
    private final double[] tcp = new double[3];

    public ReachTask(String envId, double[] target) {
        if (target.length != 3) {
            throw new IllegalArgumentException("a Reach target has 3 coordinates (x,y,z in m), got " + target.length);
        }
        for (double v : target) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("the Reach target must be finite");
            }
        }
        this.envId = envId;
        this.target = target.clone();
    }

    /** Parses {@code x,y,z} (m). */
    public static double[] parseTarget(String s) {
        String[] p = s.split(",");
        if (p.length != 3) {
            throw new IllegalArgumentException("target '" + s + "' must be x,y,z in metres, e.g. 0.45,0,0.4");
        }
        double[] t = new double[3];
        for (int i = 0; i < 3; i++) {
            try {
                t[i] = Double.parseDouble(p[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("target '" + s + "' must be x,y,z in metres, e.g. 0.45,0,0.4");
            }
        }
        return t;
    }

    public double[] target() {
        return target.clone();
    }

    @Override
    public String envId() {
        return envId;
    }

    @Override
    public int observationDim() {
        return ReachEnv.OBS_DIM;
    }

    @Override
    public int actionDim() {
        return PandaKinematics.DOF;
    }

    @Override
    public int dof() {
        return PandaKinematics.DOF;
    }

    @Override
    public void observation(RobotState state, float[] out) {
        kinematics.forward(state.positionsRad, tcp, null);
        ReachEnv.observation(state.positionsRad, state.velocitiesRadPerSec, tcp, target, out);
    }

    @Override
    public void jointTargets(RobotState state, float[] action, double[] out) {
        for (int i = 0; i < PandaKinematics.DOF; i++) {
            out[i] = ReachEnv.jointTarget(state.positionsRad, action, i);
        }
    }

    @Override
    public void actionFor(RobotState state, double[] targets, float[] out) {
        for (int i = 0; i < PandaKinematics.DOF; i++) {
            double a = (targets[i] - state.positionsRad[i]) / ReachEnv.DELTA_Q_RAD;
            out[i] = (float) Math.max(-1, Math.min(1, a));
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (target %.3f, %.3f, %.3f m)", envId, target[0], target[1], target[2]);
    }
}
