package org.armature.envs.experts;

import org.armature.envs.tasks.manipulation.PandaKinematics;
import org.armature.envs.tasks.manipulation.ReachEnv;

/**
 * Scripted expert for {@code Reach-v1}: resolved-rate control with damped least squares (Wampler 1986 / Nakamura
 * 1986), {@code dq = J^T (J J^T + lambda^2 I)^-1 k (target - tcp)}, plus a null-space pull towards the ready pose
 * that keeps the arm away from its joint limits; the joint step is scaled into the action box keeping its
 * direction. Uses only the observation (q, TCP, target) and the arm's published kinematics.
 */
public final class ReachExpert extends AbstractExpert {

    /** Fraction of the Cartesian error removed per control step. */
    static final double GAIN = 0.8;
    /** DLS damping (m); small against the 0.05 m success radius. */
    static final double LAMBDA = 0.05;
    /** Null-space posture gain per step. */
    static final double POSTURE_GAIN = 0.05;
    /** Cap on the Cartesian step (m) so far targets are approached along a straight line. */
    static final double MAX_STEP_M = 0.08;

    private final PandaKinematics kin = new PandaKinematics();
    private final double[] q = new double[7];
    private final double[] tcpModel = new double[3];
    private final double[][] jac = new double[3][7];
    private final double[] dq = new double[7];

    public ReachExpert(double noiseStd, long seed) {
        super(noiseStd, seed);
    }

    @Override
    public float[] act(float[] obs) {
        for (int i = 0; i < 7; i++) {
            q[i] = obs[i];
        }
        kin.forward(q, tcpModel, jac);
        double[] v = new double[3];
        double norm = 0;
        for (int k = 0; k < 3; k++) {
            v[k] = GAIN * (obs[17 + k] - obs[14 + k]);
            norm += v[k] * v[k];
        }
        norm = Math.sqrt(norm);
        if (norm > MAX_STEP_M) {
            for (int k = 0; k < 3; k++) {
                v[k] *= MAX_STEP_M / norm;
            }
        }
        // A = J J^T + lambda^2 I (3x3), y = A^-1 v, dq = J^T y
        double[][] a = new double[3][3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                double s = 0;
                for (int i = 0; i < 7; i++) {
                    s += jac[r][i] * jac[c][i];
                }
                a[r][c] = s + (r == c ? LAMBDA * LAMBDA : 0);
            }
        }
        double[] y = solve3(a, v);
        // null-space posture term: (I - J^T A^-1 J) z with z = posture pull
        double[] z = new double[7];
        for (int i = 0; i < 7; i++) {
            z[i] = POSTURE_GAIN * (PandaKinematics.Q_HOME[i] - q[i]);
        }
        double[] jz = new double[3];
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i < 7; i++) {
                jz[r] += jac[r][i] * z[i];
            }
        }
        double[] w = solve3(a, jz);
        double maxAbs = 0;
        for (int i = 0; i < 7; i++) {
            double s = 0;
            double t = 0;
            for (int r = 0; r < 3; r++) {
                s += jac[r][i] * y[r];
                t += jac[r][i] * w[r];
            }
            dq[i] = (s + z[i] - t) / ReachEnv.DELTA_Q_RAD;
            maxAbs = Math.max(maxAbs, Math.abs(dq[i]));
        }
        if (maxAbs > 1) {
            for (int i = 0; i < 7; i++) {
                dq[i] /= maxAbs;
            }
        }
        return noisyClipped(dq, -1, 1);
    }

    /** Solves a 3x3 system by Cramer's rule (A is symmetric positive definite here). */
    static double[] solve3(double[][] a, double[] b) {
        double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
                - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
        double[] x = new double[3];
        for (int k = 0; k < 3; k++) {
            double[][] m = {a[0].clone(), a[1].clone(), a[2].clone()};
            for (int r = 0; r < 3; r++) {
                m[r][k] = b[r];
            }
            x[k] = (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                    - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                    + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])) / det;
        }
        return x;
    }
}
