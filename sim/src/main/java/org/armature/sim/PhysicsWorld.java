package org.armature.sim;

import java.util.ArrayList;
import java.util.List;

import javax.vecmath.Quat4f;
import javax.vecmath.Vector3f;

import com.bulletphysics.BulletGlobals;
import com.bulletphysics.collision.broadphase.BroadphaseInterface;
import com.bulletphysics.collision.broadphase.DbvtBroadphase;
import com.bulletphysics.collision.dispatch.CollisionDispatcher;
import com.bulletphysics.collision.dispatch.CollisionObject;
import com.bulletphysics.collision.dispatch.DefaultCollisionConfiguration;
import com.bulletphysics.collision.shapes.StaticPlaneShape;
import com.bulletphysics.dynamics.DiscreteDynamicsWorld;
import com.bulletphysics.dynamics.RigidBody;
import com.bulletphysics.dynamics.RigidBodyConstructionInfo;
import com.bulletphysics.dynamics.constraintsolver.SequentialImpulseConstraintSolver;
import com.bulletphysics.dynamics.constraintsolver.TypedConstraint;
import com.bulletphysics.linearmath.Transform;

/**
 * One JBullet {@link DiscreteDynamicsWorld} with a fixed physics step.
 *
 * <ul>
 *   <li>{@link #step()} advances exactly one physics step of {@link Config#physicsDtSeconds()} (it calls
 *       {@code stepSimulation(dt, 0)}), running the registered pre-step hooks (actuators) before and post-step
 *       hooks (planar projection) after.</li>
 *   <li>A world belongs to the thread that built it; stepping it from another thread throws (JBullet's object pools
 *       are per thread and crossing threads corrupts the constraint solver).</li>
 *   <li>{@link #snapshot()} / {@link #restore(Snapshot)}: both put the world into a <em>canonical</em> state — a
 *       freshly built broadphase, dispatcher and solver holding the same bodies and constraints in insertion order,
 *       with the captured poses and velocities and empty contact caches. Continuing after {@code snapshot()} and
 *       continuing after {@code restore()} of that snapshot are therefore bit-identical. (Taking a snapshot drops
 *       the contact warm-start caches, so it is itself an event in the trajectory; it is deterministic.)</li>
 * </ul>
 */
public final class PhysicsWorld implements AutoCloseable {

