package org.armature.envs.tasks;

import java.util.Map;
import java.util.SplittableRandom;

import org.armature.envs.Reset;
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
        super(ID, "walker2d", 2, 17, 1000, 1.25);
    }

    @Override
    protected Reset resetTask(SplittableRandom rng) {
        resetWithNoise(rng, RESET_NOISE_SCALE, RESET_NOISE_SCALE, false);
        return new Reset(observation());
    }

    @Override
    protected Step stepTask(float[] action) {
        double xBefore = qpos[0];
        simulate(action);
        readState();
        double xVelocity = (qpos[0] - xBefore) / controlDtSeconds();
        double z = rootZ();
        boolean healthy = z > HEALTHY_Z_MIN && z < HEALTHY_Z_MAX && Math.abs(qpos[2]) < HEALTHY_ANGLE
                && allFinite(qpos) && allFinite(qvel);
        double forward = FORWARD_REWARD_WEIGHT * xVelocity;
        double ctrlCost = controlCost(action, CTRL_COST_WEIGHT);
        double reward = forward + HEALTHY_REWARD - ctrlCost;
        return new Step(observation(), reward, !healthy, false, Map.of(
                "x_position", qpos[0], "x_velocity", xVelocity, "z", z,
                "reward_forward", forward, "reward_ctrl", -ctrlCost, "reward_survive", HEALTHY_REWARD));
    }

    private float[] observation() {
        return planarObservation(10.0);
    }
}
