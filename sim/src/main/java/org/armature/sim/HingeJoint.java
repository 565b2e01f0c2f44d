package org.armature.sim;

import javax.vecmath.Matrix3f;
import javax.vecmath.Vector3f;

import com.bulletphysics.dynamics.RigidBody;
import com.bulletphysics.dynamics.constraintsolver.TypedConstraint;
import com.bulletphysics.dynamics.constraintsolver.TypedConstraintType;
import com.bulletphysics.linearmath.Transform;

/**
 * A hinge (revolute joint) between two rigid bodies, solved by sequential impulses like JBullet's
 * {@code HingeConstraint} (a point-to-point block at the pivot, angular rows keeping the axes aligned) but with all
 * temporaries preallocated: JBullet's version draws its temporaries from a thread-local stack on every call, which
 * profiling showed to be the largest single cost of a locomotion step. Limits and motors are separate constraints
 * ({@link HingeLimitConstraint}, actuators in {@link Model}).
 *
 * <p>Per iteration the three linear rows at the pivot are solved together as one 3x3 block:
 * {@code lambda = K^-1 (-beta * (p_A - p_B) / dt - (v_A,pivot - v_B,pivot))} with the effective-mass matrix
 * {@code K = (1/m_A + 1/m_B) 1 + [r_A]x^T I_A^-1 [r_A]x + [r_B]x^T I_B^-1 [r_B]x}, built and inverted once per
 * physics step in {@link #buildJacobian()}; then the two angular rows orthogonal to the axis (directions p, q) as one
 * 2x2 block, also inverted once per step, drive the relative angular velocity there to {@code beta/dt} times the
 * misalignment {@code a_A x a_B}, with the same Baumgarte factor beta = 0.3 (Bullet's default {@code tau}).
 * With {@code PhysicsWorld.Config.hingeRowsInJoint()} the joint's {@link ArmatureConstraint} and
 * {@link HingeLimitConstraint} rows follow in the same call, so velocities are read once and written once per body
 * per iteration for all rows of the joint (JBullet copies both bodies' velocities out of and back into its solver
 * bodies around every constraint it calls), and each joint's rows are solved together in this order; otherwise they
 * are constraints of their own in JBullet's order ({@link HingeRow.Constraint}).
 */
final class HingeJoint extends TypedConstraint {

    static final float BETA = 0.3f;

    private final Vector3f pivotInA;
    private final Vector3f pivotInB;
    private final Vector3f axisInA;
    private final Vector3f axisInB;

    // per-step quantities
    private final Vector3f rA = new Vector3f();
    private final Vector3f rB = new Vector3f();
    private final Vector3f pivotError = new Vector3f(); // pA - pB in world
    private final Matrix3f invK = new Matrix3f();
    private final Matrix3f invIA = new Matrix3f();
    private final Matrix3f invIB = new Matrix3f();
    private final Matrix3f k = new Matrix3f();
    private float invMassA;
    private float invMassB;
    private final Vector3f axisA = new Vector3f();
    private final Vector3f axisB = new Vector3f();
    // angular rows: two unit directions p, q orthogonal to axis A, their 2x2 inverse effective mass, and the
    // misalignment-correcting target of the relative angular velocity along them
    private final Vector3f p = new Vector3f();
    private final Vector3f q = new Vector3f();
    private float ipp;
    private float ipq;
    private float iqq;
    private float misalignP;
    private float misalignQ;

    // scratch
    private final Transform tA = new Transform();
    private final Transform tB = new Transform();
    private final Vector3f vA = new Vector3f();
    private final Vector3f vB = new Vector3f();
    private final Vector3f wA = new Vector3f();
    private final Vector3f wB = new Vector3f();
    private final Vector3f t0 = new Vector3f();
    private final Vector3f t1 = new Vector3f();
    private final Vector3f lambda = new Vector3f();
    private final Vector3f e = new Vector3f();

    // optional rows solved in the same call: rotor inertia, then the joint-range limit
    private HingeRow armature;
    private HingeRow limit;

    HingeJoint(RigidBody a, RigidBody b, double[] pivotInA, double[] pivotInB, double[] axisInA, double[] axisInB) {
        super(TypedConstraintType.HINGE_CONSTRAINT_TYPE, a, b);
        this.pivotInA = v(pivotInA);
        this.pivotInB = v(pivotInB);
        this.axisInA = v(axisInA);
        this.axisInB = v(axisInB);
    }

