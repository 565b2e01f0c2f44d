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
        k = rbA.computeAngularImpulseDenominator(axisWorld) + rbB.computeAngularImpulseDenominator(axisWorld);
    }

    @Override
    public void solveConstraint(float timeStep) {
        float w = relativeVelocity();
        // rotor momentum balance over the step: a (w - w0) = tau dt - lambda  =>  lambda = tau dt + a (w0 - w)
        float delta = (jointTorque * timeStep + armature * (relVelStart - w) - accumulated) / (1f + armature * k);
        accumulated += delta;
        appliedImpulse = accumulated;
        tmp.scale(delta, axisWorld);
        rbB.applyTorqueImpulse(tmp);
        tmp.negate();
        rbA.applyTorqueImpulse(tmp);
    }
}
