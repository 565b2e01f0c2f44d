package org.armature.sim;

import javax.vecmath.Matrix3f;
import javax.vecmath.Vector3f;

import com.bulletphysics.dynamics.RigidBody;
import com.bulletphysics.dynamics.constraintsolver.TypedConstraint;
import com.bulletphysics.dynamics.constraintsolver.TypedConstraintType;

/**
 * MuJoCo's joint {@code armature} in maximal coordinates: a rotor inertia {@code a} (kg m^2) on the relative
 * rotation of two bodies about a hinge axis, i.e. kinetic energy {@code a/2 (w_B - w_A . axis)^2}. In generalised
 * coordinates this adds {@code a} to the joint's diagonal of the mass matrix; here it is an implicit velocity-level
 * constraint solved with the others: over one step the accumulated impulse {@code lambda} along the axis satisfies
 * {@code lambda = a (w_rel,0 - w_rel)}, where {@code w_rel,0} is the relative angular velocity at the start of the
 * step (before gravity was integrated), plus the joint torque {@code tau} of the step, which is routed through the
 * rotor: {@code lambda = tau dt + a (w_rel,0 - w_rel)}. Each solver iteration applies the Gauss-Seidel update
 * {@code delta = (tau dt + a (w_rel,0 - w_rel) - lambda) / (1 + a K)} with {@code K = axis . (I_A^-1 + I_B^-1) axis}.
 * The effect: joint torques first accelerate the rotor, as in MuJoCo, instead of jerking the lighter link.
 */
final class ArmatureConstraint extends TypedConstraint {

    private final float armature;
    private final Vector3f axisInA = new Vector3f();
    private final Vector3f axisWorld = new Vector3f();
    private final Vector3f tmp = new Vector3f();
    private final Vector3f tmp2 = new Vector3f();
    private final Matrix3f basis = new Matrix3f();
    private final Matrix3f invIA = new Matrix3f();
    private final Matrix3f invIB = new Matrix3f();
    private final com.bulletphysics.linearmath.Transform tA = new com.bulletphysics.linearmath.Transform();
    private float relVelStart;
    private float jointTorque;
    private float accumulated;
    private float k;

    /** @param axisInA hinge axis in body A's local frame (A = parent) */
    ArmatureConstraint(RigidBody a, RigidBody b, double[] axisInA, float armature) {
        super(TypedConstraintType.HINGE_CONSTRAINT_TYPE, a, b);
        this.armature = armature;
        this.axisInA.set((float) axisInA[0], (float) axisInA[1], (float) axisInA[2]);
    }

    private void updateAxis() {
        rbA.getCenterOfMassTransform(tA);
        basis.set(tA.basis);
        axisWorld.set(axisInA);
        basis.transform(axisWorld);
    }

    private float relativeVelocity() {
        rbB.getAngularVelocity(tmp);
        rbA.getAngularVelocity(tmp2);
        tmp.sub(tmp2);
        return tmp.dot(axisWorld);
    }

    /**
     * Records the relative velocity at the start of a physics step (called before forces are integrated) and clears
     * the joint torque of the previous step.
     */
    void captureStartVelocity() {
        updateAxis();
        relVelStart = relativeVelocity();
        jointTorque = 0f;
    }

    /**
     * Adds a joint torque (actuator, damping, spring) for this step. It acts on the rotor, which passes it on to the
     * links through the constraint impulse, as in MuJoCo where armature and joint torque meet in the same row of
     * {@code M qacc = tau}. Applying it to the links directly instead would first give light links huge velocity
     * changes ({@code tau dt / I}) that the solver then has to take back.
     */
    void addJointTorque(float torque) {
        jointTorque += torque;
    }

    @Override
    public void buildJacobian() {
        appliedImpulse = 0f;
        accumulated = 0f;
        updateAxis();
        rbA.getInvInertiaTensorWorld(invIA);
        rbB.getInvInertiaTensorWorld(invIB);
        k = angularImpulseDenominator(invIA, axisWorld) + angularImpulseDenominator(invIB, axisWorld);
    }

    @Override
    public void solveConstraint(float timeStep) {
        float w = relativeVelocity();
        // rotor momentum balance over the step: a (w - w0) = tau dt - lambda  =>  lambda = tau dt + a (w0 - w)
        float delta = (jointTorque * timeStep + armature * (relVelStart - w) - accumulated) / (1f + armature * k);
        accumulated += delta;
        appliedImpulse = accumulated;
        tmp.scale(delta, axisWorld);
        applyTorqueImpulse(rbB, invIB, tmp, tmp2);
        tmp.negate();
        applyTorqueImpulse(rbA, invIA, tmp, tmp2);
    }

    /**
     * {@code RigidBody.applyTorqueImpulse} with the inverse world inertia captured in {@code buildJacobian} (it does
     * not change during the solve) and a preallocated temporary instead of JBullet's thread-local stack: the same
     * float operations, so the same results.
     */
    static void applyTorqueImpulse(RigidBody rb, Matrix3f invI, Vector3f torqueImpulse, Vector3f w) {
        if (rb.getInvMass() == 0f) {
            return; // static: zero inverse inertia, nothing changes
        }
        rb.getAngularVelocity(w);
        w.x += invI.m00 * torqueImpulse.x + invI.m01 * torqueImpulse.y + invI.m02 * torqueImpulse.z;
        w.y += invI.m10 * torqueImpulse.x + invI.m11 * torqueImpulse.y + invI.m12 * torqueImpulse.z;
        w.z += invI.m20 * torqueImpulse.x + invI.m21 * torqueImpulse.y + invI.m22 * torqueImpulse.z;
        rb.setAngularVelocity(w);
    }

    /** {@code RigidBody.computeAngularImpulseDenominator} (axis . invI^T axis) without the thread-local stack. */
    static float angularImpulseDenominator(Matrix3f invI, Vector3f axis) {
        float x = invI.m00 * axis.x + invI.m10 * axis.y + invI.m20 * axis.z;
        float y = invI.m01 * axis.x + invI.m11 * axis.y + invI.m21 * axis.z;
        float z = invI.m02 * axis.x + invI.m12 * axis.y + invI.m22 * axis.z;
        return axis.x * x + axis.y * y + axis.z * z;
    }
}
