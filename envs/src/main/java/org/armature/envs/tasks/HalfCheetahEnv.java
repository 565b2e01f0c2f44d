package org.armature.envs.tasks;

import java.util.Map;

import org.armature.envs.Step;
import org.armature.sim.PhysicsWorld;

/**
 * Planar cheetah after Gymnasium's {@code HalfCheetah-v5}: torso (with head) and two three-link legs, six torque
 * motors (gears 120, 90, 60, 120, 60, 30), joint springs and dampers as in MuJoCo's model, total mass 14 kg, reward
 * {@code forward_velocity - 0.1 |a|^2}, never terminates. Observation (17): qpos[1:] (root z relative to the start,
 * pitch, 6 joint angles), then qvel (9), unclipped. Control dt 0.05 s: v1 12 x 1/240 s, v2 5 x 1/100 s (MuJoCo:
 * 5 x 10 ms).
 */
public final class HalfCheetahEnv extends LocomotionEnv {

    public static final String ID = "HalfCheetah-v1";
    /** Same task at 1/100 s physics steps, 5 per control step (MuJoCo's 5 x 10 ms); see envs/README.md. */
    public static final String ID_V2 = "HalfCheetah-v2";
    public static final double V2_PHYSICS_DT_SECONDS = 1.0 / 100.0;
    /** v2 physics: the larger step, and each hinge's armature and limit rows solved inside the hinge's call. */
    public static final PhysicsWorld.Config V2_PHYSICS = DEFAULT_PHYSICS.withPhysicsDt(V2_PHYSICS_DT_SECONDS)
            .withHingeRowsInJoint(true);
    public static final int V2_FRAME_SKIP = 5;
    // Gymnasium half_cheetah_v5.py defaults
    static final double FORWARD_REWARD_WEIGHT = 1.0;
    static final double CTRL_COST_WEIGHT = 0.1;
    static final double RESET_NOISE_SCALE = 0.1;

    public HalfCheetahEnv() {
        this(ID, DEFAULT_PHYSICS, 12);
    }

    /** {@value #ID_V2}: the physics step chosen by the physics-step study (envs/README.md). */
    public static HalfCheetahEnv v2() {
        return new HalfCheetahEnv(ID_V2, V2_PHYSICS, V2_FRAME_SKIP);
    }

    /**
     * The same task with another physics configuration: {@code frameSkip} physics steps of
     * {@code physics.physicsDtSeconds()} per control step (registered versions and the physics-step study).
     */
    public HalfCheetahEnv(String id, PhysicsWorld.Config physics, int frameSkip) {
        super(id, "half_cheetah", physics, frameSkip, 17, 1000, 0.0, RESET_NOISE_SCALE, true);
    }

    @Override
    protected Step stepTask(float[] action) {
        double xVelocity = simulateForwardVelocity(action);
        double forward = FORWARD_REWARD_WEIGHT * xVelocity;
        double ctrlCost = controlCost(action, CTRL_COST_WEIGHT);
        return new Step(observation(), forward - ctrlCost, !isHealthy(), false, Map.of(
                "x_position", qpos[0], "x_velocity", xVelocity,
                "reward_forward", forward, "reward_ctrl", -ctrlCost));
    }

    @Override
    protected float[] observation() {
        return planarObservation(Double.POSITIVE_INFINITY);
    }
}
