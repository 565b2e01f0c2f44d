package org.armature.envs.tasks.manipulation;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.armature.envs.BoxSpace;
import org.armature.envs.EnvSpec;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.envs.StepReward;
import org.armature.sim.Model;
import org.armature.sim.ModelSpec;
import org.armature.sim.PhysicsWorld;
import org.armature.sim.Quat;
import org.armature.sim.Scene;

/**
 * {@code Reach-v1} / {@code ReachSparse-v1}: a 7-joint arm with the Franka Emika Panda's kinematics (modified DH
 * parameters, joint limits, link masses, torque limits; see {@link PandaKinematics} and {@code panda_arm.json})
 * moves its tool centre point (TCP) to a random target.
 *
 * <ul>
 *   <li>Action (7, in [-1, 1]): delta joint positions, {@value #DELTA_Q_RAD} rad per unit; the joint-space PD
 *       controller (position actuators) tracks {@code q_des = clip(q + 0.05 a, joint limits)}
 *       (kp/kv = 10-12.5 /s, so a full action moves a free joint at about 0.5-0.6 rad/s, inside the Panda's
 *       2.175-2.61 rad/s joint speed limits) over the control step.
 *       Gravity is off: the real arm's controller compensates gravity, which is what this models.</li>
 *   <li>Observation (20): q (7, rad), qdot (7, rad/s), TCP position (3, m), target position (3, m).</li>
 *   <li>Dense reward: {@code distance = -|tcp - target|} and {@code ctrl = -1e-3 |a|^2}.
 *       Success: {@code |tcp - target| < 0.05 m} (Fetch Reach's threshold).</li>
 *   <li>Reset: q = ready pose + U(-0.1, 0.1) rad per joint, at rest; target uniform in the box
 *       x in [0.25, 0.65], y in [-0.35, 0.35], z in [0.15, 0.65] m.</li>
 *   <li>Control 40 Hz (6 physics steps of 1/240 s), 150 steps (3.75 s) per episode.</li>
 * </ul>
 * {@link StepReward}: {@code step} and {@link #stepReward} share one evaluation of the task ({@code evaluate}), so
 * a twin that steps the physics itself (the hardware bridge's simulated robot) reports the same reward.
 */
public final class ReachEnv extends ManipulationEnv implements StepReward {

    public static final String ID = "Reach-v1";
    public static final String SPARSE_ID = "ReachSparse-v1";
    /** As v1, but the TCP in the observation and reward comes from the arm's forward kinematics, as on a robot. */
    public static final String KINEMATIC_ID = "Reach-v2";
    public static final String KINEMATIC_SPARSE_ID = "ReachSparse-v2";
    public static final int OBS_DIM = 20;
    public static final double DELTA_Q_RAD = 0.05;
    public static final double SUCCESS_DISTANCE = 0.05; // FetchReach-v1 distance_threshold
    static final double CTRL_COST_WEIGHT = 1e-3;
    static final double INIT_NOISE_RAD = 0.1;
    static final double[] TARGET_LOW = {0.25, -0.35, 0.15};
    static final double[] TARGET_HIGH = {0.65, 0.35, 0.65};
    static final int FRAME_SKIP = 6;
    static final int MAX_STEPS = 150;
    private static final String[] TERMS = {"distance", "ctrl"};

    private final Model.JointInfo[] joints = new Model.JointInfo[7];
    private final Model.BodyInfo hand;
    private final double[] tcpLocal;
    private final boolean kinematicTcp;
    private final PandaKinematics kinematics = new PandaKinematics();
    private final double[] q = new double[7];
    private final double[] qd = new double[7];
    private final double[] tcp = new double[3];
    private final double[] target = new double[3];
    private final float[] control = new float[7];
    private final double[] terms = new double[2];
    private final float[] scratchObservation = new float[OBS_DIM];
    private double distance;
    private double[] fixedTarget;

    public ReachEnv() {
        this(false);
    }

    public ReachEnv(boolean sparse) {
        this(sparse, false);
    }

    /**
     * @param kinematicTcp v2: the TCP from the forward kinematics of the measured joint angles ({@link
     *                     PandaKinematics}), exactly what a robot (and the hardware bridge) computes; v1 reads it from
     *                     the simulated hand body, up to 13 mm away
     */
    public ReachEnv(boolean sparse, boolean kinematicTcp) {
        super(ModelSpec.loadResource("panda_arm"), PhysicsWorld.Config.DEFAULT.withGravity(0f, 0f, 0f),
                FRAME_SKIP, 0.8f, sparse,
                dt -> new EnvSpec(kinematicTcp ? (sparse ? KINEMATIC_SPARSE_ID : KINEMATIC_ID)
                        : (sparse ? SPARSE_ID : ID), BoxSpace.unbounded(OBS_DIM), BoxSpace.uniform(7, -1f, 1f),
                        dt, MAX_STEPS), 7);
        this.kinematicTcp = kinematicTcp;
        for (int i = 0; i < 7; i++) {
            joints[i] = model.joint("joint" + (i + 1));
        }
        hand = model.body("link7");
        // TCP in the hand's frame, from the spec pose (all joints at 0): see PandaKinematics
        double[] tcp0 = new double[3];
        new PandaKinematics().forward(new double[7], tcp0, null);
        double[] p = new double[3];
        model.bodyPosition(hand, p);
        tcpLocal = Quat.rotateInverse(model.bodyOrientation(hand),
                new double[]{tcp0[0] - p[0], tcp0[1] - p[1], tcp0[2] - p[2]});
    }

