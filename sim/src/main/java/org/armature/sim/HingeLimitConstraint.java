package org.armature.sim;

import javax.vecmath.Matrix3f;
import javax.vecmath.Vector3f;

import com.bulletphysics.dynamics.RigidBody;

/**
 * Joint-range limit of a hinge as a one-sided velocity constraint measured with the exact joint angle. (JBullet's
 * own hinge limit uses a fast atan2 approximation with errors of several degrees and scales the range by its
 * "softness"; that makes limits land visibly off their values.) When the angle {@code q} is outside
 * [{@code lower}, {@code upper}], the relative angular velocity away from the violated bound is driven towards
 * {@code violation / TIME_CONSTANT} (Baumgarte stabilisation with a fixed time constant of 1/48 s ~ 20.8 ms, close
 * to MuJoCo's default {@code solref} of 0.02 s; per physics step that is beta = dt / TIME_CONSTANT, 0.2 at 240 Hz)
 * with a non-negative accumulated impulse. The time constant, not beta, is fixed so that a larger physics step does
 * not make limits softer. A {@link HingeRow}: solved inside its {@link HingeJoint}'s solver call or as a constraint
 * of its own ({@code PhysicsWorld.Config.hingeRowsInJoint()}).
 */
final class HingeLimitConstraint implements HingeRow {

    /** Time constant of the limit's error correction (seconds). */
    static final double TIME_CONSTANT_SECONDS = 1.0 / 48.0;

    private final Model model;
    private final Model.JointInfo joint;
    private final double lower;
    private final double upper;
    private final float beta;
    private final Vector3f axis = new Vector3f();
    private final Vector3f tmp = new Vector3f();
    private final Matrix3f invIA = new Matrix3f();
    private final Matrix3f invIB = new Matrix3f();
    private boolean active;
    private float sign;
    private float target;
    private float invK;
    private float accumulated;

    private final RigidBody rbA;
    private final RigidBody rbB;

    HingeLimitConstraint(RigidBody a, RigidBody b, Model model, Model.JointInfo joint, double physicsDtSeconds) {
        this.rbA = a;
        this.rbB = b;
        this.beta = beta(physicsDtSeconds);
        this.model = model;
        this.joint = joint;
        this.lower = joint.lower;
        this.upper = joint.upper;
    }

    @Override
    public void setup() {
        accumulated = 0f;
        double q = model.jointPositionThisStep(joint);
        if (q < lower) {
            active = true;
            sign = 1f;
            target = (float) (beta * (lower - q));
        } else if (q > upper) {
            active = true;
            sign = -1f;
            target = (float) (beta * (q - upper));
        } else {
            active = false;
            return;
        }
        model.jointAxisWorld(joint, axis);
        rbA.getInvInertiaTensorWorld(invIA);
        rbB.getInvInertiaTensorWorld(invIB);
        float k = ArmatureConstraint.angularImpulseDenominator(invIA, axis)
                + ArmatureConstraint.angularImpulseDenominator(invIB, axis);
        invK = 1f / k;
    }

    /** Projected Gauss-Seidel: the accumulated impulse stays non-negative (the limit only pushes). */
    @Override
    public void solve(Vector3f wA, Vector3f wB, float timeStep) {
        if (!active) {
            return;
        }
        tmp.sub(wB, wA);
        float v = sign * tmp.dot(axis);
        float delta = (target / timeStep - v) * invK;
        float old = accumulated;
        accumulated = Math.max(0f, old + delta);
        delta = accumulated - old;
        tmp.scale(sign * delta, axis);
        ArmatureConstraint.addTorqueImpulse(wB, invIB, tmp, 1f);
        ArmatureConstraint.addTorqueImpulse(wA, invIA, tmp, -1f);
    }

    /** Baumgarte factor per physics step for the fixed time constant (at most 1). */
    static float beta(double physicsDtSeconds) {
        return (float) Math.min(1.0, physicsDtSeconds / TIME_CONSTANT_SECONDS);
    }
}