    /**
     * @param physicsDtSeconds  physics step (default 1/240 s, Bullet's customary rate)
     * @param gravity           gravity vector in m/s^2 (default (0, 0, -9.81), z up)
     * @param solverIterations  sequential-impulse iterations per step (Bullet's default 10)
     * @param contactBreakingThresholdMetres distance beyond which cached contact points are dropped
     * @param smallWorldBroadphase {@code true}: test every filter-admitted pair of bodies each step
     *                          ({@link SmallWorldBroadphase}, for a robot on a plane); {@code false} (default):
     *                          Bullet's dynamic AABB tree
     * @param hingeRowsInJoint  {@code true}: a hinge's armature and limit rows are solved inside the hinge's own
     *                          solver call, right after its pivot and alignment rows (faster; the Gauss-Seidel order
     *                          differs, so trajectories differ); {@code false} (default): each row is a constraint
     *                          of its own in JBullet's order
     */
    public record Config(double physicsDtSeconds, float[] gravity, int solverIterations,
                         double contactBreakingThresholdMetres, boolean smallWorldBroadphase,
                         boolean hingeRowsInJoint) {
        /** Bullet's default {@code gContactBreakingThreshold}. */
        public static final double DEFAULT_CONTACT_BREAKING_THRESHOLD = 0.02;
        public static final Config DEFAULT = new Config(1.0 / 240.0, new float[]{0f, 0f, -9.81f}, 10);

        public Config(double physicsDtSeconds, float[] gravity, int solverIterations) {
            this(physicsDtSeconds, gravity, solverIterations, DEFAULT_CONTACT_BREAKING_THRESHOLD, false, false);
        }

        public Config {
            if (!(contactBreakingThresholdMetres > 0)) {
                throw new IllegalArgumentException("contactBreakingThresholdMetres must be > 0, got "
                        + contactBreakingThresholdMetres);
            }
            if (!(physicsDtSeconds > 0) || physicsDtSeconds > 0.1) {
                throw new IllegalArgumentException("physicsDtSeconds must be in (0, 0.1], got " + physicsDtSeconds);
            }
            if (gravity == null || gravity.length != 3) {
                throw new IllegalArgumentException("gravity must have 3 components");
            }
            if (solverIterations < 1) {
                throw new IllegalArgumentException("solverIterations must be >= 1, got " + solverIterations);
            }
            gravity = gravity.clone();
        }

        public Config withPhysicsDt(double dtSeconds) {
            return new Config(dtSeconds, gravity, solverIterations, contactBreakingThresholdMetres,
                    smallWorldBroadphase, hingeRowsInJoint);
        }

        public Config withSolverIterations(int iterations) {
            return new Config(physicsDtSeconds, gravity, iterations, contactBreakingThresholdMetres,
                    smallWorldBroadphase, hingeRowsInJoint);
        }

        public Config withGravity(float gx, float gy, float gz) {
            return new Config(physicsDtSeconds, new float[]{gx, gy, gz}, solverIterations,
                    contactBreakingThresholdMetres, smallWorldBroadphase, hingeRowsInJoint);
        }

        /**
         * Distance beyond which cached contact points are dropped (Bullet's global default 2 cm suits metre-scale
         * objects; millimetre-precise tasks need less, or stale points with old normals push bodies apart).
         */
        public Config withContactBreakingThreshold(double metres) {
            return new Config(physicsDtSeconds, gravity, solverIterations, metres, smallWorldBroadphase,
                    hingeRowsInJoint);
        }

        /** Whether to use {@link SmallWorldBroadphase} instead of Bullet's dynamic AABB tree. */
        public Config withSmallWorldBroadphase(boolean enabled) {
            return new Config(physicsDtSeconds, gravity, solverIterations, contactBreakingThresholdMetres, enabled,
                    hingeRowsInJoint);
        }

        /** Whether a hinge's armature and limit rows are solved inside the hinge's solver call. */
        public Config withHingeRowsInJoint(boolean enabled) {
            return new Config(physicsDtSeconds, gravity, solverIterations, contactBreakingThresholdMetres,
                    smallWorldBroadphase, enabled);
        }
    }

    /** Code run once per physics step (actuators before, projections after). */
    @FunctionalInterface
    public interface StepHook {
        void run(PhysicsWorld world);
    }

    private final Config config;
    private final float dt;
    private final float contactBreakingThreshold;
    private final Thread owner;
    private final List<RigidBody> bodies = new ArrayList<>();
    private final List<short[]> bodyFilters = new ArrayList<>();
    private final List<TypedConstraint> constraints = new ArrayList<>();
    private final List<Boolean> constraintNoCollide = new ArrayList<>();
    private final List<StepHook> preStep = new ArrayList<>();
    private final List<StepHook> postStep = new ArrayList<>();
    private final RigidBody fixedBody;

    private DefaultCollisionConfiguration collisionConfiguration;
    private CollisionDispatcher dispatcher;
    private BroadphaseInterface broadphase;
    private SequentialImpulseConstraintSolver solver;
    private DiscreteDynamicsWorld world;
    private long stepCount;

    public PhysicsWorld() {
        this(Config.DEFAULT);
    }

    public PhysicsWorld(Config config) {
        this.config = config;
        this.dt = (float) config.physicsDtSeconds();
        this.contactBreakingThreshold = (float) config.contactBreakingThresholdMetres();
        this.owner = Thread.currentThread();
        // A per-world immovable body for joints to the world (JBullet's shared static one is not thread-safe).
        this.fixedBody = new RigidBody(new RigidBodyConstructionInfo(0f, null, null, new Vector3f()));
        buildDynamicsWorld();
    }

