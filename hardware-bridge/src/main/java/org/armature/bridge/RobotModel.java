package org.armature.bridge;

import java.util.function.Supplier;

import org.armature.envs.tasks.manipulation.PandaKinematics;

/**
 * A robot's limits as its datasheet gives them, and its forward kinematics (for the Cartesian workspace check).
 * {@link SafetyConfig#defaults} derives a robot's default safety limits from these.
 *
 * @param name                       robot name (e.g. {@code panda})
 * @param positionLowerRad           joint position limits (rad)
 * @param positionUpperRad           joint position limits (rad)
 * @param velocityLimitRadPerSec     joint speed limits (rad/s)
 * @param accelerationLimitRadPerSec2 joint acceleration limits (rad/s^2)
 * @param effortLimitNm              joint torque limits (N m)
 * @param workspaceMinM              default Cartesian box for the tool centre point (m), or null without kinematics
 * @param workspaceMaxM              see {@code workspaceMinM}
 * @param kinematics                 a fresh forward-kinematics instance per caller (instances are not thread-safe);
 *                                   null when the robot has none
 */
public record RobotModel(String name, double[] positionLowerRad, double[] positionUpperRad,
                         double[] velocityLimitRadPerSec, double[] accelerationLimitRadPerSec2, double[] effortLimitNm,
                         double[] workspaceMinM, double[] workspaceMaxM, Supplier<ForwardKinematics> kinematics) {

    /** Tool centre point position from joint positions; implementations are allocation-free. */
    @FunctionalInterface
    public interface ForwardKinematics {
        void tcp(double[] q, double[] out);
    }

    public int dof() {
        return positionLowerRad.length;
    }

    /**
     * The Franka Emika Panda (the arm of Reach-v1): joint limits as in {@link PandaKinematics}; speed, acceleration
     * and torque limits from the Franka Control Interface datasheet ("Robot and interface specifications", joint
     * space limits); workspace box: the arm's reach (0.855 m) around the base, above the table surface.
     */
    public static RobotModel panda() {
        return new RobotModel("panda", PandaKinematics.Q_LOWER.clone(), PandaKinematics.Q_UPPER.clone(),
                new double[]{2.175, 2.175, 2.175, 2.175, 2.61, 2.61, 2.61},
                new double[]{15, 7.5, 10, 12.5, 15, 20, 20},
                new double[]{87, 87, 87, 87, 12, 12, 12},
                new double[]{-0.855, -0.855, 0.02}, new double[]{0.855, 0.855, 1.19},
                () -> {
                    PandaKinematics k = new PandaKinematics();
                    return (q, out) -> k.forward(q, out, null);
                });
    }
}
