package org.armature.sim;

import javax.vecmath.Matrix3f;
import javax.vecmath.Vector3f;

import com.bulletphysics.dynamics.RigidBody;
import com.bulletphysics.dynamics.constraintsolver.TypedConstraint;
import com.bulletphysics.dynamics.constraintsolver.TypedConstraintType;
import com.bulletphysics.linearmath.Transform;

/**
 * A hinge (revolute joint) between two rigid bodies, solved by sequential impulses like JBullet's
 * {@code HingeConstraint} (three linear rows at the pivot, two angular rows keeping the axes aligned) but with all
 * temporaries preallocated: JBullet's version draws its temporaries from a thread-local stack on every call, which
 * profiling showed to be the largest single cost of a locomotion step. Limits and motors are separate constraints
 * ({@link HingeLimitConstraint}, actuators in {@link Model}).
 *
 * <p>Per iteration, for each world axis e_i: {@code lambda = (beta * depth_i / dt - v_rel . e_i) / K_ii} with
 * {@code K_ii = 1/m_A + 1/m_B + (r_A x e_i) . I_A^-1 (r_A x e_i) + (r_B x e_i) . I_B^-1 (r_B x e_i)}, applied at the
 * pivots; then the relative angular velocity orthogonal to the axis is removed and the axis misalignment
 * {@code a_A x a_B} is corrected with the same Baumgarte factor beta = 0.3 (Bullet's default {@code tau}).
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
    private final float[] invK = new float[3];
    private final Matrix3f invIA = new Matrix3f();
    private final Matrix3f invIB = new Matrix3f();
    private float invMassA;
    private float invMassB;

    // scratch
    private final Transform tA = new Transform();
    private final Transform tB = new Transform();
    private final Vector3f vA = new Vector3f();
    private final Vector3f vB = new Vector3f();
    private final Vector3f wA = new Vector3f();
    private final Vector3f wB = new Vector3f();
    private final Vector3f t0 = new Vector3f();
    private final Vector3f t1 = new Vector3f();
    private final Vector3f axisA = new Vector3f();
    private final Vector3f axisB = new Vector3f();
    private final Vector3f e = new Vector3f();

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
        for (int i = 0; i < 3; i++) {
            e.set(i == 0 ? 1 : 0, i == 1 ? 1 : 0, i == 2 ? 1 : 0);
            float k = invMassA + invMassB + angularTerm(invIA, rA) + angularTerm(invIB, rB);
            invK[i] = k > 0 ? 1f / k : 0f;
        }
        axisA.set(axisInA);
        tA.basis.transform(axisA);
        axisB.set(axisInB);
        tB.basis.transform(axisB);
    }

    /** (r x e) . I^-1 (r x e) for the current unit axis e. */
    private float angularTerm(Matrix3f invI, Vector3f r) {
        t0.cross(r, e);
        t1.set(t0);
        invI.transform(t1);
        return t0.dot(t1);
    }

    @Override
    public void solveConstraint(float timeStep) {
        float invDt = 1f / timeStep;
        // linear rows, Gauss-Seidel over the three axes
        for (int i = 0; i < 3; i++) {
            rbA.getLinearVelocity(vA);
            rbB.getLinearVelocity(vB);
            rbA.getAngularVelocity(wA);
            rbB.getAngularVelocity(wB);
            t0.cross(wA, rA);
            vA.add(t0);
            t0.cross(wB, rB);
            vB.add(t0);
            float relVel = component(vA, i) - component(vB, i);
            float depth = -component(pivotError, i);
            float lambda = (depth * BETA * invDt - relVel) * invK[i];
            appliedImpulse += lambda;
            e.set(i == 0 ? lambda : 0, i == 1 ? lambda : 0, i == 2 ? lambda : 0);
            applyImpulse(rbA, invMassA, invIA, e, rA, 1f);
            applyImpulse(rbB, invMassB, invIB, e, rB, -1f);
        }
        // angular rows: remove the relative angular velocity orthogonal to the axis, correct misalignment
        rbA.getAngularVelocity(wA);
        rbB.getAngularVelocity(wB);
        t0.scale(axisA.dot(wA), axisA);
        wA.sub(t0);
        t0.scale(axisB.dot(wB), axisB);
        wB.sub(t0);
        Vector3f velRel = wA; // wA_perp - wB_perp
        velRel.sub(wB);
        float len = velRel.length();
        if (len > 1e-5f) {
            e.scale(1f / len, velRel);
            float denom = inertiaAlong(invIA, e) + inertiaAlong(invIB, e);
            velRel.scale(denom > 0 ? 1f / denom : 0f);
        } else {
            velRel.set(0, 0, 0);
        }
        Vector3f err = wB; // reuse: (axisA x axisB) * beta / dt
        err.cross(axisA, axisB);
        float len2 = err.length();
        if (len2 > 1e-5f) {
            e.scale(1f / len2, err);
            float denom2 = inertiaAlong(invIA, e) + inertiaAlong(invIB, e);
            err.scale(denom2 > 0 ? BETA * invDt / denom2 : 0f);
        } else {
            err.set(0, 0, 0);
        }
        // torque impulse on A: -velRel + err, on B: velRel - err
        t1.sub(err, velRel);
        applyTorque(rbA, invIA, t1);
        t1.negate();
        applyTorque(rbB, invIB, t1);
    }

    private float inertiaAlong(Matrix3f invI, Vector3f n) {
        t0.set(n);
        invI.transform(t0);
        return n.dot(t0);
    }

    private static float component(Vector3f v, int i) {
        return i == 0 ? v.x : i == 1 ? v.y : v.z;
    }

    private void applyImpulse(RigidBody rb, float invMass, Matrix3f invI, Vector3f impulse, Vector3f r, float sign) {
        if (invMass == 0f) {
            return;
        }
        rb.getLinearVelocity(vA);
        vA.scaleAdd(sign * invMass, impulse, vA);
        rb.setLinearVelocity(vA);
        t0.cross(r, impulse);
        t0.scale(sign);
        applyTorque(rb, invI, t0);
    }

    private void applyTorque(RigidBody rb, Matrix3f invI, Vector3f torqueImpulse) {
        if (rb.getInvMass() == 0f) {
            return;
        }
        vB.set(torqueImpulse);
        invI.transform(vB);
        rb.getAngularVelocity(wA);
        wA.add(vB);
        rb.setAngularVelocity(wA);
    }
}
