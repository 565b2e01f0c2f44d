package org.armature.envs.tasks.manipulation;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import javax.vecmath.Quat4f;
import javax.vecmath.Vector3f;

import com.bulletphysics.dynamics.RigidBody;
import com.bulletphysics.linearmath.Transform;

import org.armature.envs.BoxSpace;
import org.armature.envs.EnvSpec;
import org.armature.envs.Reset;
import org.armature.envs.Step;
import org.armature.sim.Model;
import org.armature.sim.ModelSpec;
import org.armature.sim.PhysicsWorld;
import org.armature.sim.Quat;
import org.armature.sim.Scene;

/**
 * {@code PegInsert-v1} / {@code PegInsertSparse-v1}: precise insertion in the spirit of ResiP (Ankile et al. 2024,
 * "From Imitation to Refinement"). A 1 kg gripper holds a square peg (30 x 30 x 80 mm, 0.1 kg, welded to the gripper by a fixed
 * joint from the start: no grasping) above a table; a fixture built from four boxes has a square hole of 34 mm, i.e.
 * 2 mm clearance per side, and 50 mm deep. The fixture's position and yaw are drawn per episode and observed with
 * Gaussian noise (default 1 mm and 0.01 rad, drawn every step; {@link #setHoleObservationNoise}).
 *
 * <ul>
 *   <li>Action (4, in [-1, 1]): delta Cartesian position of the gripper (x, y, z; 20 mm per unit) and delta yaw
 *       (0.1 rad per unit). The target pose {@code current + delta} is tracked over the control step by a Cartesian
 *       impedance controller on the gripper (force {@code Kp (p_d - p) - Kd v} plus gravity compensation of gripper
 *       and peg, clipped to 40 N; torque {@code Kr e_R - Dr w} towards upright with the target yaw).</li>
 *   <li>Observation (11): peg tip (bottom centre) position (3, m), peg yaw (1, rad), gripper linear velocity
 *       (3, m/s), observed hole centre at the rim (3, m, noisy), observed hole yaw (1, rad, noisy).</li>
 *   <li>Success: the peg tip is inside the hole's opening (hole frame |x|, |y| below the half width) and at least
 *       {@value #SUCCESS_DEPTH_M} m below the rim. The walls make this reachable only by going through the opening.</li>
 *   <li>Dense reward terms: {@code approach = -2 d_xy - 0.1 |yaw error mod 90 deg|}, {@code descend = -0.5
 *       max(0, tip height above rim)} once within 5 mm in the plane, {@code depth = clip(depth / 0.03, 0, 1)} while
 *       inside the opening, {@code ctrl = -1e-3 |a|^2}.</li>
 *   <li>Reset: hole centre uniform in [-0.1, 0.1]^2 m with yaw in [-30, 30] deg; gripper at x, y in [-0.15, 0.15] m,
 *       peg tip 0.10-0.16 m above the table, yaw in [-30, 30] deg, at rest.</li>
 *   <li>Control 20 Hz (12 physics steps of 1/240 s), 200 steps (10 s) per episode.</li>
 * </ul>
 */
public final class PegInsertEnv extends ManipulationEnv {

    public static final String ID = "PegInsert-v1";
    public static final String SPARSE_ID = "PegInsertSparse-v1";
    public static final int OBS_DIM = 11;
    public static final double DELTA_POS_M = 0.02;
    public static final double DELTA_YAW_RAD = 0.1;
    public static final double PEG_HALF_WIDTH = 0.015;
    public static final double PEG_HALF_LENGTH = 0.04;
    public static final double HOLE_HALF_WIDTH = 0.017;
    public static final double HOLE_DEPTH = 0.05;
    public static final double SUCCESS_DEPTH_M = 0.03;
    static final double HOLE_RANGE_M = 0.1;
    static final double HOLE_YAW_RANGE = Math.toRadians(30);
    static final double START_RANGE_M = 0.15;
    static final int FRAME_SKIP = 12;
    /** Below the 2 mm clearance: Bullet's 2 cm default keeps stale rim contacts alive inside the hole. */
    static final double CONTACT_BREAKING_THRESHOLD_M = 0.001;
    static final int MAX_STEPS = 200;
    // Translational impedance: 16.5 rad/s, damping ratio 0.83 for the 1.1 kg gripper + peg. Rotational: a stiff
    // wrist, 10 N m/rad and 0.15 N m s/rad (about 130 rad/s on the gripper's weakest axis: explicit-stable at
    // 240 Hz). Values chosen for this model; a Franka's Cartesian impedance example uses 150-200 N/m.
    static final double KP = 300;
    static final double KD = 30;
    static final double MAX_FORCE = 40;
    static final double KR = 10;
    static final double DR = 0.15;
    private static final String[] TERMS = {"approach", "descend", "depth", "ctrl"};

