package org.armature.envs.tasks;

import java.util.Map;
import java.util.SplittableRandom;

import org.armature.envs.Reset;
import org.armature.envs.Step;

/**
 * Planar cheetah after Gymnasium's {@code HalfCheetah-v5}: torso (with head) and two three-link legs, six torque
 * motors (gears 120, 90, 60, 120, 60, 30), joint springs and dampers as in MuJoCo's model, total mass 14 kg, reward
 * {@code forward_velocity - 0.1 |a|^2}, never terminates. Observation (17): qpos[1:] (root z relative to the start,
 * pitch, 6 joint angles), then qvel (9), unclipped. Control dt 12 x 1/240 s = 0.05 s (MuJoCo: 5 x 10 ms).
 */
public final class HalfCheetahEnv extends LocomotionEnv {

    public static final String ID = "HalfCheetah-v1";
    // Gymnasium half_cheetah_v5.py defaults
    static final double FORWARD_REWARD_WEIGHT = 1.0;
    static final double CTRL_COST_WEIGHT = 0.1;
    static final double RESET_NOISE_SCALE = 0.1;

    public HalfCheetahEnv() {
        super(ID, "half_cheetah", 12, 17, 1000, 0.0);
    }

    @Override
    protected Reset resetTask(SplittableRandom rng) {
        restoreInitialState();
        double[] q = initQpos.clone();
        double[] v = new double[qvel.length];
        for (int i = 0; i < q.length; i++) {
            q[i] += rng.nextDouble(-RESET_NOISE_SCALE, RESET_NOISE_SCALE);
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = RESET_NOISE_SCALE * gaussian(rng);
        }
        model.setState(q, v);
        readState();
        return new Reset(observation());
    }

    static double gaussian(SplittableRandom rng) {
        // Box-Muller from the env's own stream (deterministic for a seed)
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    @Override
    protected Step stepTask(float[] action) {
        double xBefore = qpos[0];
        simulate(action);
        readState();
        double xVelocity = (qpos[0] - xBefore) / controlDtSeconds();
        double forward = FORWARD_REWARD_WEIGHT * xVelocity;
        double ctrlCost = controlCost(action, CTRL_COST_WEIGHT);
        boolean finite = allFinite(qpos) && allFinite(qvel);
        return new Step(observation(), forward - ctrlCost, !finite, false, Map.of(
                "x_position", qpos[0], "x_velocity", xVelocity,
                "reward_forward", forward, "reward_ctrl", -ctrlCost));
    }

    private float[] observation() {
        float[] o = new float[17];
        o[0] = (float) rootZ();
        for (int i = 2; i < qpos.length; i++) {
            o[i - 1] = (float) qpos[i];
        }
        for (int i = 0; i < qvel.length; i++) {
            o[8 + i] = (float) qvel[i];
        }
        return o;
    }
}
