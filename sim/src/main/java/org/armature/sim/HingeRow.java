package org.armature.sim;

import javax.vecmath.Vector3f;

import com.bulletphysics.dynamics.RigidBody;
import com.bulletphysics.dynamics.constraintsolver.TypedConstraint;
import com.bulletphysics.dynamics.constraintsolver.TypedConstraintType;

/**
 * An extra one-dimensional row of a hinge about its axis ({@link ArmatureConstraint}, {@link HingeLimitConstraint}),
 * working on the angular velocities of the joint's two bodies.
 */
interface HingeRow {

    /** Per-step setup, before the solver iterations. */
    void setup();

    /** One Gauss-Seidel update of the working angular velocities {@code wA} (parent) and {@code wB} (child). */
    void solve(Vector3f wA, Vector3f wB, float timeStep);

    /**
     * A row as its own JBullet constraint, solved wherever JBullet's island sort puts it among the world's
     * constraints (the layout of the v1 tasks: {@code PhysicsWorld.Config.hingeRowsInJoint() == false}). Reads both
     * bodies' angular velocities, updates them, writes them back (not for static bodies).
     */
    final class Constraint extends TypedConstraint {
        private final HingeRow row;
        private final Vector3f wA = new Vector3f();
        private final Vector3f wB = new Vector3f();

        Constraint(RigidBody a, RigidBody b, HingeRow row) {
            super(TypedConstraintType.HINGE_CONSTRAINT_TYPE, a, b);
            this.row = row;
        }

        @Override
        public void buildJacobian() {
            row.setup();
        }

        @Override
        public void solveConstraint(float timeStep) {
            rbA.getAngularVelocity(wA);
            rbB.getAngularVelocity(wB);
            row.solve(wA, wB, timeStep);
            if (rbA.getInvMass() != 0f) {
                rbA.setAngularVelocity(wA);
            }
            if (rbB.getInvMass() != 0f) {
                rbB.setAngularVelocity(wB);
            }
        }
    }
}
