package org.armature.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import javax.vecmath.Quat4f;
import javax.vecmath.Vector3f;

import com.bulletphysics.collision.narrowphase.ManifoldPoint;
import com.bulletphysics.collision.narrowphase.PersistentManifold;
import com.bulletphysics.collision.shapes.BoxShape;
import com.bulletphysics.collision.shapes.CapsuleShapeZ;
import com.bulletphysics.collision.shapes.CollisionShape;
import com.bulletphysics.collision.shapes.CompoundShape;
import com.bulletphysics.collision.shapes.CylinderShapeZ;
import com.bulletphysics.collision.shapes.SphereShape;
import com.bulletphysics.dynamics.RigidBody;
import com.bulletphysics.dynamics.RigidBodyConstructionInfo;
import com.bulletphysics.dynamics.constraintsolver.Generic6DofConstraint;
import com.bulletphysics.dynamics.constraintsolver.TypedConstraint;
import com.bulletphysics.linearmath.Transform;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * A {@link ModelSpec} built into a {@link PhysicsWorld}: rigid bodies, joints (Bullet constraints), actuators
 * applied every physics step, sensors, generalised coordinates with forward kinematics, randomisation and a scene.
 *
 * <p>Generalised coordinates follow MuJoCo's layout: joints in spec order contribute planar root 3 (x, z, angle
 * about the joint axis), free root 7 (position, quaternion w, x, y, z), hinge/slider 1, fixed 0; bodies with no
 * joint are free roots appended at the end. Velocities: planar 3, free 6 (linear in world frame, angular in the
 * body frame, as MuJoCo), hinge/slider 1. Positions are absolute world coordinates of the body's centre of mass.
 *
 * <p>Like the world, a model is used from one thread only.
 */
public final class Model {

    /** A primitive of a body in the body's local frame (for scenes). */
    private record Prim(Scene.Kind kind, float[] size, double[] pos, double[] rot) {
    }

    public static final class BodyInfo {
        final String name;
        final int index;
        final RigidBody rb;
        final boolean isStatic;
        final List<Prim> prims;
        final float[] rgba;
        final double mass0;
        final double[] inertia0;
        final float friction0;
        final double[] pos0;
        final double[] rot0;

        BodyInfo(String name, int index, RigidBody rb, boolean isStatic, List<Prim> prims, float[] rgba, double mass0,
                 double[] inertia0, float friction0, double[] pos0, double[] rot0) {
            this.name = name;
            this.index = index;
            this.rb = rb;
            this.isStatic = isStatic;
            this.prims = prims;
            this.rgba = rgba;
            this.mass0 = mass0;
            this.inertia0 = inertia0;
            this.friction0 = friction0;
            this.pos0 = pos0;
            this.rot0 = rot0;
        }

        public String name() {
            return name;
        }

        public RigidBody rigidBody() {
            return rb;
        }

        public double nominalMass() {
            return mass0;
        }
    }

    public static final class JointInfo {
        final String name;
        final String type;
        final BodyInfo parent; // null = world
        final BodyInfo child;
        final double[] axisP;   // joint axis in parent frame (world frame for roots)
        final double[] anchorP; // anchor in parent frame
        final double[] posPC0;  // child position in parent frame at q = 0
        final double[] rotPC0;  // child orientation relative to parent at q = 0
        final float lower;
        final float upper;
        final boolean limited;
        final float damping;
        final float stiffness;
        final float springRef;
        final int qposAdr;
        final int qvelAdr;
        final boolean isHinge;
        ArmatureConstraint armature;
        // joint position computed in the current physics step (positions do not change between the pre-step hook
        // and the constraint setup of the same step)
        double positionThisStep;
        long positionStep = -1;

        JointInfo(String name, String type, BodyInfo parent, BodyInfo child, double[] axisP, double[] anchorP,
                  double[] posPC0, double[] rotPC0, float lower, float upper, boolean limited, float damping,
                  float stiffness, float springRef, int qposAdr, int qvelAdr) {
            this.name = name;
            this.type = type;
            this.parent = parent;
            this.child = child;
            this.axisP = axisP;
            this.anchorP = anchorP;
            this.posPC0 = posPC0;
            this.rotPC0 = rotPC0;
            this.lower = lower;
            this.upper = upper;
            this.limited = limited;
            this.damping = damping;
            this.stiffness = stiffness;
            this.springRef = springRef;
            this.qposAdr = qposAdr;
            this.qvelAdr = qvelAdr;
            this.isHinge = type.equals("hinge");
        }

        public String name() {
            return name;
        }

        public String type() {
            return type;
        }

        /** Lower limit (rad or m); meaningful when {@link #limited()}. */
        public float lower() {
            return lower;
        }

        public float upper() {
            return upper;
        }

        public boolean limited() {
            return limited;
        }

        public int qposAddress() {
            return qposAdr;
        }

        public int qvelAddress() {
            return qvelAdr;
        }
    }

    private static final class ActuatorInfo {
        final JointInfo joint;
        final String type;
        final float ctrlLo;
        final float ctrlHi;
        final float gear0;
        final float kp0;
        final float kv0;
        final float forceLo0;
        final float forceHi0;
        final boolean forceLimited;
        float gain = 1f;
        float strength = 1f;

        ActuatorInfo(ModelSpec.Actuator a, JointInfo joint) {
            this.joint = joint;
            this.type = a.type();
            this.ctrlLo = a.ctrlRange()[0];
            this.ctrlHi = a.ctrlRange()[1];
            this.gear0 = a.gear() == null ? 1f : a.gear();
            this.kp0 = a.kp() == null ? 0f : a.kp();
            this.kv0 = a.kv() == null ? 0f : a.kv();
            this.forceLimited = a.forceRange() != null;
            this.forceLo0 = forceLimited ? a.forceRange()[0] : Float.NEGATIVE_INFINITY;
            this.forceHi0 = forceLimited ? a.forceRange()[1] : Float.POSITIVE_INFINITY;
        }
    }

    private record SensorInfo(String type, int target, int dim, int adr) {
    }

    /** Bullet's {@code CollisionFilterGroups.STATIC_FILTER} bit (the group of the ground plane). */
    private static final short STATIC_FILTER = 2;

    private static final float[][] PALETTE = {
            {0.90f, 0.55f, 0.25f, 1f}, {0.30f, 0.60f, 0.85f, 1f}, {0.45f, 0.75f, 0.40f, 1f},
            {0.80f, 0.35f, 0.45f, 1f}, {0.65f, 0.50f, 0.80f, 1f}, {0.85f, 0.80f, 0.35f, 1f},
            {0.40f, 0.75f, 0.75f, 1f}, {0.75f, 0.60f, 0.45f, 1f}};

    private final ModelSpec spec;
    private final PhysicsWorld world;
    private final List<BodyInfo> bodies = new ArrayList<>();
    private final Map<String, BodyInfo> bodyByName = new HashMap<>();
    private final List<JointInfo> joints = new ArrayList<>();
    private final Map<String, JointInfo> jointByName = new HashMap<>();
    private final List<JointInfo> kinematicOrder = new ArrayList<>(); // non-root joints, parents first
    private final List<JointInfo> roots = new ArrayList<>();           // planar / free roots
    private final List<ActuatorInfo> actuators = new ArrayList<>();
    private final List<SensorInfo> sensors = new ArrayList<>();
    private final List<BodyInfo> planarBodies = new ArrayList<>();
    private double[] planarAxis;
    private final float[] ctrl;
    private final List<ArmatureConstraint> armatures = new ArrayList<>();
    private final int nq;
    private final int nv;
    private final int sensorDim;

