package org.armature.envs.tasks;

import org.armature.envs.Step;

/**
 * One-legged hopper after Gymnasium's {@code Hopper-v5}: planar torso-thigh-leg-foot, three torque motors (gear
 * 200), reward {@code healthy_reward + forward_velocity - 1e-3 |a|^2}, terminates when unhealthy (root z <= 0.7,
 * |pitch| >= 0.2 rad or any of qpos[2:], qvel outside (-100, 100)). Observation (11): qpos[1:] (root z, pitch, 3
 * joint angles), then qvel (6) clipped to [-10, 10]. Control dt 2 x 1/240 s = 8.33 ms (MuJoCo: 4 x 2 ms).
 */
public final class HopperEnv extends LocomotionEnv {

    public static final String ID = "Hopper-v1";
    // Gymnasium hopper_v5.py defaults
    static final double FORWARD_REWARD_WEIGHT = 1.0;
    static final double CTRL_COST_WEIGHT = 1e-3;
    static final double HEALTHY_REWARD = 1.0;
    static final double HEALTHY_Z_MIN = 0.7;
    static final double HEALTHY_ANGLE = 0.2;
    static final double HEALTHY_STATE = 100.0;
    static final double RESET_NOISE_SCALE = 5e-3;

    public HopperEnv() {
        super(ID, "hopper", DEFAULT_PHYSICS, 2, 11, 1000, 1.25, RESET_NOISE_SCALE, false);
    }

    @Override
    protected Step stepTask(float[] action) {
        return healthyPlanarStep(action, FORWARD_REWARD_WEIGHT, CTRL_COST_WEIGHT, HEALTHY_REWARD);
    }

    @Override
    protected boolean isHealthy() {
        double z = rootZ();
        double angle = qpos[2];
        for (int i = 2; i < qpos.length; i++) {
            if (!(Math.abs(qpos[i]) < HEALTHY_STATE)) {
                return false;
            }
        }
        for (double v : qvel) {
            if (!(Math.abs(v) < HEALTHY_STATE)) {
                return false;
            }
        }
        return z > HEALTHY_Z_MIN && Math.abs(angle) < HEALTHY_ANGLE;
    }

    @Override
    protected float[] observation() {
        return planarObservation(10.0);
    }
}
