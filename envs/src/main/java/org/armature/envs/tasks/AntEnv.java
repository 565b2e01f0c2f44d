package org.armature.envs.tasks;

import java.util.List;
import java.util.Map;

import org.armature.envs.Step;
import org.armature.sim.Model;
import org.armature.sim.PhysicsWorld;
import org.armature.sim.Scene;

/**
 * Quadruped after Gymnasium's {@code Ant-v5}: spherical torso with four two-link legs, eight torque motors (gear
 * 150), reward {@code healthy_reward + forward_velocity - 0.5 |a|^2 - 5e-4 |clip(contact wrenches, -1, 1)|^2},
 * terminates when unhealthy (torso z outside [0.2, 1.0] or a non-finite state). Observation (81): qpos[2:] (torso z,
 * orientation quaternion w, x, y, z, 8 joint angles), qvel (14: torso linear velocity in the world frame, angular
 * velocity in the torso frame, 8 joint velocities), then the clipped external contact wrench (torque, force) of each
 * of the 9 bodies (54). MuJoCo's model has 13 bodies (the massless "leg" bodies welded to the torso are merged into
 * the torso here), so its observation has 105 entries. Control dt 0.05 s: v1 12 x 1/240 s, v2 6 x 1/120 s (MuJoCo:
 * 5 x 10 ms).
 */
public final class AntEnv extends LocomotionEnv {

    public static final String ID = "Ant-v1";
    /** Same task at 1/120 s physics steps, 6 per control step (same 50 ms control dt); see envs/README.md. */
    public static final String ID_V2 = "Ant-v2";
    public static final double V2_PHYSICS_DT_SECONDS = 1.0 / 120.0;
    /** v2 physics: the larger step, and each hinge's armature and limit rows solved inside the hinge's call. */
    public static final PhysicsWorld.Config V2_PHYSICS = DEFAULT_PHYSICS.withPhysicsDt(V2_PHYSICS_DT_SECONDS)
            .withHingeRowsInJoint(true);
    public static final int V2_FRAME_SKIP = 6;
    // Gymnasium ant_v5.py defaults
    static final double FORWARD_REWARD_WEIGHT = 1.0;
    static final double CTRL_COST_WEIGHT = 0.5;
    static final double CONTACT_COST_WEIGHT = 5e-4;
    static final double CONTACT_FORCE_LIMIT = 1.0;
    static final double HEALTHY_REWARD = 1.0;
    static final double HEALTHY_Z_MIN = 0.2;
    static final double HEALTHY_Z_MAX = 1.0;
    static final double RESET_NOISE_SCALE = 0.1;
    static final int BODIES = 9;

    private final List<Model.BodyInfo> bodies;
    private final double[] contact = new double[BODIES * 6];
    private final double[] wrench = new double[6];

    public AntEnv() {
        this(ID, DEFAULT_PHYSICS, 12);
    }

    /** {@value #ID_V2}: the physics step chosen by the physics-step study (envs/README.md). */
    public static AntEnv v2() {
        return new AntEnv(ID_V2, V2_PHYSICS, V2_FRAME_SKIP);
    }

    /**
     * The same task with another physics configuration: {@code frameSkip} physics steps of
     * {@code physics.physicsDtSeconds()} per control step (registered versions and the physics-step study).
     */
    public AntEnv(String id, PhysicsWorld.Config physics, int frameSkip) {
        super(id, "ant", physics, frameSkip, 13 + 14 + BODIES * 6, 1000, 0.0, RESET_NOISE_SCALE, true);
        this.bodies = model.bodies();
    }

    @Override
    protected Step stepTask(float[] action) {
        double xVelocity = simulateForwardVelocity(action);
        boolean healthy = isHealthy();
        double forward = FORWARD_REWARD_WEIGHT * xVelocity;
        double ctrlCost = controlCost(action, CTRL_COST_WEIGHT);
        double contactCost = 0;
        for (double c : contact) {
            contactCost += c * c;
        }
        contactCost *= CONTACT_COST_WEIGHT;
        double reward = forward + HEALTHY_REWARD - ctrlCost - contactCost;
        return new Step(observation(), reward, !healthy, false, Map.of(
                "x_position", qpos[0], "y_position", qpos[1], "x_velocity", xVelocity,
                "reward_forward", forward, "reward_ctrl", -ctrlCost, "reward_contact", -contactCost,
                "reward_survive", HEALTHY_REWARD));
    }

    @Override
    protected boolean isHealthy() {
        return super.isHealthy() && qpos[2] >= HEALTHY_Z_MIN && qpos[2] <= HEALTHY_Z_MAX;
    }

    /** Reads qpos/qvel and the clipped contact wrenches. */
    @Override
    protected void readState() {
        super.readState();
        for (int b = 0; b < BODIES; b++) {
            model.contactWrench(bodies.get(b), wrench);
            for (int k = 0; k < 3; k++) {
                contact[b * 6 + k] = clip(wrench[3 + k]);
                contact[b * 6 + 3 + k] = clip(wrench[k]);
            }
        }
    }

    private static double clip(double x) {
        return Math.max(-CONTACT_FORCE_LIMIT, Math.min(CONTACT_FORCE_LIMIT, x));
    }

    @Override
    protected float[] observation() {
        float[] o = new float[spec.observationDim()];
        int k = 0;
        for (int i = 2; i < qpos.length; i++) {
            o[k++] = (float) qpos[i];
        }
        for (double v : qvel) {
            o[k++] = (float) v;
        }
        for (double c : contact) {
            o[k++] = (float) c;
        }
        return o;
    }

    @Override
    protected List<Scene.Camera> cameras() {
        return List.of(new Scene.Camera("diagonal", new float[]{-3f, -3f, 3f}, new float[]{0f, 0f, 0.5f}, 45f));
    }
}