    // scratch, single-threaded
    private final Transform tmpT = new Transform();
    private final Transform rotT = new Transform();
    private final Vector3f tmpV = new Vector3f();
    private final Vector3f tmpV2 = new Vector3f();
    private final Quat4f tmpQ = new Quat4f();
    private final double[] pointRot = new double[4];
    private final double[] sq1 = new double[4];
    private final double[] sq2 = new double[4];
    private final double[] sq3 = new double[4];
    private final double[] sqP = new double[4];
    private final double[] sqC = new double[4];
    private final double[] sv1 = new double[3];

    private Model(ModelSpec spec, PhysicsWorld world, String source) {
        this.spec = spec;
        this.world = world;
        // 1. bodies
        java.util.Set<String> staticBodies = new java.util.HashSet<>();
        for (ModelSpec.Joint j : spec.joints()) {
            if (j.type().equals("fixed") && (j.parent() == null || j.parent().equals("world"))) {
                staticBodies.add(j.child());
            }
        }
        // Without self-collision the model's bodies share a collision-group bit of their own and mask it out;
        // they still collide with the ground (Bullet's static group) and with other models.
        short bit = world.allocateCollisionGroup();
        short group = bit;
        short mask = spec.selfCollides() ? (short) -1 : (short) ~bit;
        for (int i = 0; i < spec.bodies().size(); i++) {
            ModelSpec.Body b = spec.bodies().get(i);
            BodyInfo bi = buildBody(b, i, staticBodies.contains(b.name()), source);
            bodies.add(bi);
            bodyByName.put(bi.name, bi);
            // Static bodies (fixed to the world) join Bullet's static group and never collide with other static
            // objects (the ground plane, each other): Bullet would otherwise keep static-static pairs and warn on
            // every step. They keep colliding with dynamic bodies exactly as the model's mask says.
            if (bi.isStatic) {
                world.addBody(bi.rb, STATIC_FILTER, (short) (mask & ~STATIC_FILTER));
            } else {
                world.addBody(bi.rb, group, mask);
            }
        }
        // 2. joints (coordinates in spec order, implicit free roots last)
        int qa = 0;
        int va = 0;
        java.util.Set<String> hasJoint = new java.util.HashSet<>();
        for (ModelSpec.Joint j : spec.joints()) {
            hasJoint.add(j.child());
        }
        for (ModelSpec.Joint j : spec.joints()) {
            JointInfo ji = buildJoint(j, qa, va, source);
            joints.add(ji);
            jointByName.put(ji.name, ji);
            qa += nqOf(ji.type);
            va += nvOf(ji.type);
        }
        for (BodyInfo b : bodies) {
            if (!hasJoint.contains(b.name) && !b.isStatic) {
                JointInfo ji = new JointInfo(b.name + "_free", "free", null, b, null, null, null, null, 0, 0,
                        false, 0, 0, 0, qa, va);
                joints.add(ji);
                jointByName.put(ji.name, ji);
                qa += 7;
                va += 6;
            }
        }
        nq = qa;
        nv = va;
        for (JointInfo j : joints) {
            if (j.type.equals("planar") || j.type.equals("free")) {
                roots.add(j);
            }
        }
        // kinematic order: BFS from roots and static bodies
        Map<BodyInfo, List<JointInfo>> childrenOf = new HashMap<>();
        List<JointInfo> worldChildren = new ArrayList<>();
        for (JointInfo j : joints) {
            if (j.type.equals("planar") || j.type.equals("free")) {
                continue;
            }
            if (j.parent == null) {
                worldChildren.add(j);
            } else {
                childrenOf.computeIfAbsent(j.parent, k -> new ArrayList<>()).add(j);
            }
        }
        Deque<BodyInfo> queue = new ArrayDeque<>();
        for (JointInfo r : roots) {
            queue.add(r.child);
        }
        for (JointInfo w : worldChildren) {
            kinematicOrder.add(w);
            queue.add(w.child);
        }
        for (BodyInfo b : bodies) {
            if (b.isStatic && !queue.contains(b)) {
                queue.add(b);
            }
        }
        java.util.Set<BodyInfo> seen = new java.util.HashSet<>(queue);
        while (!queue.isEmpty()) {
            BodyInfo b = queue.poll();
            for (JointInfo j : childrenOf.getOrDefault(b, List.of())) {
                if (!seen.add(j.child)) {
                    throw new ModelSpec.ModelSpecException(source + ": joint '" + j.name + "' closes a kinematic loop");
                }
                kinematicOrder.add(j);
                queue.add(j.child);
            }
        }
        for (JointInfo j : joints) {
            if (!(j.type.equals("planar") || j.type.equals("free")) && !kinematicOrder.contains(j)) {
                throw new ModelSpec.ModelSpecException(source + ": joint '" + j.name
                        + "' is not connected to a root body (a body with a planar/free joint, no joint, or fixed to the world)");
            }
        }
        // planar projection
        for (JointInfo r : roots) {
            if (r.type.equals("planar")) {
                planarAxis = r.axisP;
                planarBodies.add(r.child);
                for (JointInfo j : kinematicOrder) {
                    if (planarBodies.contains(j.parent)) {
                        planarBodies.add(j.child);
                    }
                }
            }
        }
        if (!planarBodies.isEmpty()) {
            world.addPostStepHook(w -> projectPlanar());
        }
        // 3. actuators
        for (ModelSpec.Actuator a : spec.actuators()) {
            actuators.add(new ActuatorInfo(a, jointByName.get(a.joint())));
        }
        ctrl = new float[actuators.size()];
        world.addPreStepHook(w -> applyJointForces());
        // 4. sensors
        int adr = 0;
        for (ModelSpec.Sensor s : spec.sensors()) {
            int dim = switch (s.type()) {
                case "jointPosition", "jointVelocity" -> 1;
                case "bodyOrientation" -> 4;
                default -> 3;
            };
            int target = s.type().startsWith("joint") ? joints.indexOf(jointByName.get(s.target()))
                    : bodyByName.get(s.target()).index;
            sensors.add(new SensorInfo(s.type(), target, dim, adr));
            adr += dim;
        }
        sensorDim = adr;
    }

    /** Builds {@code spec} into {@code world} (on the world's thread). */
    public static Model build(ModelSpec spec, PhysicsWorld world) {
        return new Model(spec, world, spec.name());
    }

    private static int nqOf(String type) {
        return switch (type) {
            case "planar" -> 3;
            case "free" -> 7;
            case "hinge", "slider" -> 1;
            default -> 0;
        };
    }

    private static int nvOf(String type) {
        return switch (type) {
            case "planar" -> 3;
            case "free" -> 6;
            case "hinge", "slider" -> 1;
            default -> 0;
        };
    }