    /**
     * JBullet's world with the two per-body integration passes done without its thread-local stack and array pool,
     * with the same float arithmetic (bit-identical trajectories):
     * <ul>
     *   <li>{@code predictUnconstraintMotion}: JBullet integrates velocities and damping, then also predicts each
     *       body's transform into a temporary copy that it discards (the Java port writes into a copy of the
     *       interpolation transform); the discarded prediction is skipped.</li>
     *   <li>{@code integrateTransforms}: the exponential-map update of {@code TransformUtil.integrateTransform} with
     *       preallocated temporaries and the rotation read by {@link Quat#fromMatrixInto}. Worlds with continuous
     *       collision detection (a body with a CCD motion threshold) use JBullet's own pass.</li>
     * </ul>
     */
    private static final class World extends DiscreteDynamicsWorld {
        private static final float ANGULAR_MOTION_THRESHOLD = 0.5f * BulletGlobals.SIMD_HALF_PI;
        private final Transform predicted = new Transform();
        private final Vector3f linear = new Vector3f();
        private final Vector3f angular = new Vector3f();
        private final Vector3f axis = new Vector3f();
        private final Quat4f dorn = new Quat4f();
        private final Quat4f orn0 = new Quat4f();
        private final Quat4f orn = new Quat4f();
        private final double[] q = new double[4];

        World(CollisionDispatcher dispatcher, BroadphaseInterface broadphase,
              SequentialImpulseConstraintSolver solver, DefaultCollisionConfiguration configuration) {
            super(dispatcher, broadphase, solver, configuration);
        }

        @Override
        protected void predictUnconstraintMotion(float timeStep) {
            for (int i = 0, n = collisionObjects.size(); i < n; i++) {
                RigidBody body = RigidBody.upcast(collisionObjects.getQuick(i));
                if (body != null && !body.isStaticOrKinematicObject() && body.isActive()) {
                    body.integrateVelocities(timeStep);
                    body.applyDamping(timeStep);
                }
            }
        }

        @Override
        protected void integrateTransforms(float timeStep) {
            for (int i = 0, n = collisionObjects.size(); i < n; i++) {
                RigidBody body = RigidBody.upcast(collisionObjects.getQuick(i));
                if (body != null && body.getCcdSquareMotionThreshold() != 0f) {
                    super.integrateTransforms(timeStep);
                    return;
                }
            }
            for (int i = 0, n = collisionObjects.size(); i < n; i++) {
                RigidBody body = RigidBody.upcast(collisionObjects.getQuick(i));
                if (body != null) {
                    body.setHitFraction(1f);
                    if (body.isActive() && !body.isStaticOrKinematicObject()) {
                        integrate(body, timeStep);
                        body.proceedToTransform(predicted);
                    }
                }
            }
        }

        /** {@code TransformUtil.integrateTransform(worldTransform, v, w, dt, predicted)}, allocation-free. */
        private void integrate(RigidBody body, float timeStep) {
            body.getWorldTransform(predicted);
            body.getLinearVelocity(linear);
            body.getAngularVelocity(angular);
            Quat.fromMatrixInto(predicted.basis, q);
            orn0.set((float) q[0], (float) q[1], (float) q[2], (float) q[3]);
            predicted.origin.scaleAdd(timeStep, linear, predicted.origin);
            float angle = angular.length();
            if (angle * timeStep > ANGULAR_MOTION_THRESHOLD) {
                angle = ANGULAR_MOTION_THRESHOLD / timeStep;
            }
            if (angle < 0.001f) {
                axis.scale(0.5f * timeStep - (timeStep * timeStep * timeStep) * (0.020833333333f) * angle * angle,
                        angular);
            } else {
                axis.scale((float) Math.sin(0.5f * angle * timeStep) / angle, angular);
            }
            dorn.set(axis.x, axis.y, axis.z, (float) Math.cos(angle * timeStep * 0.5f));
            orn.mul(dorn, orn0);
            orn.normalize();
            predicted.setRotation(orn);
        }
    }

    /** The sequential-impulse solver with its random-order seed resettable, for canonical restores. */
    private static final class Solver extends SequentialImpulseConstraintSolver {
        void resetSeed() {
            btSeed2 = 0L;
        }
    }

