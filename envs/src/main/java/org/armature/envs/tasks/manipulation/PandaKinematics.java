package org.armature.envs.tasks.manipulation;

/**
 * Forward kinematics and the positional Jacobian of the Franka Emika Panda arm from its published modified
 * (Craig) Denavit-Hartenberg parameters (Franka Control Interface documentation, "Robot and interface
 * specifications"): per joint i, {@code T_i = RotX(alpha_{i-1}) TransX(a_{i-1}) RotZ(q_i) TransZ(d_i)}, followed by
 * the flange ({@code d = 0.107}) and the tool centre point between the fingertips ({@code 0.1034} m beyond the
 * flange, the Franka Hand's TCP). The {@code panda_arm.json} model is built so that its hinge angles equal these q.
 *
 * <p>Allocation-free after construction; not thread-safe (scratch buffers).
 */
public final class PandaKinematics {

    public static final int DOF = 7;
    /** a_{i-1} (m), d_i (m), alpha_{i-1} (rad) for joints 1..7 and the flange. */
    private static final double[][] DH = {
            {0, 0.333, 0},
            {0, 0, -Math.PI / 2},
            {0, 0.316, Math.PI / 2},
            {0.0825, 0, Math.PI / 2},
            {-0.0825, 0.384, -Math.PI / 2},
            {0, 0, Math.PI / 2},
            {0.088, 0, Math.PI / 2},
            {0, 0.107, 0}};
    /** Franka Hand tool centre point beyond the flange along its z (m). */
    public static final double TCP_OFFSET = 0.1034;
    /**
     * Joint limits (rad), Franka datasheet, except joint 6's upper limit: 3.7525 rad (215 deg) on the robot, 3.0543
     * rad (175 deg) here because the simulator measures hinge angles in (-180, 180] deg.
     */
    public static final double[] Q_LOWER = {-2.8973, -1.7628, -2.8973, -3.0718, -2.8973, -0.0175, -2.8973};
    public static final double[] Q_UPPER = {2.8973, 1.7628, 2.8973, -0.0698, 2.8973, 3.0543, 2.8973};
    /** The "ready" pose of franka_ros / libfranka examples. */
    public static final double[] Q_HOME = {0, -Math.PI / 4, 0, -3 * Math.PI / 4, 0, Math.PI / 2, Math.PI / 4};

    private final double[][] origin = new double[DOF][3];
    private final double[][] axis = new double[DOF][3];
    private final double[] m = new double[12]; // rotation (row-major 3x3) + translation
    private final double[] t = new double[12];
    private final double[] r = new double[12];

    /** TCP position for joint angles {@code q} into {@code tcp}; also fills the Jacobian when {@code jac != null}. */
    public void forward(double[] q, double[] tcp, double[][] jac) {
        setIdentity(m);
        for (int i = 0; i < DH.length; i++) {
            double theta = i < DOF ? q[i] : 0;
            dhTransform(DH[i][0], DH[i][1], DH[i][2], theta, t);
            multiply(m, t);
            if (i < DOF) {
                origin[i][0] = m[3];
                origin[i][1] = m[7];
                origin[i][2] = m[11];
                axis[i][0] = m[2];
                axis[i][1] = m[6];
                axis[i][2] = m[10];
            }
        }
        tcp[0] = m[3] + TCP_OFFSET * m[2];
        tcp[1] = m[7] + TCP_OFFSET * m[6];
        tcp[2] = m[11] + TCP_OFFSET * m[10];
        if (jac != null) {
            for (int i = 0; i < DOF; i++) {
                double rx = tcp[0] - origin[i][0];
                double ry = tcp[1] - origin[i][1];
                double rz = tcp[2] - origin[i][2];
                double[] z = axis[i];
                jac[0][i] = z[1] * rz - z[2] * ry;
                jac[1][i] = z[2] * rx - z[0] * rz;
                jac[2][i] = z[0] * ry - z[1] * rx;
            }
        }
    }

    private static void dhTransform(double a, double d, double alpha, double theta, double[] out) {
        double ca = Math.cos(alpha);
        double sa = Math.sin(alpha);
        double ct = Math.cos(theta);
        double st = Math.sin(theta);
        out[0] = ct;
        out[1] = -st;
        out[2] = 0;
        out[3] = a;
        out[4] = st * ca;
        out[5] = ct * ca;
        out[6] = -sa;
        out[7] = -d * sa;
        out[8] = st * sa;
        out[9] = ct * sa;
        out[10] = ca;
        out[11] = d * ca;
    }

    private static void setIdentity(double[] x) {
        java.util.Arrays.fill(x, 0);
        x[0] = 1;
        x[5] = 1;
        x[10] = 1;
    }

    /** a := a * b for 3x4 affine matrices stored row-major. */
    private void multiply(double[] a, double[] b) {
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 4; col++) {
                double v = a[row * 4] * b[col] + a[row * 4 + 1] * b[4 + col] + a[row * 4 + 2] * b[8 + col];
                if (col == 3) {
                    v += a[row * 4 + 3];
                }
                r[row * 4 + col] = v;
            }
        }
        System.arraycopy(r, 0, a, 0, 12);
    }
}
