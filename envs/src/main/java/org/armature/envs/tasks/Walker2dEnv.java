package org.armature.envs.tasks;

import org.armature.envs.Step;

/**
 * Two-legged planar walker after Gymnasium's {@code Walker2d-v5}: torso with two thigh-leg-foot chains, six torque
 * motors (gear 100), reward {@code healthy_reward + forward_velocity - 1e-3 |a|^2}, terminates when unhealthy (root
 * z outside (0.8, 2.0) or pitch outside (-1, 1) rad). Observation (17): qpos[1:] (8), then qvel (9) clipped to
 * [-10, 10]. Control dt 2 x 1/240 s (MuJoCo: 4 x 2 ms).
 */
public final class Walker2dEnv extends LocomotionEnv {

    public static final String ID = "Walker2d-v1";
    // Gymnasium walker2d_v5.py defaults
    static final double FORWARD_REWARD_WEIGHT = 1.0;
    static final double CTRL_COST_WEIGHT = 1e-3;
    static final double HEALTHY_REWARD = 1.0;
    static final double HEALTHY_Z_MIN = 0.8;
    static final double HEALTHY_Z_MAX = 2.0;
    static final double HEALTHY_ANGLE = 1.0;
    static final double RESET_NOISE_SCALE = 5e-3;

    public Walker2dEnv() {
        super(ID, "walker2d", DEFAULT_PHYSICS, 2, 17, 1000, 1.25, RESET_NOISE_SCALE, false);
    }

    @Override
    protected Step stepTask(float[] action) {
        return healthyPlanarStep(action, FORWARD_REWARD_WEIGHT, CTRL_COST_WEIGHT, HEALTHY_REWARD);
    }

    @Override
    protected boolean isHealthy() {
        double z = rootZ();
        return z > HEALTHY_Z_MIN && z < HEALTHY_Z_MAX && Math.abs(qpos[2]) < HEALTHY_ANGLE && super.isHealthy();
    }

    @Override
    protected float[] observation() {
        return planarObservation(10.0);
    }
}