    // ------------------------------------------------------------------------------------------------ building

    /** A primitive placed in the world: kind, size, world pose, mass, local principal inertia, collision shape. */
    private record WorldPrim(Scene.Kind kind, float[] size, double[] pos, double[] rot, double mass,
                             double[] inertia, CollisionShape shape) {
    }

    private WorldPrim primitive(ModelSpec.Shape s, double defaultDensity, Float bodyMass, String where) {
        double density = s.density() != null ? s.density() : defaultDensity;
        double[] pos = s.position() == null ? new double[3] : toD(s.position());
        double[] rot = s.rotation() == null ? Quat.identity() : Quat.normalize(toD(s.rotation()));
        switch (s.type()) {
            case "box" -> {
                float[] h = s.halfExtents();
                double vol = Inertia.boxVolume(h[0], h[1], h[2]);
                double m = s.mass() != null ? s.mass() : bodyMass != null ? bodyMass : density * vol;
                BoxShape box = new BoxShape(new Vector3f(h[0], h[1], h[2]));
                box.setMargin(safeMargin(Math.min(h[0], Math.min(h[1], h[2]))));
                return new WorldPrim(Scene.Kind.BOX, h.clone(), pos, rot, m, Inertia.box(m, h[0], h[1], h[2]),
                        box);
            }
            case "sphere" -> {
                double r = s.radius();
                double m = s.mass() != null ? s.mass() : bodyMass != null ? bodyMass : density * Inertia.sphereVolume(r);
                return new WorldPrim(Scene.Kind.SPHERE, new float[]{(float) r, 0, 0}, pos, rot, m,
                        Inertia.sphere(m, r), new SphereShape((float) r));
            }
            case "capsule", "cylinder" -> {
                double r = s.radius();
                double half;
                if (s.fromto() != null) {
                    float[] f = s.fromto();
                    double[] a = {f[0], f[1], f[2]};
                    double[] b = {f[3], f[4], f[5]};
                    double[] d = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
                    half = Math.sqrt(Quat.dot(d, d)) / 2;
                    pos = new double[]{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2};
                    rot = frameWithZ(Quat.unit(d), s.xAxis() == null ? null : toD(s.xAxis()), where);
                } else {
                    half = s.halfLength();
                }
                boolean capsule = s.type().equals("capsule");
                double vol = capsule ? Inertia.capsuleVolume(r, half) : Inertia.cylinderVolume(r, half);
                double m = s.mass() != null ? s.mass() : bodyMass != null ? bodyMass : density * vol;
                CollisionShape cs;
                if (capsule) {
                    cs = new CapsuleShapeZ((float) r, (float) (2 * half));
                } else {
                    CylinderShapeZ cyl = new CylinderShapeZ(new Vector3f((float) r, (float) r, (float) half));
                    cyl.setMargin(safeMargin(Math.min(r, half)));
                    cs = cyl;
                }
                return new WorldPrim(capsule ? Scene.Kind.CAPSULE : Scene.Kind.CYLINDER,
                        new float[]{(float) r, (float) half, 0}, pos, rot, m,
                        capsule ? Inertia.capsule(m, r, half) : Inertia.cylinder(m, r, half), cs);
            }
            default -> throw new ModelSpec.ModelSpecException(where + ": unsupported shape " + s.type());
        }
    }

    /**
     * Collision margin for boxes and cylinders: JBullet keeps Bullet's fixed 0.04 m margin inside the shape, which
     * for a primitive thinner than 8 cm leaves negative inner dimensions (a blob with 4 cm rounded edges). As in
     * Bullet's later {@code setSafeMargin}, the margin is capped by a fraction of the smallest half extent (a
     * quarter here rather than Bullet's tenth: GJK resolves box-box contacts within the margin robustly, while
     * EPA penetration normals on thin margins are erratic); the outer dimensions stay exact and the edges are
     * rounded with the margin as radius.
     */
    static final double MARGIN_FRACTION = 0.25;

    static float safeMargin(double minHalfExtent) {
        return (float) Math.min(0.04, MARGIN_FRACTION * minHalfExtent);
    }

    /** Orientation whose local z is {@code z}; local y follows world y where possible (or x follows the hint). */
    private static double[] frameWithZ(double[] z, double[] xHint, String where) {
        double[] x;
        double[] y;
        if (xHint != null) {
            double[] h = Quat.unit(xHint);
            if (Math.abs(Quat.dot(h, z)) > 1e-3) {
                throw new ModelSpec.ModelSpecException(where + ": xAxis must be perpendicular to the capsule axis");
            }
            x = h;
            y = Quat.cross(z, x);
        } else {
            double[] wy = {0, 1, 0};
            double p = Quat.dot(wy, z);
            if (Math.abs(p) < 0.999) {
                y = Quat.unit(new double[]{wy[0] - p * z[0], wy[1] - p * z[1], wy[2] - p * z[2]});
            } else {
                double[] wx = {1, 0, 0};
                double px = Quat.dot(wx, z);
                y = Quat.cross(z, Quat.unit(new double[]{wx[0] - px * z[0], wx[1] - px * z[1], wx[2] - px * z[2]}));
            }
            x = Quat.cross(y, z);
        }
        return Quat.fromAxes(x, y, z);
    }