    private void buildDynamicsWorld() {
        // collision configuration, dispatcher and solver are reused; the broadphase (whose pair order depends on
        // history) and the world are rebuilt
        if (collisionConfiguration == null) {
            collisionConfiguration = new DefaultCollisionConfiguration();
            dispatcher = new CollisionDispatcher(collisionConfiguration);
            solver = new Solver();
        }
        ((Solver) solver).resetSeed();
        broadphase = config.smallWorldBroadphase() ? new SmallWorldBroadphase() : new DbvtBroadphase();
        world = new World(dispatcher, broadphase, solver, collisionConfiguration);
        float[] g = config.gravity();
        world.setGravity(new Vector3f(g[0], g[1], g[2]));
        world.getSolverInfo().numIterations = config.solverIterations();
    }

    public Config config() {
        return config;
    }

    public double physicsDtSeconds() {
        return config.physicsDtSeconds();
    }

    /** The underlying JBullet world (for queries; add bodies and constraints through this class). */
    public DiscreteDynamicsWorld dynamicsWorld() {
        return world;
    }

    /** An immovable body to attach world-fixed joints to. */
    public RigidBody fixedBody() {
        return fixedBody;
    }

    /** Adds a ground plane z = 0 with the given friction and returns it. */
    public RigidBody addGroundPlane(float friction) {
        StaticPlaneShape plane = new StaticPlaneShape(new Vector3f(0, 0, 1), 0f);
        Transform t = new Transform();
        t.setIdentity();
        RigidBodyConstructionInfo info = new RigidBodyConstructionInfo(0f, null, plane, new Vector3f());
        info.startWorldTransform.set(t);
        info.friction = friction;
        RigidBody ground = new RigidBody(info);
        ground.setUserPointer("ground");
        addBody(ground);
        return ground;
    }

    private int nextGroupBit = 6;

    /**
     * A collision-group bit no other model in this world uses (bits 0-5 are Bullet's predefined filters), so a model
     * can mask out collisions among its own bodies while still colliding with everything else.
     */
    public short allocateCollisionGroup() {
        if (nextGroupBit > 14) {
            throw new IllegalStateException("too many models in one world (at most 9 collision groups)");
        }
        return (short) (1 << nextGroupBit++);
    }

    public void addBody(RigidBody body) {
        addBody(body, (short) -1, (short) -1);
    }

    /** Adds a body with a collision group and mask (JBullet filter bits). Sleeping is disabled for determinism. */
    public void addBody(RigidBody body, short group, short mask) {
        checkThread();
        body.setActivationState(CollisionObject.DISABLE_DEACTIVATION);
        bodies.add(body);
        bodyFilters.add(new short[]{group, mask});
        if (group == -1 && mask == -1) {
            world.addRigidBody(body);
        } else {
            world.addRigidBody(body, group, mask);
        }
    }

    public void addConstraint(TypedConstraint c, boolean disableCollisionsBetweenLinkedBodies) {
        checkThread();
        constraints.add(c);
        constraintNoCollide.add(disableCollisionsBetweenLinkedBodies);
        world.addConstraint(c, disableCollisionsBetweenLinkedBodies);
    }

    public void addPreStepHook(StepHook hook) {
        preStep.add(hook);
    }

    public void addPostStepHook(StepHook hook) {
        postStep.add(hook);
    }

    public List<RigidBody> bodies() {
        return List.copyOf(bodies);
    }

    /** Advances exactly one physics step. */
    public void step() {
        checkThread();
        long t0 = System.nanoTime();
        for (int i = 0, n = preStep.size(); i < n; i++) {
            preStep.get(i).run(this);
        }
        // JBullet keeps the threshold in a thread-local global: set this world's value before every step
        BulletGlobals.setContactBreakingThreshold(contactBreakingThreshold);
        world.stepSimulation(dt, 0);
        stepCount++;
        stepsTaken++;
        for (int i = 0, n = postStep.size(); i < n; i++) {
            postStep.get(i).run(this);
        }
        stepNanos += System.nanoTime() - t0;
    }

    /** Advances {@code n} physics steps. */
    public void step(int n) {
        for (int i = 0; i < n; i++) {
            step();
        }
    }

