package org.armature.sim;

import javax.vecmath.Matrix3f;
import javax.vecmath.Vector3f;

import com.bulletphysics.dynamics.RigidBody;

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
 *
 * <p>A {@link HingeRow}: solved inside its {@link HingeJoint}'s solver call or as a constraint of its own
 * ({@code PhysicsWorld.Config.hingeRowsInJoint()}).
 */
final class ArmatureConstraint implements HingeRow {

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
    private final RigidBody rbA;
    private final RigidBody rbB;

    ArmatureConstraint(RigidBody a, RigidBody b, double[] axisInA, float armature) {
        this.rbA = a;
        this.rbB = b;
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
    public void setup() {
        accumulated = 0f;
        updateAxis();
        rbA.getInvInertiaTensorWorld(invIA);
        rbB.getInvInertiaTensorWorld(invIB);
        k = angularImpulseDenominator(invIA, axisWorld) + angularImpulseDenominator(invIB, axisWorld);
    }

    @Override
    public void solve(Vector3f wA, Vector3f wB, float timeStep) {
        tmp.sub(wB, wA);
        float w = tmp.dot(axisWorld);
        // rotor momentum balance over the step: a (w - w0) = tau dt - lambda  =>  lambda = tau dt + a (w0 - w)
        float delta = (jointTorque * timeStep + armature * (relVelStart - w) - accumulated) / (1f + armature * k);
        accumulated += delta;
        tmp.scale(delta, axisWorld);
        addTorqueImpulse(wB, invIB, tmp, 1f);
        addTorqueImpulse(wA, invIA, tmp, -1f);
    }

    /**
     * {@code w += invI (sign * torqueImpulse)}: {@code RigidBody.applyTorqueImpulse} on a working copy of the angular
     * velocity, with the inverse world inertia captured at setup (it does not change during the solve) and no
     * thread-local temporaries. For a static body invI is zero and w is not written back.
     */
    static void addTorqueImpulse(Vector3f w, Matrix3f invI, Vector3f torqueImpulse, float sign) {
        float x = sign * torqueImpulse.x;
        float y = sign * torqueImpulse.y;
        float z = sign * torqueImpulse.z;
        w.x += invI.m00 * x + invI.m01 * y + invI.m02 * z;
        w.y += invI.m10 * x + invI.m11 * y + invI.m12 * z;
        w.z += invI.m20 * x + invI.m21 * y + invI.m22 * z;
    }

    /** {@code RigidBody.computeAngularImpulseDenominator} (axis . invI^T axis) without the thread-local stack. */
    static float angularImpulseDenominator(Matrix3f invI, Vector3f axis) {
        float x = invI.m00 * axis.x + invI.m10 * axis.y + invI.m20 * axis.z;
        float y = invI.m01 * axis.x + invI.m11 * axis.y + invI.m21 * axis.z;
        float z = invI.m02 * axis.x + invI.m12 * axis.y + invI.m22 * axis.z;
        return axis.x * x + axis.y * y + axis.z * z;
    }
}