    void setArmature(HingeRow armature) {
        this.armature = armature;
    }

    void setLimit(HingeRow limit) {
        this.limit = limit;
    }

    private static Vector3f v(double[] d) {
        return new Vector3f((float) d[0], (float) d[1], (float) d[2]);
    }

    @Override
    public void buildJacobian() {
        appliedImpulse = 0f;
        rbA.getCenterOfMassTransform(tA);
        rbB.getCenterOfMassTransform(tB);
        rA.set(pivotInA);
        tA.basis.transform(rA);
        rB.set(pivotInB);
        tB.basis.transform(rB);
        // pivot error pA - pB
        pivotError.add(rA, tA.origin);
        t0.add(rB, tB.origin);
        pivotError.sub(t0);
        rbA.getInvInertiaTensorWorld(invIA);
        rbB.getInvInertiaTensorWorld(invIB);
        invMassA = rbA.getInvMass();
        invMassB = rbB.getInvMass();
        float m = invMassA + invMassB;
        k.setZero();
        k.m00 = m;
        k.m11 = m;
        k.m22 = m;
        addAngularMass(k, invIA, rA);
        addAngularMass(k, invIB, rB);
        invert3x3(k, invK);
        axisA.set(axisInA);
        tA.basis.transform(axisA);
        axisB.set(axisInB);
        tB.basis.transform(axisB);
        planeSpace(axisA, p, q);
        float kpp = inertiaAlong(invIA, p, p) + inertiaAlong(invIB, p, p);
        float kpq = inertiaAlong(invIA, p, q) + inertiaAlong(invIB, p, q);
        float kqq = inertiaAlong(invIA, q, q) + inertiaAlong(invIB, q, q);
        float det = kpp * kqq - kpq * kpq;
        if (det > 1e-30f) {
            ipp = kqq / det;
            ipq = -kpq / det;
            iqq = kpp / det;
        } else {
            ipp = 0f;
            ipq = 0f;
            iqq = 0f;
        }
        e.cross(axisA, axisB); // rotating A about axisA x axisB turns axisA towards axisB
        misalignP = e.dot(p);
        misalignQ = e.dot(q);
        if (armature != null) {
            armature.setup();
        }
        if (limit != null) {
            limit.setup();
        }
    }

    /** Two unit vectors completing the unit vector n to an orthonormal basis (Bullet's btPlaneSpace1). */
    static void planeSpace(Vector3f n, Vector3f p, Vector3f q) {
        if (Math.abs(n.z) > 0.70710678f) {
            float a = n.y * n.y + n.z * n.z;
            float k = (float) (1.0 / Math.sqrt(a));
            p.set(0f, -n.z * k, n.y * k);
            q.set(a * k, -n.x * p.z, n.x * p.y);
        } else {
            float a = n.x * n.x + n.y * n.y;
            float k = (float) (1.0 / Math.sqrt(a));
            p.set(-n.y * k, n.x * k, 0f);
            q.set(-n.z * p.y, n.z * p.x, a * k);
        }
    }

    /** k += [r]x^T invI [r]x, the pivot's velocity response to a unit impulse through the body's rotation. */
    private static void addAngularMass(Matrix3f k, Matrix3f invI, Vector3f r) {
        // [r]x = [[0, -z, y], [z, 0, -x], [-y, x, 0]] (the cross-product matrix, r x v = [r]x v), written out
        float x = r.x;
        float y = r.y;
        float z = r.z;
        // M = invI [r]x
        float m00 = invI.m01 * z - invI.m02 * y;
        float m01 = -invI.m00 * z + invI.m02 * x;
        float m02 = invI.m00 * y - invI.m01 * x;
        float m10 = invI.m11 * z - invI.m12 * y;
        float m11 = -invI.m10 * z + invI.m12 * x;
        float m12 = invI.m10 * y - invI.m11 * x;
        float m20 = invI.m21 * z - invI.m22 * y;
        float m21 = -invI.m20 * z + invI.m22 * x;
        float m22 = invI.m20 * y - invI.m21 * x;
        // [r]x^T M = -[r]x M
        k.m00 += -(-z * m10 + y * m20);
        k.m01 += -(-z * m11 + y * m21);
        k.m02 += -(-z * m12 + y * m22);
        k.m10 += -(z * m00 - x * m20);
        k.m11 += -(z * m01 - x * m21);
        k.m12 += -(z * m02 - x * m22);
        k.m20 += -(-y * m00 + x * m10);
        k.m21 += -(-y * m01 + x * m11);
        k.m22 += -(-y * m02 + x * m12);
    }