    private long stepNanos;
    private long stepsTaken;

    /** Physics steps taken since construction (not rewound by {@link #restore}; for benchmarks). */
    public long physicsStepsTaken() {
        return stepsTaken;
    }

    /**
     * Wall-clock nanoseconds spent in {@link #step()} (hooks and JBullet's {@code stepSimulation}) since construction,
     * for benchmarks.
     */
    public long physicsNanos() {
        return stepNanos;
    }

    public long stepCount() {
        return stepCount;
    }

    public double timeSeconds() {
        return stepCount * config.physicsDtSeconds();
    }

    private void checkThread() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("PhysicsWorld used from thread '" + Thread.currentThread().getName()
                    + "' but it belongs to '" + owner.getName() + "': build each world on the thread that steps it");
        }
    }

    /** Poses and velocities of every body plus the step counter. */
    public record Snapshot(long stepCount, float[] state) {
    }

    private static final int FLOATS_PER_BODY = 12 + 3 + 3;

    public Snapshot snapshot() {
        checkThread();
        float[] s = new float[bodies.size() * FLOATS_PER_BODY];
        Transform t = new Transform();
        Vector3f v = new Vector3f();
        for (int i = 0; i < bodies.size(); i++) {
            RigidBody b = bodies.get(i);
            int o = i * FLOATS_PER_BODY;
            b.getCenterOfMassTransform(t);
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    s[o + r * 3 + c] = t.basis.getElement(r, c);
                }
            }
            s[o + 9] = t.origin.x;
            s[o + 10] = t.origin.y;
            s[o + 11] = t.origin.z;
            b.getLinearVelocity(v);
            s[o + 12] = v.x;
            s[o + 13] = v.y;
            s[o + 14] = v.z;
            b.getAngularVelocity(v);
            s[o + 15] = v.x;
            s[o + 16] = v.y;
            s[o + 17] = v.z;
        }
        Snapshot snap = new Snapshot(stepCount, s);
        restore(snap);
        return snap;
    }

    public void restore(Snapshot snap) {
        checkThread();
        if (snap.state().length != bodies.size() * FLOATS_PER_BODY) {
            throw new IllegalArgumentException("snapshot has " + snap.state().length / FLOATS_PER_BODY
                    + " bodies but this world has " + bodies.size());
        }
        for (TypedConstraint c : constraints) {
            world.removeConstraint(c);
        }
        for (RigidBody b : bodies) {
            world.removeRigidBody(b);
        }
        buildDynamicsWorld();
        float[] s = snap.state();
        Transform t = new Transform();
        Vector3f v = new Vector3f();
        for (int i = 0; i < bodies.size(); i++) {
            RigidBody b = bodies.get(i);
            int o = i * FLOATS_PER_BODY;
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    t.basis.setElement(r, c, s[o + r * 3 + c]);
                }
            }
            t.origin.set(s[o + 9], s[o + 10], s[o + 11]);
            b.setCenterOfMassTransform(t);
            b.setInterpolationWorldTransform(t);
            if (!b.isStaticOrKinematicObject()) {
                v.set(s[o + 12], s[o + 13], s[o + 14]);
                b.setLinearVelocity(v);
                b.setInterpolationLinearVelocity(v);
                v.set(s[o + 15], s[o + 16], s[o + 17]);
                b.setAngularVelocity(v);
                b.setInterpolationAngularVelocity(v);
                b.clearForces();
            }
            short[] f = bodyFilters.get(i);
            if (f[0] == -1 && f[1] == -1) {
                world.addRigidBody(b);
            } else {
                world.addRigidBody(b, f[0], f[1]);
            }
            b.setActivationState(CollisionObject.DISABLE_DEACTIVATION);
        }
        for (int i = 0; i < constraints.size(); i++) {
            world.addConstraint(constraints.get(i), constraintNoCollide.get(i));
        }
        stepCount = snap.stepCount();
    }

    @Override
    public void close() {
        // JBullet holds no native resources; drop references so the world can be collected.
        bodies.clear();
        constraints.clear();
        preStep.clear();
        postStep.clear();
    }
}