    private final Model.BodyInfo gripper;
    private final Model.BodyInfo peg;
    private final Model.BodyInfo hole;
    private final RigidBody gripperRb;
    private final double[] holePos0;
    private final double[] holeRot0;
    private final double[] pegTipLocal;
    private final double[] gripperRot0;
    private final double[] gripperSpecPos;
    private double holeNoisePosStd = 0.001;
    private double holeNoiseYawStd = 0.01;

    // episode state
    private final double[] holeCenter = new double[3]; // centre of the opening at the rim
    private double holeYaw;
    private final double[] tip = new double[3];
    private double pegYaw;
    private final double[] gripperVel = new double[3];
    private final double[] targetPos = new double[3];
    private double targetYaw;
    private final double[] terms = new double[4];
    private boolean hasTarget;

    // controller scratch
    private final Transform tmpT = new Transform();
    private final Vector3f tmpV = new Vector3f();
    private final Vector3f force = new Vector3f();
    private final Quat4f tmpQ = new Quat4f();
    private final double kr;
    private final double dr;

    public PegInsertEnv() {
        this(false);
    }

    public PegInsertEnv(boolean sparse) {
        super(ModelSpec.loadResource("peg_insert"), PhysicsWorld.Config.DEFAULT.withContactBreakingThreshold(
                        CONTACT_BREAKING_THRESHOLD_M), FRAME_SKIP, 0.5f, sparse,
                dt -> new EnvSpec(sparse ? SPARSE_ID : ID, BoxSpace.unbounded(OBS_DIM), BoxSpace.uniform(4, -1f, 1f),
                        dt, MAX_STEPS), 4);
        gripper = model.body("gripper");
        peg = model.body("peg");
        hole = model.body("hole");
        gripperRb = gripper.rigidBody();
        holePos0 = new double[3];
        model.bodyPosition(hole, holePos0);
        holeRot0 = model.bodyOrientation(hole);
        gripperRot0 = model.bodyOrientation(gripper);
        gripperSpecPos = new double[3];
        model.bodyPosition(gripper, gripperSpecPos);
        pegTipLocal = Quat.rotateInverse(model.bodyOrientation(peg), new double[]{0, 0, -PEG_HALF_LENGTH});
        kr = KR;
        dr = DR;
        world.addPreStepHook(w -> applyController());
    }

    /** Standard deviations of the noise on the observed hole position (m) and yaw (rad); 0 for exact. */
    public void setHoleObservationNoise(double positionStdMetres, double yawStdRad) {
        if (!(positionStdMetres >= 0) || !(yawStdRad >= 0)) {
            throw new IllegalArgumentException("hole observation noise must be >= 0, got " + positionStdMetres
                    + " m and " + yawStdRad + " rad");
        }
        this.holeNoisePosStd = positionStdMetres;
        this.holeNoiseYawStd = yawStdRad;
    }

    @Override
    protected Reset resetTask(SplittableRandom rng) {
        restoreInitialState();
        hasTarget = false;
        // fixture pose
        double hx = rng.nextDouble(-HOLE_RANGE_M, HOLE_RANGE_M);
        double hy = rng.nextDouble(-HOLE_RANGE_M, HOLE_RANGE_M);
        holeYaw = rng.nextDouble(-HOLE_YAW_RANGE, HOLE_YAW_RANGE);
        double[] rz = Quat.axisAngle(new double[]{0, 0, 1}, holeYaw);
        double[] p = Quat.rotate(rz, holePos0);
        double[] r = Quat.mul(rz, holeRot0);
        RigidBody hrb = hole.rigidBody();
        Transform t = new Transform();
        t.setIdentity();
        t.origin.set((float) (p[0] + hx), (float) (p[1] + hy), (float) p[2]);
        t.setRotation(new Quat4f((float) r[0], (float) r[1], (float) r[2], (float) r[3]));
        hrb.setWorldTransform(t);
        hrb.setInterpolationWorldTransform(t);
        world.dynamicsWorld().updateSingleAabb(hrb);
        holeCenter[0] = hx;
        holeCenter[1] = hy;
        holeCenter[2] = HOLE_DEPTH;
        // gripper pose (free root: x, y, z, qw, qx, qy, qz relative to the spec pose)
        double[] qpos = model.initialQpos();
        double[] gp = new double[3];
        model.bodyPosition(gripper, gp);
        double gx = rng.nextDouble(-START_RANGE_M, START_RANGE_M);
        double gy = rng.nextDouble(-START_RANGE_M, START_RANGE_M);
        double tipHeight = rng.nextDouble(0.10, 0.16);
        double specTip = 0.3 - PEG_HALF_LENGTH;
        double yaw = rng.nextDouble(-HOLE_YAW_RANGE, HOLE_YAW_RANGE);
        // rotate the spec pose about the peg axis (x = y = 0) by yaw, then translate
        double[] g = Quat.rotate(Quat.axisAngle(Z_AXIS, yaw), gp);
        setGripperAtRest(qpos, g[0] + gx, g[1] + gy, gp[2] + tipHeight - specTip, yaw);
        return new Reset(observation(rng));
    }