    /** Inverse of a 3x3 matrix by cofactors (zero when singular, e.g. two static bodies). */
    static void invert3x3(Matrix3f a, Matrix3f out) {
        float c00 = a.m11 * a.m22 - a.m12 * a.m21;
        float c01 = a.m12 * a.m20 - a.m10 * a.m22;
        float c02 = a.m10 * a.m21 - a.m11 * a.m20;
        float det = a.m00 * c00 + a.m01 * c01 + a.m02 * c02;
        if (!(Math.abs(det) > 1e-30f)) {
            out.setZero();
            return;
        }
        float inv = 1f / det;
        out.m00 = c00 * inv;
        out.m10 = c01 * inv;
        out.m20 = c02 * inv;
        out.m01 = (a.m02 * a.m21 - a.m01 * a.m22) * inv;
        out.m11 = (a.m00 * a.m22 - a.m02 * a.m20) * inv;
        out.m21 = (a.m01 * a.m20 - a.m00 * a.m21) * inv;
        out.m02 = (a.m01 * a.m12 - a.m02 * a.m11) * inv;
        out.m12 = (a.m02 * a.m10 - a.m00 * a.m12) * inv;
        out.m22 = (a.m00 * a.m11 - a.m01 * a.m10) * inv;
    }

    @Override
    public void solveConstraint(float timeStep) {
        float invDt = 1f / timeStep;
        rbA.getLinearVelocity(vA);
        rbB.getLinearVelocity(vB);
        rbA.getAngularVelocity(wA);
        rbB.getAngularVelocity(wB);
        // point-to-point block: lambda = K^-1 (-beta/dt (pA - pB) - (vA + wA x rA - vB - wB x rB))
        t0.cross(wA, rA);
        t1.cross(wB, rB);
        lambda.set(vA);
        lambda.add(t0);
        lambda.sub(vB);
        lambda.sub(t1);
        lambda.scaleAdd(BETA * invDt, pivotError, lambda);
        lambda.negate();
        invK.transform(lambda);
        appliedImpulse += lambda.x + lambda.y + lambda.z;
        vA.scaleAdd(invMassA, lambda, vA);
        vB.scaleAdd(-invMassB, lambda, vB);
        t0.cross(rA, lambda);
        invIA.transform(t0);
        wA.add(t0);
        t0.cross(rB, lambda);
        invIB.transform(t0);
        wB.sub(t0);
        // angular rows along p and q (orthogonal to the axis) as one 2x2 block: the relative angular velocity there
        // is driven to beta/dt times the misalignment
        float rp = (wA.x - wB.x) * p.x + (wA.y - wB.y) * p.y + (wA.z - wB.z) * p.z;
        float rq = (wA.x - wB.x) * q.x + (wA.y - wB.y) * q.y + (wA.z - wB.z) * q.z;
        float bp = BETA * invDt * misalignP - rp;
        float bq = BETA * invDt * misalignQ - rq;
        float lp = ipp * bp + ipq * bq;
        float lq = ipq * bp + iqq * bq;
        e.set(lp * p.x + lq * q.x, lp * p.y + lq * q.y, lp * p.z + lq * q.z);
        t0.set(e);
        invIA.transform(t0);
        wA.add(t0);
        invIB.transform(e);
        wB.sub(e);
        if (armature != null) {
            armature.solve(wA, wB, timeStep);
        }
        if (limit != null) {
            limit.solve(wA, wB, timeStep);
        }
        if (invMassA != 0f) {
            rbA.setLinearVelocity(vA);
            rbA.setAngularVelocity(wA);
        }
        if (invMassB != 0f) {
            rbB.setLinearVelocity(vB);
            rbB.setAngularVelocity(wB);
        }
    }

    /** u . invI v */
    private static float inertiaAlong(Matrix3f invI, Vector3f u, Vector3f v) {
        return u.x * (invI.m00 * v.x + invI.m01 * v.y + invI.m02 * v.z)
                + u.y * (invI.m10 * v.x + invI.m11 * v.y + invI.m12 * v.z)
                + u.z * (invI.m20 * v.x + invI.m21 * v.y + invI.m22 * v.z);
    }
}