    private BodyInfo buildBody(ModelSpec.Body b, int index, boolean isStatic, String source) {
        String where = source + ": body '" + b.name() + "'";
        double density = b.density() != null ? b.density() : 1000.0; // MuJoCo's default density (water)
        double[] bodyPos;
        double[] bodyRot;
        double mass;
        double[] inertia;
        CollisionShape shape;
        List<Prim> prims = new ArrayList<>();
        if (!b.shape().type().equals("compound")) {
            WorldPrim p = primitive(b.shape(), density, b.mass(), where);
            bodyPos = p.pos;
            bodyRot = p.rot;
            mass = p.mass;
            inertia = p.inertia.clone();
            shape = p.shape;
            prims.add(new Prim(p.kind, p.size, new double[3], Quat.identity()));
        } else {
            List<WorldPrim> parts = new ArrayList<>();
            double total = 0;
            double[] com = new double[3];
            for (ModelSpec.Shape c : b.shape().children()) {
                WorldPrim p = primitive(c, density, null, where);
                parts.add(p);
                total += p.mass;
                for (int k = 0; k < 3; k++) {
                    com[k] += p.mass * p.pos[k];
                }
            }
            for (int k = 0; k < 3; k++) {
                com[k] /= total;
            }
            double scale = b.mass() != null ? b.mass() / total : 1.0;
            // world inertia tensor about the COM (parallel axis theorem)
            double[][] I = new double[3][3];
            for (WorldPrim p : parts) {
                double m = p.mass * scale;
                double[][] R = rotMatrix(p.rot);
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 3; c++) {
                        double v = 0;
                        for (int k = 0; k < 3; k++) {
                            v += R[r][k] * p.inertia[k] * scale * R[c][k];
                        }
                        I[r][c] += v;
                    }
                }
                double[] d = {p.pos[0] - com[0], p.pos[1] - com[1], p.pos[2] - com[2]};
                double d2 = Quat.dot(d, d);
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 3; c++) {
                        I[r][c] += m * ((r == c ? d2 : 0) - d[r] * d[c]);
                    }
                }
            }
            EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(I));
            double[] ex = eig.getEigenvector(0).toArray();
            double[] ey = eig.getEigenvector(1).toArray();
            double[] ez = Quat.cross(ex, ey);
            bodyPos = com;
            bodyRot = Quat.fromAxes(ex, ey, ez);
            inertia = new double[]{eig.getRealEigenvalue(0), eig.getRealEigenvalue(1), 0};
            double[] ezw = ez;
            double izz = 0;
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    izz += ezw[r] * I[r][c] * ezw[c];
                }
            }
            inertia[2] = izz;
            mass = total * scale;
            CompoundShape compound = new CompoundShape();
            for (WorldPrim p : parts) {
                double[] lp = Quat.rotateInverse(bodyRot, new double[]{p.pos[0] - com[0], p.pos[1] - com[1],
                        p.pos[2] - com[2]});
                double[] lr = Quat.mul(Quat.conj(bodyRot), p.rot);
                compound.addChildShape(transform(lp, lr), p.shape);
                prims.add(new Prim(p.kind, p.size, lp, lr));
            }
            shape = compound;
        }
        float friction = b.friction() != null ? b.friction() : 1.0f;
        float m = isStatic ? 0f : (float) mass;
        Vector3f localInertia = isStatic ? new Vector3f()
                : new Vector3f((float) inertia[0], (float) inertia[1], (float) inertia[2]);
        RigidBodyConstructionInfo info = new RigidBodyConstructionInfo(m, null, shape, localInertia);
        info.startWorldTransform.set(transform(bodyPos, bodyRot));
        info.friction = friction;
        info.restitution = b.restitution() != null ? b.restitution() : 0f;
        info.linearDamping = b.linearDamping() != null ? b.linearDamping() : 0f;
        info.angularDamping = b.angularDamping() != null ? b.angularDamping() : 0f;
        RigidBody rb = new RigidBody(info);
        rb.setUserPointer(b.name());
        float[] rgba = b.rgba() != null ? b.rgba().clone() : PALETTE[index % PALETTE.length].clone();
        return new BodyInfo(b.name(), index, rb, isStatic, prims, rgba, mass, inertia, friction, bodyPos, bodyRot);
    }

    private JointInfo buildJoint(ModelSpec.Joint j, int qa, int va, String source) {
        BodyInfo child = bodyByName.get(j.child());
        switch (j.type()) {
            case "planar" -> {
                double[] axis = j.axis() == null ? new double[]{0, 1, 0} : Quat.unit(toD(j.axis()));
                if (Math.abs(Math.abs(axis[1]) - 1) > 1e-6) {
                    throw new ModelSpec.ModelSpecException(source + ": joint '" + j.name()
                            + "': planar joints must have axis (0, 1, 0) or (0, -1, 0) (motion in the x-z plane)");
                }
                return new JointInfo(j.name(), "planar", null, child, axis, null, null, null, 0, 0, false, 0, 0, 0,
                        qa, va);
            }
            case "free" -> {
                return new JointInfo(j.name(), "free", null, child, null, null, null, null, 0, 0, false, 0, 0, 0, qa, va);
            }
            default -> {
            }
        }
        BodyInfo parent = j.parent() == null || j.parent().equals("world") ? null : bodyByName.get(j.parent());
        if (j.type().equals("fixed") && parent == null) {
            return new JointInfo(j.name(), "fixed", null, child, null, null, child.pos0, child.rot0, 0, 0, false, 0,
                    0, 0, qa, va);
        }
        double[] pPos = parent == null ? new double[3] : parent.pos0;
        double[] pRot = parent == null ? Quat.identity() : parent.rot0;
        double[] posPC0 = Quat.rotateInverse(pRot, sub(child.pos0, pPos));
        double[] rotPC0 = Quat.mul(Quat.conj(pRot), child.rot0);
        double[] axisW = j.axis() == null ? new double[]{0, 0, 1} : Quat.unit(toD(j.axis()));
        double[] anchorW = j.anchor() == null ? child.pos0 : toD(j.anchor());
        double[] axisP = Quat.rotateInverse(pRot, axisW);
        double[] anchorP = Quat.rotateInverse(pRot, sub(anchorW, pPos));
        RigidBody rbA = parent == null ? world.fixedBody() : parent.rb;
        // joint frame in world: origin at anchor, z (hinge) or x (slider) along the axis
        double[] frameRot = frameWithAxis(axisW, j.type().equals("slider") ? 0 : 2);
        Transform frameA = transform(Quat.rotateInverse(pRot, sub(anchorW, pPos)), Quat.mul(Quat.conj(pRot), frameRot));
        Transform frameB = transform(Quat.rotateInverse(child.rot0, sub(anchorW, child.pos0)),
                Quat.mul(Quat.conj(child.rot0), frameRot));
        float lower = 0;
        float upper = 0;
        boolean limited = false;
        TypedConstraint c;
        switch (j.type()) {
            case "hinge" -> {
                HingeJoint h = new HingeJoint(rbA, child.rb, Quat.rotateInverse(pRot, sub(anchorW, pPos)),
                        Quat.rotateInverse(child.rot0, sub(anchorW, child.pos0)), Quat.rotateInverse(pRot, axisW),
                        Quat.rotateInverse(child.rot0, axisW));
                if (j.rangeDegrees() != null) {
                    lower = (float) Math.toRadians(j.rangeDegrees()[0]);
                    upper = (float) Math.toRadians(j.rangeDegrees()[1]);
                    limited = true;
                }
                c = h;
            }
            case "slider" -> {
                Generic6DofConstraint g = new Generic6DofConstraint(rbA, child.rb, frameA, frameB, true);
                if (j.rangeMetres() != null) {
                    lower = j.rangeMetres()[0];
                    upper = j.rangeMetres()[1];
                    limited = true;
                    g.setLinearLowerLimit(new Vector3f(lower, 0, 0));
                    g.setLinearUpperLimit(new Vector3f(upper, 0, 0));
                } else {
                    g.setLinearLowerLimit(new Vector3f(1, 0, 0));
                    g.setLinearUpperLimit(new Vector3f(-1, 0, 0));
                }
                g.setAngularLowerLimit(new Vector3f());
                g.setAngularUpperLimit(new Vector3f());
                c = g;
            }
            case "fixed" -> {
                Generic6DofConstraint g = new Generic6DofConstraint(rbA, child.rb, frameA, frameB, true);
                g.setLinearLowerLimit(new Vector3f());
                g.setLinearUpperLimit(new Vector3f());
                g.setAngularLowerLimit(new Vector3f());
                g.setAngularUpperLimit(new Vector3f());
                c = g;
            }
            default -> throw new ModelSpec.ModelSpecException(source + ": unsupported joint type " + j.type());
        }
        world.addConstraint(c, true);
        ArmatureConstraint arm = null;
        if (j.armature() != null && j.armature() > 0) {
            if (!j.type().equals("hinge")) {
                throw new ModelSpec.ModelSpecException(source + ": joint '" + j.name() + "': armature is supported on hinges only");
            }
            arm = new ArmatureConstraint(rbA, child.rb, Quat.rotateInverse(pRot, axisW), j.armature());
            if (world.config().hingeRowsInJoint()) {
                ((HingeJoint) c).setArmature(arm);
            } else {
                world.addConstraint(new HingeRow.Constraint(rbA, child.rb, arm), true);
            }
            armatures.add(arm);
        }
        float springRef = j.springRefDegrees() == null ? 0f : (float) Math.toRadians(j.springRefDegrees());
        JointInfo info = new JointInfo(j.name(), j.type(), parent, child, axisP, anchorP, posPC0, rotPC0, lower, upper,
                limited, j.damping() == null ? 0f : j.damping(), j.stiffness() == null ? 0f : j.stiffness(), springRef,
                qa, va);
        info.armature = arm;
        if (limited && j.type().equals("hinge")) {
            HingeLimitConstraint limit = new HingeLimitConstraint(rbA, child.rb, this, info, world.physicsDtSeconds());
            if (world.config().hingeRowsInJoint()) {
                ((HingeJoint) c).setLimit(limit);
            } else {
                world.addConstraint(new HingeRow.Constraint(rbA, child.rb, limit), true);
            }
        }
        return info;
    }

    /** A rotation whose local axis {@code k} (0 = x, 2 = z) is {@code axis}. */
    private static double[] frameWithAxis(double[] axis, int k) {
        double[] helper = Math.abs(axis[0]) < 0.9 ? new double[]{1, 0, 0} : new double[]{0, 1, 0};
        double[] u = Quat.unit(Quat.cross(axis, helper));
        double[] v = Quat.cross(axis, u);
        if (k == 2) {
            return Quat.fromAxes(u, v, axis);
        }
        return Quat.fromAxes(axis, u, v);
    }

    // ------------------------------------------------------------------------------------------------ stepping

    /** Sets actuator controls (clipped into each actuator's ctrlRange when applied). Length = actuator count. */
    public void setControl(float[] control) {
        if (control.length != ctrl.length) {
            throw new IllegalArgumentException(spec.name() + ": control has length " + control.length + ", expected "
                    + ctrl.length);
        }
        System.arraycopy(control, 0, ctrl, 0, ctrl.length);
    }

    public float[] control() {
        return ctrl.clone();
    }

    private long hookStep;

    /**
     * {@link #jointPosition} computed at most once per physics step: the actuator/spring hook and the hinge-limit
     * setup of the same step see the same poses.
     */
    double jointPositionThisStep(JointInfo j) {
        if (j.positionStep != hookStep) {
            j.positionThisStep = jointPosition(j);
            j.positionStep = hookStep;
        }
        return j.positionThisStep;
    }

    private void applyJointForces() {
        hookStep++;
        for (int i = 0, n = armatures.size(); i < n; i++) {
            armatures.get(i).captureStartVelocity();
        }
        for (int i = 0, n = actuators.size(); i < n; i++) {
            ActuatorInfo a = actuators.get(i);
            float u = Math.max(a.ctrlLo, Math.min(a.ctrlHi, ctrl[i]));
            double f;
            switch (a.type) {
                case "torque" -> {
                    f = a.gain * a.gear0 * u;
                    double lim = a.strength * a.gear0 * Math.max(Math.abs(a.ctrlLo), Math.abs(a.ctrlHi));
                    f = Math.max(-lim, Math.min(lim, f));
                }
                case "position" -> f = a.gain * (a.kp0 * (u - jointPositionThisStep(a.joint))
                        - a.kv0 * jointVelocity(a.joint));
                default -> f = a.gain * a.kv0 * (u - jointVelocity(a.joint));
            }
            if (a.forceLimited) {
                f = Math.max(a.strength * a.forceLo0, Math.min(a.strength * a.forceHi0, f));
            }
            applyJointForce(a.joint, f);
        }
        for (int i = 0, n = joints.size(); i < n; i++) {
            JointInfo j = joints.get(i);
            if (j.damping > 0 || j.stiffness > 0) {
                double f = -j.damping * jointVelocity(j) - j.stiffness * (jointPositionThisStep(j) - j.springRef);
                applyJointForce(j, f);
            }
        }
    }

    /** Applies a generalised force (torque for hinges, force for sliders) to the child, reaction to the parent. */
    private void applyJointForce(JointInfo j, double f) {
        if (j.armature != null) {
            j.armature.addJointTorque((float) f);
            return;
        }
        readParentRot(j, sqP);
        Quat.rotate(sqP, j.axisP, sv1);
        double[] axis = sv1;
        tmpV.set((float) (axis[0] * f), (float) (axis[1] * f), (float) (axis[2] * f));
        if (j.isHinge) {
            j.child.rb.applyTorque(tmpV);
            if (j.parent != null && !j.parent.isStatic) {
                tmpV.negate();
                j.parent.rb.applyTorque(tmpV);
            }
        } else if (j.type.equals("slider")) {
            j.child.rb.applyCentralForce(tmpV);
            if (j.parent != null && !j.parent.isStatic) {
                tmpV.negate();
                j.parent.rb.applyCentralForce(tmpV);
            }
        }
    }

    private void projectPlanar() {
        double[] n = planarAxis;
        for (int i = 0, m = planarBodies.size(); i < m; i++) {
            BodyInfo b = planarBodies.get(i);
            RigidBody rb = b.rb;
            rb.getCenterOfMassTransform(tmpT);
            tmpT.origin.y = (float) b.pos0[1];
            double[] q = sq1;
            Quat.fromMatrixInto(tmpT.basis, q);
            // keep the rotation about the plane normal relative to the initial orientation
            Quat.mulConjBInto(q, b.rot0, sq2);
            Quat.twistInto(sq2, n, sq3);
            Quat.mulInto(sq3, b.rot0, q);
            tmpQ.set((float) q[0], (float) q[1], (float) q[2], (float) q[3]);
            tmpT.setRotation(tmpQ);
            rb.setCenterOfMassTransform(tmpT);
            rb.getLinearVelocity(tmpV);
            tmpV.y = 0;
            rb.setLinearVelocity(tmpV);
            rb.getAngularVelocity(tmpV);
            tmpV.x = 0;
            tmpV.z = 0;
            rb.setAngularVelocity(tmpV);
        }
    }

    // ------------------------------------------------------------------------------------------------ state

    public int nq() {
        return nq;
    }

    public int nv() {
        return nv;
    }

    public int actuatorCount() {
        return actuators.size();
    }

    public float[][] controlRanges() {
        float[][] r = new float[actuators.size()][];
        for (int i = 0; i < r.length; i++) {
            r[i] = new float[]{actuators.get(i).ctrlLo, actuators.get(i).ctrlHi};
        }
        return r;
    }

    public ModelSpec spec() {
        return spec;
    }

    public PhysicsWorld world() {
        return world;
    }

    public BodyInfo body(String name) {
        BodyInfo b = bodyByName.get(name);
        if (b == null) {
            throw new IllegalArgumentException(spec.name() + ": no body '" + name + "'");
        }
        return b;
    }

    public List<BodyInfo> bodies() {
        return List.copyOf(bodies);
    }

    public JointInfo joint(String name) {
        JointInfo j = jointByName.get(name);
        if (j == null) {
            throw new IllegalArgumentException(spec.name() + ": no joint '" + name + "'");
        }
        return j;
    }

    public List<JointInfo> joints() {
        return List.copyOf(joints);
    }

    private double[] bodyPos(BodyInfo b) {
        b.rb.getCenterOfMassTransform(tmpT);
        return new double[]{tmpT.origin.x, tmpT.origin.y, tmpT.origin.z};
    }

    /** World orientation of a body as quaternion (x, y, z, w), normalised. */
    public double[] bodyOrientation(BodyInfo b) {
        b.rb.getOrientation(tmpQ);
        return Quat.normalize(new double[]{tmpQ.x, tmpQ.y, tmpQ.z, tmpQ.w});
    }

    private double[] bodyLinVel(BodyInfo b) {
        b.rb.getLinearVelocity(tmpV);
        return new double[]{tmpV.x, tmpV.y, tmpV.z};
    }

    private double[] bodyAngVel(BodyInfo b) {
        b.rb.getAngularVelocity(tmpV);
        return new double[]{tmpV.x, tmpV.y, tmpV.z};
    }

    private double[] parentRot(JointInfo j) {
        return j.parent == null ? Quat.identity() : bodyOrientation(j.parent);
    }

    /** A hinge or slider axis in world coordinates, written into {@code out} without allocating. */
    public void jointAxisWorld(JointInfo j, Vector3f out) {
        readParentRot(j, sqP);
        Quat.rotate(sqP, j.axisP, sv1);
        out.set((float) sv1[0], (float) sv1[1], (float) sv1[2]);
    }

    /** Reads a body's orientation (normalised) into out without allocating. */
    private void readRot(BodyInfo b, double[] out) {
        // as RigidBody.getOrientation, without JBullet's thread-local array pool
        b.rb.getCenterOfMassTransform(rotT);
        Quat.fromMatrixInto(rotT.basis, out);
        double n = Math.sqrt(out[0] * out[0] + out[1] * out[1] + out[2] * out[2] + out[3] * out[3]);
        out[0] /= n;
        out[1] /= n;
        out[2] /= n;
        out[3] /= n;
    }

    private void readParentRot(JointInfo j, double[] out) {
        if (j.parent == null) {
            out[0] = 0;
            out[1] = 0;
            out[2] = 0;
            out[3] = 1;
        } else {
            readRot(j.parent, out);
        }
    }

    /** Position of a hinge (rad, right-hand rule about its axis) or slider (m) joint. */
    public double jointPosition(JointInfo j) {
        if (j.isHinge) {
            // relative rotation conj(q_parent) q_child conj(q_rel0), its twist about the joint axis
            readParentRot(j, sqP);
            readRot(j.child, sqC);
            Quat.mulConjAInto(sqP, sqC, sq1);
            Quat.mulConjBInto(sq1, j.rotPC0, sq2);
            return Quat.twistAngle(sq2, j.axisP);
        }
        double[] pr = parentRot(j);
        if (j.type.equals("slider")) {
            double[] pp = j.parent == null ? new double[3] : bodyPos(j.parent);
            double[] local = Quat.rotateInverse(pr, sub(bodyPos(j.child), pp));
            return Quat.dot(sub(local, j.posPC0), j.axisP);
        }
        throw new IllegalArgumentException("joint '" + j.name + "' of type " + j.type + " has no scalar position");
    }

    /** Velocity of a hinge (rad/s) or slider (m/s) joint. */
    public double jointVelocity(JointInfo j) {
        if (j.isHinge) {
            readParentRot(j, sqP);
            Quat.rotate(sqP, j.axisP, sv1);
            j.child.rb.getAngularVelocity(tmpV2);
            double wx = tmpV2.x;
            double wy = tmpV2.y;
            double wz = tmpV2.z;
            if (j.parent != null) {
                j.parent.rb.getAngularVelocity(tmpV2);
                wx -= tmpV2.x;
                wy -= tmpV2.y;
                wz -= tmpV2.z;
            }
            return wx * sv1[0] + wy * sv1[1] + wz * sv1[2];
        }
        double[] axis = Quat.rotate(parentRot(j), j.axisP);
        double[] wp = j.parent == null ? new double[3] : bodyAngVel(j.parent);
        if (j.type.equals("slider")) {
            double[] vp = j.parent == null ? new double[3] : bodyLinVel(j.parent);
            double[] pp = j.parent == null ? new double[3] : bodyPos(j.parent);
            double[] rel = sub(sub(bodyLinVel(j.child), vp), Quat.cross(wp, sub(bodyPos(j.child), pp)));
            return Quat.dot(rel, axis);
        }
        throw new IllegalArgumentException("joint '" + j.name + "' of type " + j.type + " has no scalar velocity");
    }

    public double jointPosition(String name) {
        return jointPosition(joint(name));
    }

    public double jointVelocity(String name) {
        return jointVelocity(joint(name));
    }

    /** Generalised positions (see the class comment for the layout). */
    public void qpos(double[] out) {
        for (JointInfo j : joints) {
            int a = j.qposAdr;
            switch (j.type) {
                case "planar" -> {
                    double[] p = bodyPos(j.child);
                    out[a] = p[0];
                    out[a + 1] = p[2];
                    out[a + 2] = Quat.twistAngle(Quat.mul(bodyOrientation(j.child), Quat.conj(j.child.rot0)), j.axisP);
                }
                case "free" -> {
                    double[] p = bodyPos(j.child);
                    double[] q = Quat.mul(bodyOrientation(j.child), Quat.conj(j.child.rot0));
                    out[a] = p[0];
                    out[a + 1] = p[1];
                    out[a + 2] = p[2];
                    out[a + 3] = q[3];
                    out[a + 4] = q[0];
                    out[a + 5] = q[1];
                    out[a + 6] = q[2];
                }
                case "hinge", "slider" -> out[a] = jointPosition(j);
                default -> {
                }
            }
        }
    }

    /** Generalised velocities (see the class comment for the layout). */
    public void qvel(double[] out) {
        for (JointInfo j : joints) {
            int a = j.qvelAdr;
            switch (j.type) {
                case "planar" -> {
                    double[] v = bodyLinVel(j.child);
                    out[a] = v[0];
                    out[a + 1] = v[2];
                    out[a + 2] = Quat.dot(bodyAngVel(j.child), j.axisP);
                }
                case "free" -> {
                    double[] v = bodyLinVel(j.child);
                    double[] frame = Quat.mul(bodyOrientation(j.child), Quat.conj(j.child.rot0));
                    double[] w = Quat.rotateInverse(frame, bodyAngVel(j.child));
                    System.arraycopy(v, 0, out, a, 3);
                    System.arraycopy(w, 0, out, a + 3, 3);
                }
                case "hinge", "slider" -> out[a] = jointVelocity(j);
                default -> {
                }
            }
        }
    }

    /** The initial configuration's generalised positions (all joints at 0, roots at their spec pose). */
    public double[] initialQpos() {
        double[] q = new double[nq];
        for (JointInfo j : joints) {
            int a = j.qposAdr;
            if (j.type.equals("planar")) {
                q[a] = j.child.pos0[0];
                q[a + 1] = j.child.pos0[2];
            } else if (j.type.equals("free")) {
                double[] p = j.child.pos0;
                q[a] = p[0];
                q[a + 1] = p[1];
                q[a + 2] = p[2];
                q[a + 3] = 1; // orientation relative to the spec pose: identity
            }
        }
        return q;
    }

    /**
     * Places every body by forward kinematics from generalised positions and velocities (as MuJoCo's
     * {@code mj_forward} after writing {@code qpos}/{@code qvel}). Contact caches should be cleared first, e.g. by
     * restoring a world snapshot.
     */
    public void setState(double[] qpos, double[] qvel) {
        if (qpos.length != nq || qvel.length != nv) {
            throw new IllegalArgumentException(spec.name() + ": setState expects qpos[" + nq + "] and qvel[" + nv
                    + "], got " + qpos.length + " and " + qvel.length);
        }
        int nb = bodies.size();
        double[][] pos = new double[nb][];
        double[][] rot = new double[nb][];
        double[][] lin = new double[nb][];
        double[][] ang = new double[nb][];
        for (BodyInfo b : bodies) {
            if (b.isStatic) {
                pos[b.index] = b.pos0;
                rot[b.index] = b.rot0;
                lin[b.index] = new double[3];
                ang[b.index] = new double[3];
            }
        }
        for (JointInfo j : roots) {
            int a = j.qposAdr;
            int v = j.qvelAdr;
            int i = j.child.index;
            if (j.type.equals("planar")) {
                pos[i] = new double[]{qpos[a], j.child.pos0[1], qpos[a + 1]};
                rot[i] = Quat.mul(Quat.axisAngle(j.axisP, qpos[a + 2]), j.child.rot0);
                lin[i] = new double[]{qvel[v], 0, qvel[v + 1]};
                ang[i] = new double[]{j.axisP[0] * qvel[v + 2], j.axisP[1] * qvel[v + 2], j.axisP[2] * qvel[v + 2]};
            } else {
                pos[i] = new double[]{qpos[a], qpos[a + 1], qpos[a + 2]};
                double[] frame = Quat.normalize(new double[]{qpos[a + 4], qpos[a + 5], qpos[a + 6], qpos[a + 3]});
                rot[i] = Quat.mul(frame, j.child.rot0);
                lin[i] = new double[]{qvel[v], qvel[v + 1], qvel[v + 2]};
                ang[i] = Quat.rotate(frame, new double[]{qvel[v + 3], qvel[v + 4], qvel[v + 5]});
            }
        }
        for (JointInfo j : kinematicOrder) {
            double[] pp = j.parent == null ? new double[3] : pos[j.parent.index];
            double[] pr = j.parent == null ? Quat.identity() : rot[j.parent.index];
            double[] pv = j.parent == null ? new double[3] : lin[j.parent.index];
            double[] pw = j.parent == null ? new double[3] : ang[j.parent.index];
            int i = j.child.index;
            double q = 0;
            double qd = 0;
            if (j.type.equals("hinge") || j.type.equals("slider")) {
                q = qpos[j.qposAdr];
                qd = qvel[j.qvelAdr];
            }
            double[] localPos = j.posPC0;
            double[] localRot = j.rotPC0;
            if (j.type.equals("hinge")) {
                double[] r = Quat.axisAngle(j.axisP, q);
                localPos = add(j.anchorP, Quat.rotate(r, sub(j.posPC0, j.anchorP)));
                localRot = Quat.mul(r, j.rotPC0);
            } else if (j.type.equals("slider")) {
                localPos = add(j.posPC0, scale(j.axisP, q));
            }
            pos[i] = add(pp, Quat.rotate(pr, localPos));
            rot[i] = Quat.normalize(Quat.mul(pr, localRot));
            double[] axisW = Quat.rotate(pr, j.axisP == null ? new double[3] : j.axisP);
            double[] w = pw.clone();
            double[] v = add(pv, Quat.cross(pw, sub(pos[i], pp)));
            if (j.type.equals("hinge")) {
                double[] anchorW = add(pp, Quat.rotate(pr, j.anchorP));
                double[] dw = scale(axisW, qd);
                w = add(w, dw);
                v = add(v, Quat.cross(dw, sub(pos[i], anchorW)));
            } else if (j.type.equals("slider")) {
                v = add(v, scale(axisW, qd));
            }
            lin[i] = v;
            ang[i] = w;
        }
        for (BodyInfo b : bodies) {
            if (b.isStatic || pos[b.index] == null) {
                continue;
            }
            Transform t = transform(pos[b.index], rot[b.index]);
            b.rb.setCenterOfMassTransform(t);
            b.rb.setInterpolationWorldTransform(t);
            tmpV.set((float) lin[b.index][0], (float) lin[b.index][1], (float) lin[b.index][2]);
            b.rb.setLinearVelocity(tmpV);
            b.rb.setInterpolationLinearVelocity(tmpV);
            tmpV.set((float) ang[b.index][0], (float) ang[b.index][1], (float) ang[b.index][2]);
            b.rb.setAngularVelocity(tmpV);
            b.rb.setInterpolationAngularVelocity(tmpV);
        }
    }

    // ------------------------------------------------------------------------------------------------ sensors

    public int sensorDim() {
        return sensorDim;
    }

    /** Writes all sensor readings, in spec order, into {@code out} starting at {@code offset}. */
    public void readSensors(float[] out, int offset) {
        for (SensorInfo s : sensors) {
            int o = offset + s.adr;
            switch (s.type) {
                case "jointPosition" -> out[o] = (float) jointPosition(joints.get(s.target));
                case "jointVelocity" -> out[o] = (float) jointVelocity(joints.get(s.target));
                case "bodyPosition" -> copy(bodyPos(bodies.get(s.target)), out, o);
                case "bodyOrientation" -> copy(bodyOrientation(bodies.get(s.target)), out, o);
                case "bodyLinearVelocity" -> copy(bodyLinVel(bodies.get(s.target)), out, o);
                case "bodyAngularVelocity" -> copy(bodyAngVel(bodies.get(s.target)), out, o);
                case "contactForce" -> {
                    double[] w = new double[6];
                    contactWrench(bodies.get(s.target), w);
                    for (int k = 0; k < 3; k++) {
                        out[o + k] = (float) w[k];
                    }
                }
                default -> throw new IllegalStateException(s.type);
            }
        }
    }

    /**
     * Net contact wrench on a body from the last physics step, world frame: force (N) in out[0..2], torque about the
     * body's centre of mass (N m) in out[3..5]. Computed from the solver's contact and friction impulses.
     */
    public void contactWrench(BodyInfo b, double[] out) {
        java.util.Arrays.fill(out, 0);
        var dispatcher = world.dynamicsWorld().getDispatcher();
        int n = dispatcher.getNumManifolds();
        double invDt = 1.0 / world.physicsDtSeconds();
        b.rb.getCenterOfMassTransform(tmpT);
        for (int i = 0; i < n; i++) {
            PersistentManifold m = dispatcher.getManifoldByIndexInternal(i);
            double sign;
            boolean onA;
            if (m.getBody0() == b.rb) {
                sign = 1;
                onA = true;
            } else if (m.getBody1() == b.rb) {
                sign = -1;
                onA = false;
            } else {
                continue;
            }
            for (int p = 0, np = m.getNumContacts(); p < np; p++) {
                ManifoldPoint cp = m.getContactPoint(p);
                double fx = cp.normalWorldOnB.x * cp.appliedImpulse + cp.lateralFrictionDir1.x * cp.appliedImpulseLateral1
                        + cp.lateralFrictionDir2.x * cp.appliedImpulseLateral2;
                double fy = cp.normalWorldOnB.y * cp.appliedImpulse + cp.lateralFrictionDir1.y * cp.appliedImpulseLateral1
                        + cp.lateralFrictionDir2.y * cp.appliedImpulseLateral2;
                double fz = cp.normalWorldOnB.z * cp.appliedImpulse + cp.lateralFrictionDir1.z * cp.appliedImpulseLateral1
                        + cp.lateralFrictionDir2.z * cp.appliedImpulseLateral2;
                fx *= sign * invDt;
                fy *= sign * invDt;
                fz *= sign * invDt;
                Vector3f at = onA ? cp.positionWorldOnA : cp.positionWorldOnB;
                double rx = at.x - tmpT.origin.x;
                double ry = at.y - tmpT.origin.y;
                double rz = at.z - tmpT.origin.z;
                out[0] += fx;
                out[1] += fy;
                out[2] += fz;
                out[3] += ry * fz - rz * fy;
                out[4] += rz * fx - rx * fz;
                out[5] += rx * fy - ry * fx;
            }
        }
    }

    /** World position of a body's centre of mass. */
    public void bodyPosition(BodyInfo b, double[] out) {
        b.rb.getCenterOfMassTransform(tmpT);
        out[0] = tmpT.origin.x;
        out[1] = tmpT.origin.y;
        out[2] = tmpT.origin.z;
    }

    public void bodyLinearVelocity(BodyInfo b, double[] out) {
        b.rb.getLinearVelocity(tmpV2);
        out[0] = tmpV2.x;
        out[1] = tmpV2.y;
        out[2] = tmpV2.z;
    }

    /** World coordinates of a point given in a body's local frame. */
    public double[] pointToWorld(BodyInfo b, double[] local) {
        double[] out = new double[3];
        pointToWorld(b, local, out);
        return out;
    }

    /** World coordinates of a point given in a body's local frame, into {@code out} (3); allocation-free. */
    public void pointToWorld(BodyInfo b, double[] local, double[] out) {
        b.rb.getCenterOfMassTransform(tmpT);
        double px = tmpT.origin.x;
        double py = tmpT.origin.y;
        double pz = tmpT.origin.z;
        b.rb.getOrientation(tmpQ);
        double n = Math.sqrt((double) tmpQ.x * tmpQ.x + (double) tmpQ.y * tmpQ.y + (double) tmpQ.z * tmpQ.z
                + (double) tmpQ.w * tmpQ.w);
        pointRot[0] = tmpQ.x / n;
        pointRot[1] = tmpQ.y / n;
        pointRot[2] = tmpQ.z / n;
        pointRot[3] = tmpQ.w / n;
        Quat.rotate(pointRot, local, out);
        out[0] += px;
        out[1] += py;
        out[2] += pz;
    }

    // ------------------------------------------------------------------------------------------------ randomisation

    /**
     * Draws physics parameters from the spec's randomisation ranges scaled by {@code overrides} (if non-null, it
     * replaces the spec's ranges), or restores nominal values when no range is given.
     */
    public void randomize(RandomGenerator rng, ModelSpec.Randomization overrides) {
        ModelSpec.Randomization r = overrides != null ? overrides
                : spec.randomization() != null ? spec.randomization() : ModelSpec.Randomization.NONE;
        for (BodyInfo b : bodies) {
            if (b.isStatic) {
                continue;
            }
            double ms = draw(rng, r.mass());
            Vector3f in = new Vector3f((float) (b.inertia0[0] * ms), (float) (b.inertia0[1] * ms),
                    (float) (b.inertia0[2] * ms));
            b.rb.setMassProps((float) (b.mass0 * ms), in);
            b.rb.updateInertiaTensor();
            b.rb.setFriction((float) (b.friction0 * draw(rng, r.friction())));
        }
        for (ActuatorInfo a : actuators) {
            a.gain = (float) draw(rng, r.actuatorGain());
            a.strength = (float) draw(rng, r.strength());
        }
    }

    /** Restores nominal masses, frictions and gains. */
    public void resetPhysicsParameters() {
        randomize(null, ModelSpec.Randomization.NONE);
    }

    private static double draw(RandomGenerator rng, float[] range) {
        if (range == null) {
            return 1.0;
        }
        return range[0] + (range[1] - range[0]) * rng.nextDouble();
    }

    /** Current mass of a body (after randomisation). */
    public double mass(BodyInfo b) {
        float inv = b.rb.getInvMass();
        return inv == 0 ? 0 : 1.0 / inv;
    }

    public double totalMass() {
        double m = 0;
        for (BodyInfo b : bodies) {
            m += mass(b);
        }
        return m;
    }

    // ------------------------------------------------------------------------------------------------ scene

    /** Appends this model's shapes (world poses, colours) to {@code out}. */
    public void appendScene(List<Scene.Shape> out) {
        for (BodyInfo b : bodies) {
            double[] bp = bodyPos(b);
            double[] br = bodyOrientation(b);
            for (Prim p : b.prims) {
                double[] wp = add(bp, Quat.rotate(br, p.pos));
                double[] wr = Quat.mul(br, p.rot);
                out.add(new Scene.Shape(b.name, p.kind, p.size.clone(),
                        new float[]{(float) wp[0], (float) wp[1], (float) wp[2]},
                        new float[]{(float) wr[0], (float) wr[1], (float) wr[2], (float) wr[3]}, b.rgba.clone(), false));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static double[] toD(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static double[] sub(double[] a, double[] b) {
        return new double[]{a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static double[] add(double[] a, double[] b) {
        return new double[]{a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    private static double[] scale(double[] a, double s) {
        return new double[]{a[0] * s, a[1] * s, a[2] * s};
    }

    private static void copy(double[] src, float[] out, int o) {
        for (int k = 0; k < src.length; k++) {
            out[o + k] = (float) src[k];
        }
    }

    private static double[][] rotMatrix(double[] q) {
        double[] x = Quat.rotate(q, new double[]{1, 0, 0});
        double[] y = Quat.rotate(q, new double[]{0, 1, 0});
        double[] z = Quat.rotate(q, new double[]{0, 0, 1});
        return new double[][]{{x[0], y[0], z[0]}, {x[1], y[1], z[1]}, {x[2], y[2], z[2]}};
    }

    static Transform transform(double[] pos, double[] rot) {
        Transform t = new Transform();
        t.setIdentity();
        t.origin.set((float) pos[0], (float) pos[1], (float) pos[2]);
        t.setRotation(new Quat4f((float) rot[0], (float) rot[1], (float) rot[2], (float) rot[3]));
        return t;
    }

}