    @Override
    protected Step stepTask(float[] action) {
        gripperRb.getCenterOfMassTransform(tmpT);
        targetPos[0] = tmpT.origin.x + DELTA_POS_M * action[0];
        targetPos[1] = tmpT.origin.y + DELTA_POS_M * action[1];
        targetPos[2] = tmpT.origin.z + DELTA_POS_M * action[2];
        targetYaw = pegYaw + DELTA_YAW_RAD * action[3];
        hasTarget = true;
        world.step(frameSkip);
        readState();
        // hole-frame tip coordinates
        double dx = tip[0] - holeCenter[0];
        double dy = tip[1] - holeCenter[1];
        double c = Math.cos(holeYaw);
        double s = Math.sin(holeYaw);
        double lx = c * dx + s * dy;
        double ly = -s * dx + c * dy;
        double dxy = Math.sqrt(dx * dx + dy * dy);
        double aboveRim = tip[2] - holeCenter[2];
        double depth = -aboveRim;
        boolean inside = Math.abs(lx) < HOLE_HALF_WIDTH && Math.abs(ly) < HOLE_HALF_WIDTH;
        boolean success = inside && depth >= SUCCESS_DEPTH_M;
        double yawErr = Math.abs(wrapQuarter(pegYaw - holeYaw));
        terms[0] = -2 * dxy - 0.1 * yawErr;
        terms[1] = dxy < 0.005 ? -0.5 * Math.max(0, aboveRim) : -0.5 * Math.max(0, aboveRim + 0.05);
        terms[2] = inside ? Math.max(0, Math.min(1, depth / SUCCESS_DEPTH_M)) : 0;
        double a2 = 0;
        for (float v : action) {
            a2 += v * v;
        }
        terms[3] = -1e-3 * a2;
        return finish(observation(rng()), success, TERMS, terms, Map.of("insertion_depth", depth,
                "xy_error", dxy));
    }

    /** Impedance controller, run before every physics step. */
    private void applyController() {
        if (!hasTarget) {
            return;
        }
        gripperRb.getCenterOfMassTransform(tmpT);
        gripperRb.getLinearVelocity(tmpV);
        double g = 9.81 * (model.mass(gripper) + model.mass(peg));
        double fx = KP * (targetPos[0] - tmpT.origin.x) - KD * tmpV.x;
        double fy = KP * (targetPos[1] - tmpT.origin.y) - KD * tmpV.y;
        double fz = KP * (targetPos[2] - tmpT.origin.z) - KD * tmpV.z;
        double n = Math.sqrt(fx * fx + fy * fy + fz * fz);
        if (n > MAX_FORCE) {
            fx *= MAX_FORCE / n;
            fy *= MAX_FORCE / n;
            fz *= MAX_FORCE / n;
        }
        force.set((float) fx, (float) fy, (float) (fz + g));
        gripperRb.applyCentralForce(force);
        // orientation: error rotation from current to (upright, target yaw), as a rotation vector
        // the gripper's body frame is its principal-axes frame: compare q * conj(q0) (its rotation from the spec
        // pose) with the target rotation Rz(targetYaw); e = Rz(targetYaw) * conj(q * conj(q0))
        tmpT.getRotation(tmpQ);
        double[] r0 = gripperRot0;
        double cw = tmpQ.w * r0[3] + tmpQ.x * r0[0] + tmpQ.y * r0[1] + tmpQ.z * r0[2];
        double cx = -tmpQ.w * r0[0] + tmpQ.x * r0[3] - tmpQ.y * r0[2] + tmpQ.z * r0[1];
        double cy = -tmpQ.w * r0[1] + tmpQ.x * r0[2] + tmpQ.y * r0[3] - tmpQ.z * r0[0];
        double cz = -tmpQ.w * r0[2] - tmpQ.x * r0[1] + tmpQ.y * r0[0] + tmpQ.z * r0[3];
        double hy = targetYaw / 2;
        double dw = Math.cos(hy);
        double dz = Math.sin(hy);
        double qx = -cx;
        double qy = -cy;
        double qz = -cz;
        double qw = cw;
        double ew = dw * qw - dz * qz;
        double ex = dw * qx - dz * qy;
        double ey = dw * qy + dz * qx;
        double ez = dw * qz + dz * qw;
        if (ew < 0) {
            ex = -ex;
            ey = -ey;
            ez = -ez;
        }
        gripperRb.getAngularVelocity(tmpV);
        force.set((float) (kr * 2 * ex - dr * tmpV.x), (float) (kr * 2 * ey - dr * tmpV.y),
                (float) (kr * 2 * ez - dr * tmpV.z));
        gripperRb.applyTorque(force);
    }

