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
 * physics step in {@link #buildJacobian()}; then the relative angular velocity orthogonal to the axis is removed
 * and the axis misalignment {@code a_A x a_B} is corrected with the same Baumgarte factor beta = 0.3 (Bullet's
 * default {@code tau}). Velocities are read once and written once per body per iteration.
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
    private final Vector3f err = new Vector3f();

    HingeJoint(RigidBody a, RigidBody b, double[] pivotInA, double[] pivotInB, double[] axisInA, double[] axisInB) {
        super(TypedConstraintType.HINGE_CONSTRAINT_TYPE, a, b);
        this.pivotInA = v(pivotInA);
        this.pivotInB = v(pivotInB);
        this.axisInA = v(axisInA);
        this.axisInB = v(axisInB);
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
    }

    /** k += [r]x^T invI [r]x, the pivot's velocity response to a unit impulse through the body's rotation. */
    private static void addAngularMass(Matrix3f k, Matrix3f invI, Vector3f r) {
        // [r]x = [[0, -z, y], [z, 0, -x], [-y, x, 0]]; column j of invI [r]x is invI (e_j x r) ... written out:
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
        // angular rows: remove the relative angular velocity orthogonal to the axis, correct misalignment
        Vector3f velRel = t1; // wA_perp - wB_perp
        velRel.scale(-axisA.dot(wA), axisA);
        velRel.add(wA);
        t0.scale(axisB.dot(wB), axisB);
        velRel.sub(wB);
        velRel.add(t0);
        float len = velRel.length();
        if (len > 1e-5f) {
            e.scale(1f / len, velRel);
            float denom = inertiaAlong(invIA, e) + inertiaAlong(invIB, e);
            velRel.scale(denom > 0 ? 1f / denom : 0f);
        } else {
            velRel.set(0, 0, 0);
        }
        err.cross(axisA, axisB); // (axisA x axisB) * beta / dt
        float len2 = err.length();
        if (len2 > 1e-5f) {
            e.scale(1f / len2, err);
            float denom2 = inertiaAlong(invIA, e) + inertiaAlong(invIB, e);
            err.scale(denom2 > 0 ? BETA * invDt / denom2 : 0f);
        } else {
            err.set(0, 0, 0);
        }
        // torque impulse on A: err - velRel, on B: velRel - err
        err.sub(velRel);
        t0.set(err);
        invIA.transform(t0);
        wA.add(t0);
        invIB.transform(err);
        wB.sub(err);
        if (invMassA != 0f) {
            rbA.setLinearVelocity(vA);
            rbA.setAngularVelocity(wA);
        }
        if (invMassB != 0f) {
            rbB.setLinearVelocity(vB);
            rbB.setAngularVelocity(wB);
        }
    }

    private float inertiaAlong(Matrix3f invI, Vector3f n) {
        t0.set(n);
        invI.transform(t0);
        return n.dot(t0);
    }
}