    @Override
    protected Reset resetTask(SplittableRandom rng) {
        restoreInitialState();
        double[] qpos = new double[model.nq()];
        for (int i = 0; i < 7; i++) {
            double v = PandaKinematics.Q_HOME[i] + rng.nextDouble(-INIT_NOISE_RAD, INIT_NOISE_RAD);
            qpos[joints[i].qposAddress()] = clamp(v, PandaKinematics.Q_LOWER[i], PandaKinematics.Q_UPPER[i]);
        }
        model.setState(qpos, new double[model.nv()]);
        for (int k = 0; k < 3; k++) {
            target[k] = rng.nextDouble(TARGET_LOW[k], TARGET_HIGH[k]);
        }
        if (fixedTarget != null) {
            System.arraycopy(fixedTarget, 0, target, 0, 3);
        }
        readState();
        for (int i = 0; i < 7; i++) {
            control[i] = (float) q[i];
        }
        model.setControl(control);
        return new Reset(observation());
    }

    @Override
    protected Step stepTask(float[] action) {
        for (int i = 0; i < 7; i++) {
            control[i] = (float) jointTarget(q, action, i);
        }
        simulate(control);
        boolean success = evaluate(action);
        return finish(observation(), success, TERMS, terms, Map.of("distance", distance));
    }

    /**
     * The task's reward code, shared by {@link #stepTask} and {@link #stepReward}: reads the physics state, sets
     * {@link #distance} and the reward terms of a step that took {@code action}; returns the success rule.
     */
    private boolean evaluate(float[] action) {
        boolean success = evaluateState();
        double a2 = 0;
        for (float a : action) {
            a2 += a * a;
        }
        terms[1] = -CTRL_COST_WEIGHT * a2;
        return success;
    }

    /** The state's part of {@link #evaluate}: reads the state, sets the distance and its term; the success rule. */
    private boolean evaluateState() {
        readState();
        distance = distance();
        terms[0] = -distance;
        return distance < SUCCESS_DISTANCE;
    }

    /** Whether the observation of the current state is no longer finite (a physics blow-up); allocation-free. */
    private boolean diverged() {
        observation(q, qd, tcp, target, scratchObservation);
        return !allFinite(scratchObservation);
    }

    @Override
    public double stepReward(float[] action) {
        boolean success = evaluate(action);
        return reward(success, terms, diverged());
    }

    @Override
    public boolean stepSuccess() {
        return evaluateState() && !diverged();
    }

    private void readState() {
        for (int i = 0; i < 7; i++) {
            q[i] = model.jointPosition(joints[i]);
            qd[i] = model.jointVelocity(joints[i]);
        }
        if (kinematicTcp) {
            kinematics.forward(q, tcp, null);
        } else {
            model.pointToWorld(hand, tcpLocal, tcp);
        }
    }

    private double distance() {
        double dx = tcp[0] - target[0];
        double dy = tcp[1] - target[1];
        double dz = tcp[2] - target[2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    private float[] observation() {
        float[] o = new float[OBS_DIM];
        observation(q, qd, tcp, target, o);
        return o;
    }

    /**
     * The observation from joint positions and velocities, the TCP position and the target: the env's own code,
     * shared with the hardware bridge so that simulation and deployment build it identically.
     */
    public static void observation(double[] q, double[] qd, double[] tcp, double[] target, float[] out) {
        for (int i = 0; i < 7; i++) {
            out[i] = (float) q[i];
            out[7 + i] = (float) qd[i];
        }
        for (int k = 0; k < 3; k++) {
            out[14 + k] = (float) tcp[k];
            out[17 + k] = (float) target[k];
        }
    }

    /** Joint {@code i}'s position target for {@code action} taken at joint positions {@code q} (rad). */
    public static double jointTarget(double[] q, float[] action, int i) {
        return clamp(q[i] + DELTA_Q_RAD * action[i], PandaKinematics.Q_LOWER[i], PandaKinematics.Q_UPPER[i]);
    }

    /**
     * Fixes the target (m) of the following resets, as an operator gives it to a deployed policy (the hardware
     * bridge's simulated robot then rewards the distance to the target the deployment observes); null draws it
     * again. The draw still happens, so the random stream, and with it the start pose, stays the same.
     */
    public void fixTarget(double[] target) {
        if (target != null && (target.length != 3 || !Double.isFinite(target[0]) || !Double.isFinite(target[1])
                || !Double.isFinite(target[2]))) {
            throw new IllegalArgumentException("a Reach target is 3 finite coordinates (m)");
        }
        fixedTarget = target == null ? null : target.clone();
    }

    /** Current TCP position (m). */
    public double[] tcpPosition() {
        return tcp.clone();
    }

    /** Current target (m). */
    public double[] targetPosition() {
        return target.clone();
    }

    /** Current joint velocities (rad/s). */
    public double[] jointVelocities() {
        return qd.clone();
    }

    /** Current joint angles (rad). */
    public double[] jointPositions() {
        return q.clone();
    }

    static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    @Override
    protected void addSceneExtras(List<Scene.Shape> shapes) {
        shapes.add(new Scene.Shape("target", Scene.Kind.SPHERE, new float[]{(float) SUCCESS_DISTANCE, 0, 0},
                new float[]{(float) target[0], (float) target[1], (float) target[2]}, new float[]{0, 0, 0, 1},
                new float[]{0.2f, 0.85f, 0.3f, 0.35f}, true));
    }

    @Override
    protected List<Scene.Camera> cameras() {
        return List.of(new Scene.Camera("front", new float[]{1.8f, -1.2f, 1.2f}, new float[]{0.35f, 0f, 0.45f}, 45f));
    }
}