    private void readState() {
        double[] w = model.pointToWorld(peg, pegTipLocal);
        System.arraycopy(w, 0, tip, 0, 3);
        // the peg's body frame is the box's frame, identity at the spec pose: its twist about z is the yaw
        pegYaw = Quat.twistAngle(model.bodyOrientation(peg), Z_AXIS);
        model.bodyLinearVelocity(gripper, gripperVel);
    }

    private static final double[] Z_AXIS = {0, 0, 1};

    private float[] observation(SplittableRandom rng) {
        float[] o = new float[OBS_DIM];
        o[0] = (float) tip[0];
        o[1] = (float) tip[1];
        o[2] = (float) tip[2];
        o[3] = (float) pegYaw;
        o[4] = (float) gripperVel[0];
        o[5] = (float) gripperVel[1];
        o[6] = (float) gripperVel[2];
        o[7] = (float) (holeCenter[0] + holeNoisePosStd * gaussian(rng));
        o[8] = (float) (holeCenter[1] + holeNoisePosStd * gaussian(rng));
        o[9] = (float) (holeCenter[2] + holeNoisePosStd * gaussian(rng));
        o[10] = (float) (holeYaw + holeNoiseYawStd * gaussian(rng));
        return o;
    }

    /** Wraps an angle into [-pi/4, pi/4) (the square peg's 90-degree symmetry). */
    public static double wrapQuarter(double a) {
        double q = Math.PI / 2;
        return a - q * Math.floor((a + q / 2) / q);
    }

    /**
     * Places the gripper (at rest) so that the peg tip is at {@code (x, y, z)} with the given yaw, keeping the current
     * fixture: a hand-built state for tests. Call right after {@code reset}.
     */
    public float[] placePegTip(double x, double y, double z, double yaw) {
        double[] qpos = new double[model.nq()];
        model.qpos(qpos);
        double[] g = Quat.rotate(Quat.axisAngle(Z_AXIS, yaw), gripperSpecPos);
        double specTip = gripperSpecPos[2] - (0.3 - PEG_HALF_LENGTH);
        setGripperAtRest(qpos, g[0] + x, g[1] + y, z + specTip, yaw);
        return observation(rng());
    }

    /**
     * Sets the state to {@code qpos} with the gripper's free root (x, y, z, qw, qx, qy, qz relative to the spec pose)
     * at {@code (x, y, z)} and turned by {@code yaw} about the vertical, all velocities zero, and reads it.
     */
    private void setGripperAtRest(double[] qpos, double x, double y, double z, double yaw) {
        int a = model.joint("gripper_free").qposAddress();
        qpos[a] = x;
        qpos[a + 1] = y;
        qpos[a + 2] = z;
        qpos[a + 3] = Math.cos(yaw / 2);
        qpos[a + 4] = 0;
        qpos[a + 5] = 0;
        qpos[a + 6] = Math.sin(yaw / 2);
        model.setState(qpos, new double[model.nv()]);
        readState();
    }

    /** Exact (noise-free) hole centre at the rim and yaw; for tests and tools. */
    public double[] holePose() {
        return new double[]{holeCenter[0], holeCenter[1], holeCenter[2], holeYaw};
    }

    /** Peg tip position (m), read from the physics state now. */
    public double[] pegTip() {
        return model.pointToWorld(peg, pegTipLocal);
    }

    @Override
    protected void addSceneExtras(List<Scene.Shape> shapes) {
        // translucent marker of the success region: the lower part of the hole's opening
        double[] q = Quat.axisAngle(new double[]{0, 0, 1}, holeYaw);
        float h = (float) ((HOLE_DEPTH - SUCCESS_DEPTH_M) / 2);
        shapes.add(new Scene.Shape("hole_target", Scene.Kind.BOX,
                new float[]{(float) HOLE_HALF_WIDTH, (float) HOLE_HALF_WIDTH, h},
                new float[]{(float) holeCenter[0], (float) holeCenter[1], h},
                new float[]{(float) q[0], (float) q[1], (float) q[2], (float) q[3]},
                new float[]{0.2f, 0.85f, 0.3f, 0.4f}, true));
    }

    @Override
    protected List<Scene.Camera> cameras() {
        return List.of(new Scene.Camera("front", new float[]{0.45f, -0.45f, 0.4f}, new float[]{0f, 0f, 0.05f}, 45f));
    }
}
