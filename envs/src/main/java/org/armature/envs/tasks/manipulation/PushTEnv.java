package org.armature.envs.tasks.manipulation;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

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
 * {@code PushT-v1} / {@code PushTSparse-v1}: Diffusion Policy's Push-T (Chi et al. 2023) in 3-D physics. A T-shaped
 * block (a compound of two boxes, 30 mm tall, 0.3 kg) lies on a table inside four walls; a round pusher (radius
 * 30 mm) hovering 4 mm above the table is driven in the plane by DP's PD law towards the commanded position, and must
 * push the T onto a fixed goal pose.
 *
 * <p>Geometry is DP's with 1 unit = 2 mm: bar 240 x 60 mm and stem 60 x 180 mm, the block's reference point at the
 * middle of the bar's outer edge with the stem along its local +y (DP's body origin); workspace 1 x 1 m centred at
 * the origin (DP's 512 x 512 units, centre 256, 256); goal pose (0, 0, 45 deg) (DP's (256, 256, pi/4)).
 *
 * <ul>
 *   <li>Action (2, in [-0.5, 0.5] m): target position of the pusher. Pusher force
 *       {@code m (100 (target - p) - 20 v)} (DP's k_p = 100, k_v = 20, per unit mass), its height held by a PD with
 *       gravity compensation; it cannot rotate (gantry-mounted).</li>
 *   <li>Observation (23): pusher x, y (m); block reference point x, y (m) and angle (rad, wrapped to [-pi, pi));
 *       the T's 8 outline vertices (16, world x, y); pusher velocity x, y (m/s).</li>
 *   <li>Reward (dense): {@code coverage} = area of the goal T covered by the block / goal area, computed exactly
 *       by polygon intersection of the block's bar and stem footprints (from the full 3-D pose) with the goal's.
 *       Success: coverage >= 0.95 (DP's threshold).</li>
 *   <li>Reset (DP's ranges scaled): pusher uniform in [-0.4, 0.4]^2, block reference point in [-0.3, 0.3]^2, angle
 *       uniform in [-pi, pi); re-drawn until the pusher clears the block, the block keeps 0.1 m from the walls (so every
 *       side can be pushed; DP's range lets the T touch its walls) and the coverage is below 0.95.</li>
 *   <li>Control 10 Hz (DP's), 12 physics steps of 1/120 s; 300 steps per episode (DP's limit).</li>
 * </ul>
 */
public final class PushTEnv extends ManipulationEnv {

    public static final String ID = "PushT-v1";
    public static final String SPARSE_ID = "PushTSparse-v1";
    public static final int OBS_DIM = 23;
    public static final double SUCCESS_COVERAGE = 0.95; // DP pusht_env.py success_threshold
    public static final double UNIT_M = 0.002;
    public static final double BAR_HALF_WIDTH = 60 * UNIT_M;
    public static final double BAR_HEIGHT = 30 * UNIT_M;
    public static final double STEM_HALF_WIDTH = 15 * UNIT_M;
    public static final double STEM_END = 120 * UNIT_M;
    public static final double PUSHER_RADIUS = 0.03;
    public static final double WORKSPACE_HALF = 0.5;
    public static final double[] GOAL_POSE = {0, 0, Math.PI / 4};
    static final double KP = 100; // DP pusht_env.py k_p
    static final double KV = 20;  // DP pusht_env.py k_v
    static final double PUSHER_HEIGHT = 0.024; // centre height: bottom 4 mm above the table
    /** 120 Hz physics (DP simulates Push-T at 100 Hz with pymunk); slow planar pushing needs no more. */
    static final double PHYSICS_DT = 1.0 / 120.0;
    static final int FRAME_SKIP = 12;
    static final int MAX_STEPS = 300;
    private static final String[] TERMS = {"coverage"};

    /** The T's outline in block coordinates (reference point origin), counter-clockwise, 8 vertices. */
    public static final double[] OUTLINE = {
            -BAR_HALF_WIDTH, 0, BAR_HALF_WIDTH, 0, BAR_HALF_WIDTH, BAR_HEIGHT, STEM_HALF_WIDTH, BAR_HEIGHT,
            STEM_HALF_WIDTH, STEM_END, -STEM_HALF_WIDTH, STEM_END, -STEM_HALF_WIDTH, BAR_HEIGHT,
            -BAR_HALF_WIDTH, BAR_HEIGHT};

    private final Model.BodyInfo block;
    private final Model.BodyInfo pusher;
    private final RigidBody pusherRb;
    private final double[] blockPos0;
    private final double[] blockRot0;
    private final TCoverage coverage = new TCoverage();
    private final double[] goalBar = new double[8];
    private final double[] goalStem = new double[8];
    private final double goalArea;
    private final double[] bar = new double[8];
    private final double[] stem = new double[8];
    // local bottom-face corners of bar and stem (block body frame)
    private final double[][] barLocal = new double[4][];
    private final double[][] stemLocal = new double[4][];

    private final double[] target = new double[2];
    private boolean hasTarget;
    private final double[] blockPose = new double[3];
    private final double[] pusherPos = new double[3];
    private final double[] pusherVel = new double[3];
    private double lastCoverage;

    private final Transform tmpT = new Transform();
    private final Vector3f tmpV = new Vector3f();
    private final Vector3f force = new Vector3f();

    public PushTEnv() {
        this(false);
    }

    public PushTEnv(boolean sparse) {
        super(ModelSpec.loadResource("push_t"), PhysicsWorld.Config.DEFAULT.withPhysicsDt(PHYSICS_DT), FRAME_SKIP, 1.0f, sparse,
                dt -> new EnvSpec(sparse ? SPARSE_ID : ID, BoxSpace.unbounded(OBS_DIM),
                        BoxSpace.uniform(2, (float) -WORKSPACE_HALF, (float) WORKSPACE_HALF), dt, MAX_STEPS), 2);
        block = model.body("block");
        pusher = model.body("pusher");
        pusherRb = pusher.rigidBody();
        pusherRb.setAngularFactor(0f);
        blockPos0 = new double[3];
        model.bodyPosition(block, blockPos0);
        blockRot0 = model.bodyOrientation(block);
        // bottom-face corners of the two boxes, in the block body frame (spec pose: reference point at the origin)
        double[][] barW = {{-BAR_HALF_WIDTH, 0, 0}, {BAR_HALF_WIDTH, 0, 0}, {BAR_HALF_WIDTH, BAR_HEIGHT, 0},
                {-BAR_HALF_WIDTH, BAR_HEIGHT, 0}};
        double[][] stemW = {{-STEM_HALF_WIDTH, BAR_HEIGHT, 0}, {STEM_HALF_WIDTH, BAR_HEIGHT, 0},
                {STEM_HALF_WIDTH, STEM_END, 0}, {-STEM_HALF_WIDTH, STEM_END, 0}};
        for (int k = 0; k < 4; k++) {
            barLocal[k] = Quat.rotateInverse(blockRot0, sub(barW[k], blockPos0));
            stemLocal[k] = Quat.rotateInverse(blockRot0, sub(stemW[k], blockPos0));
        }
        tPolygons(GOAL_POSE[0], GOAL_POSE[1], GOAL_POSE[2], goalBar, goalStem);
        goalArea = Math.abs(TCoverage.signedArea(goalBar, 4)) + Math.abs(TCoverage.signedArea(goalStem, 4));
        world.addPreStepHook(w -> applyController());
    }

    /** Bar and stem footprints of a T with reference point {@code (x, y)} and angle {@code theta}. */
    public static void tPolygons(double x, double y, double theta, double[] barOut, double[] stemOut) {
        TCoverage.rectangle(-BAR_HALF_WIDTH, 0, BAR_HALF_WIDTH, BAR_HEIGHT, x, y, theta, barOut);
        TCoverage.rectangle(-STEM_HALF_WIDTH, BAR_HEIGHT, STEM_HALF_WIDTH, STEM_END, x, y, theta, stemOut);
    }

    /** Coverage of the goal by a T at pose {@code (x, y, theta)} (exact polygon intersection). */
    public double coverageAt(double x, double y, double theta) {
        double[] b = new double[8];
        double[] s = new double[8];
        tPolygons(x, y, theta, b, s);
        return coverage.overlap(b, s, goalBar, goalStem) / goalArea;
    }

    @Override
    protected Reset resetTask(SplittableRandom rng) {
        restoreInitialState();
        hasTarget = false;
        double bx;
        double by;
        double bt;
        double px;
        double py;
        do {
            px = rng.nextDouble(-0.4, 0.4);
            py = rng.nextDouble(-0.4, 0.4);
            bx = rng.nextDouble(-0.3, 0.3);
            by = rng.nextDouble(-0.3, 0.3);
            bt = rng.nextDouble(-Math.PI, Math.PI);
        } while (distanceToT(px, py, bx, by, bt) < PUSHER_RADIUS + 0.01 || coverageAt(bx, by, bt) >= SUCCESS_COVERAGE
                || !clearOfWalls(bx, by, bt));
        setPoses(px, py, bx, by, bt);
        readState();
        target[0] = pusherPos[0];
        target[1] = pusherPos[1];
        return new Reset(observation());
    }

    /**
     * Puts pusher and block (at rest) at the given planar poses: a hand-built state for tests and tools. The pusher
     * target is set to its position.
     */
    public float[] setPoses(double px, double py, double bx, double by, double bt) {
        double[] qpos = model.initialQpos();
        Model.JointInfo bj = model.joint("block_free");
        Model.JointInfo pj = model.joint("pusher_free");
        double[] rz = Quat.axisAngle(new double[]{0, 0, 1}, bt);
        double[] com = Quat.rotate(rz, blockPos0);
        int a = bj.qposAddress();
        qpos[a] = com[0] + bx;
        qpos[a + 1] = com[1] + by;
        qpos[a + 2] = com[2];
        qpos[a + 3] = rz[3];
        qpos[a + 4] = rz[0];
        qpos[a + 5] = rz[1];
        qpos[a + 6] = rz[2];
        int b = pj.qposAddress();
        qpos[b] = px;
        qpos[b + 1] = py;
        qpos[b + 2] = PUSHER_HEIGHT;
        model.setState(qpos, new double[model.nv()]);
        readState();
        target[0] = px;
        target[1] = py;
        return observation();
    }

    @Override
    protected Step stepTask(float[] action) {
        target[0] = action[0];
        target[1] = action[1];
        hasTarget = true;
        world.step(frameSkip);
        readState();
        double cov = lastCoverage;
        return finish(observation(), cov >= SUCCESS_COVERAGE, TERMS, new double[]{cov}, Map.of("coverage", cov));
    }

    /** DP's PD law on the pusher plus a height hold with gravity compensation; before every physics step. */
    private void applyController() {
        pusherRb.getCenterOfMassTransform(tmpT);
        pusherRb.getLinearVelocity(tmpV);
        double m = model.mass(pusher);
        double fx;
        double fy;
        if (hasTarget) {
            fx = m * (KP * (target[0] - tmpT.origin.x) - KV * tmpV.x);
            fy = m * (KP * (target[1] - tmpT.origin.y) - KV * tmpV.y);
        } else {
            fx = -m * KV * tmpV.x;
            fy = -m * KV * tmpV.y;
        }
        double fz = m * (9.81 + 400 * (PUSHER_HEIGHT - tmpT.origin.z) - 40 * tmpV.z);
        force.set((float) fx, (float) fy, (float) fz);
        pusherRb.applyCentralForce(force);
    }

    private void readState() {
        model.bodyPosition(pusher, pusherPos);
        model.bodyLinearVelocity(pusher, pusherVel);
        double[] q = model.bodyOrientation(block);
        double[] p = new double[3];
        model.bodyPosition(block, p);
        double[] rel = Quat.mul(q, Quat.conj(blockRot0));
        double theta = Quat.twistAngle(rel, new double[]{0, 0, 1});
        double[] ref = Quat.rotate(rel, new double[]{-blockPos0[0], -blockPos0[1], -blockPos0[2]});
        blockPose[0] = p[0] + ref[0];
        blockPose[1] = p[1] + ref[1];
        blockPose[2] = wrap(theta);
        // footprints from the full 3-D pose: bottom-face corners projected onto the table
        for (int k = 0; k < 4; k++) {
            double[] wb = Quat.rotate(q, barLocal[k]);
            double[] ws = Quat.rotate(q, stemLocal[k]);
            bar[2 * k] = p[0] + wb[0];
            bar[2 * k + 1] = p[1] + wb[1];
            stem[2 * k] = p[0] + ws[0];
            stem[2 * k + 1] = p[1] + ws[1];
        }
        lastCoverage = coverage.overlap(bar, stem, goalBar, goalStem) / goalArea;
    }

    private float[] observation() {
        float[] o = new float[OBS_DIM];
        o[0] = (float) pusherPos[0];
        o[1] = (float) pusherPos[1];
        o[2] = (float) blockPose[0];
        o[3] = (float) blockPose[1];
        o[4] = (float) blockPose[2];
        double c = Math.cos(blockPose[2]);
        double s = Math.sin(blockPose[2]);
        for (int k = 0; k < 8; k++) {
            double lx = OUTLINE[2 * k];
            double ly = OUTLINE[2 * k + 1];
            o[5 + 2 * k] = (float) (blockPose[0] + c * lx - s * ly);
            o[6 + 2 * k] = (float) (blockPose[1] + s * lx + c * ly);
        }
        o[21] = (float) pusherVel[0];
        o[22] = (float) pusherVel[1];
        return o;
    }

    /** Whether every outline vertex keeps {@value #WALL_CLEARANCE_M} m from the walls (reset rule). */
    static boolean clearOfWalls(double bx, double by, double bt) {
        double c = Math.cos(bt);
        double s = Math.sin(bt);
        double lim = WORKSPACE_HALF - WALL_CLEARANCE_M;
        for (int k = 0; k < 8; k++) {
            double x = bx + c * OUTLINE[2 * k] - s * OUTLINE[2 * k + 1];
            double y = by + s * OUTLINE[2 * k] + c * OUTLINE[2 * k + 1];
            if (Math.abs(x) > lim || Math.abs(y) > lim) {
                return false;
            }
        }
        return true;
    }

    /** Reset keeps the block this far from the walls so that every side can be reached by the pusher. */
    static final double WALL_CLEARANCE_M = 0.1;

    /** Distance from a point to the T at pose (bx, by, bt) (0 inside). */
    public static double distanceToT(double px, double py, double bx, double by, double bt) {
        double c = Math.cos(bt);
        double s = Math.sin(bt);
        double dx = px - bx;
        double dy = py - by;
        double lx = c * dx + s * dy;
        double ly = -s * dx + c * dy;
        double d1 = rectDistance(lx, ly, -BAR_HALF_WIDTH, 0, BAR_HALF_WIDTH, BAR_HEIGHT);
        double d2 = rectDistance(lx, ly, -STEM_HALF_WIDTH, BAR_HEIGHT, STEM_HALF_WIDTH, STEM_END);
        return Math.min(d1, d2);
    }

    static double rectDistance(double x, double y, double x0, double y0, double x1, double y1) {
        double dx = Math.max(Math.max(x0 - x, 0), x - x1);
        double dy = Math.max(Math.max(y0 - y, 0), y - y1);
        return Math.sqrt(dx * dx + dy * dy);
    }

    static double wrap(double a) {
        return a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
    }

    private static double[] sub(double[] a, double[] b) {
        return new double[]{a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    /** Current coverage of the goal (from the physics state at the last step or reset). */
    public double coverage() {
        return lastCoverage;
    }

    /** Current block pose (reference point x, y; angle). */
    public double[] blockPose() {
        return blockPose.clone();
    }

    @Override
    protected void addSceneExtras(List<Scene.Shape> shapes) {
        double[] q = Quat.axisAngle(new double[]{0, 0, 1}, GOAL_POSE[2]);
        float[] rot = {(float) q[0], (float) q[1], (float) q[2], (float) q[3]};
        float[] rgba = {0.2f, 0.85f, 0.3f, 0.35f};
        double c = Math.cos(GOAL_POSE[2]);
        double s = Math.sin(GOAL_POSE[2]);
        double[][] centres = {{0, BAR_HEIGHT / 2}, {0, (BAR_HEIGHT + STEM_END) / 2}};
        float[][] halves = {{(float) BAR_HALF_WIDTH, (float) (BAR_HEIGHT / 2), 0.001f},
                {(float) STEM_HALF_WIDTH, (float) ((STEM_END - BAR_HEIGHT) / 2), 0.001f}};
        for (int k = 0; k < 2; k++) {
            double x = GOAL_POSE[0] + c * centres[k][0] - s * centres[k][1];
            double y = GOAL_POSE[1] + s * centres[k][0] + c * centres[k][1];
            shapes.add(new Scene.Shape("goal_" + (k == 0 ? "bar" : "stem"), Scene.Kind.BOX, halves[k],
                    new float[]{(float) x, (float) y, 0.001f}, rot, rgba, true));
        }
    }

    @Override
    protected List<Scene.Camera> cameras() {
        return List.of(new Scene.Camera("top", new float[]{0f, -0.35f, 1.6f}, new float[]{0f, 0f, 0f}, 45f));
    }
}
