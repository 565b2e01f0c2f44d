package org.armature.sim;

/**
 * Double-precision quaternion and rotation helpers on plain arrays. Quaternions are (x, y, z, w), unit length,
 * rotating vectors actively ({@code v' = q v q*}).
 */
public final class Quat {

    private Quat() {
    }

    public static double[] identity() {
        return new double[]{0, 0, 0, 1};
    }

    /** Rotation by {@code angle} radians about unit {@code axis}. */
    public static double[] axisAngle(double[] axis, double angle) {
        double s = Math.sin(angle / 2);
        return new double[]{axis[0] * s, axis[1] * s, axis[2] * s, Math.cos(angle / 2)};
    }

    /** Hamilton product a * b (apply b first, then a). */
    public static double[] mul(double[] a, double[] b) {
        double[] out = new double[4];
        mulInto(a, b, out);
        return out;
    }

    public static double[] conj(double[] q) {
        return new double[]{-q[0], -q[1], -q[2], q[3]};
    }

    public static double[] normalize(double[] q) {
        double n = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        return new double[]{q[0] / n, q[1] / n, q[2] / n, q[3] / n};
    }

    /** Rotates vector v by q. */
    public static double[] rotate(double[] q, double[] v) {
        double[] out = new double[3];
        rotate(q, v, out);
        return out;
    }

    /** Rotates vector v by q into {@code out} (which may be {@code v}); allocation-free. */
    public static void rotate(double[] q, double[] v, double[] out) {
        // v' = v + 2w (u x v) + 2 u x (u x v), u = q.xyz
        double ux = q[0], uy = q[1], uz = q[2], w = q[3];
        double cx = uy * v[2] - uz * v[1];
        double cy = uz * v[0] - ux * v[2];
        double cz = ux * v[1] - uy * v[0];
        double ccx = uy * cz - uz * cy;
        double ccy = uz * cx - ux * cz;
        double ccz = ux * cy - uy * cx;
        double x = v[0] + 2 * (w * cx + ccx);
        double y = v[1] + 2 * (w * cy + ccy);
        double z = v[2] + 2 * (w * cz + ccz);
        out[0] = x;
        out[1] = y;
        out[2] = z;
    }

    /** Rotates v by the inverse of q. */
    public static double[] rotateInverse(double[] q, double[] v) {
        return rotate(conj(q), v);
    }

    /** Signed angle of the twist of q about unit axis, in (-pi, pi]. */
    public static double twistAngle(double[] q, double[] axis) {
        double p = q[0] * axis[0] + q[1] * axis[1] + q[2] * axis[2];
        double a = 2 * Math.atan2(p, q[3]);
        if (a > Math.PI) {
            a -= 2 * Math.PI;
        } else if (a <= -Math.PI) {
            a += 2 * Math.PI;
        }
        return a;
    }

    /** Quaternion from a rotation matrix given by its columns (local x, y, z axes in world coordinates). */
    public static double[] fromAxes(double[] x, double[] y, double[] z) {
        double m00 = x[0], m10 = x[1], m20 = x[2];
        double m01 = y[0], m11 = y[1], m21 = y[2];
        double m02 = z[0], m12 = z[1], m22 = z[2];
        double tr = m00 + m11 + m22;
        double qx, qy, qz, qw;
        if (tr > 0) {
            double s = Math.sqrt(tr + 1.0) * 2;
            qw = 0.25 * s;
            qx = (m21 - m12) / s;
            qy = (m02 - m20) / s;
            qz = (m10 - m01) / s;
        } else if (m00 > m11 && m00 > m22) {
            double s = Math.sqrt(1.0 + m00 - m11 - m22) * 2;
            qw = (m21 - m12) / s;
            qx = 0.25 * s;
            qy = (m01 + m10) / s;
            qz = (m02 + m20) / s;
        } else if (m11 > m22) {
            double s = Math.sqrt(1.0 + m11 - m00 - m22) * 2;
            qw = (m02 - m20) / s;
            qx = (m01 + m10) / s;
            qy = 0.25 * s;
            qz = (m12 + m21) / s;
        } else {
            double s = Math.sqrt(1.0 + m22 - m00 - m11) * 2;
            qw = (m10 - m01) / s;
            qx = (m02 + m20) / s;
            qy = (m12 + m21) / s;
            qz = 0.25 * s;
        }
        return normalize(new double[]{qx, qy, qz, qw});
    }

    public static double[] cross(double[] a, double[] b) {
        return new double[]{a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    public static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    public static double[] unit(double[] v) {
        double n = Math.sqrt(dot(v, v));
        return new double[]{v[0] / n, v[1] / n, v[2] / n};
    }

    // ---- allocation-free variants for hot loops

    /** out = a * b. */
    public static void mulInto(double[] a, double[] b, double[] out) {
        mulInto(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3], out);
    }

    /** out = conj(a) * b. */
    public static void mulConjAInto(double[] a, double[] b, double[] out) {
        mulInto(-a[0], -a[1], -a[2], a[3], b[0], b[1], b[2], b[3], out);
    }

    /** out = a * conj(b). */
    public static void mulConjBInto(double[] a, double[] b, double[] out) {
        mulInto(a[0], a[1], a[2], a[3], -b[0], -b[1], -b[2], b[3], out);
    }

    /** out = (ax, ay, az, aw) * (bx, by, bz, bw) (out may alias an input array: the operands are values). */
    private static void mulInto(double ax, double ay, double az, double aw, double bx, double by, double bz,
                                double bw, double[] out) {
        out[0] = aw * bx + ax * bw + ay * bz - az * by;
        out[1] = aw * by - ax * bz + ay * bw + az * bx;
        out[2] = aw * bz + ax * by - ay * bx + az * bw;
        out[3] = aw * bw - ax * bx - ay * by - az * bz;
    }

    /** out = the normalised twist of q about unit axis. */
    public static void twistInto(double[] q, double[] axis, double[] out) {
        double p = q[0] * axis[0] + q[1] * axis[1] + q[2] * axis[2];
        double x = axis[0] * p, y = axis[1] * p, z = axis[2] * p, w = q[3];
        double n = Math.sqrt(x * x + y * y + z * z + w * w);
        if (n < 1e-12) {
            out[0] = 0;
            out[1] = 0;
            out[2] = 0;
            out[3] = 1;
            return;
        }
        out[0] = x / n;
        out[1] = y / n;
        out[2] = z / n;
        out[3] = w / n;
    }

    /**
     * The rotation of a rotation matrix as a quaternion (x, y, z, w) written into {@code out}: the same float
     * arithmetic as JBullet's {@code MatrixUtil.getRotation} (so results are identical), without its thread-local
     * array pool, which profiling showed among the top costs of a locomotion step.
     */
    public static void fromMatrixInto(javax.vecmath.Matrix3f m, double[] out) {
        float trace = m.m00 + m.m11 + m.m22;
        float x;
        float y;
        float z;
        float w;
        if (trace > 0f) {
            float s = (float) Math.sqrt(trace + 1f);
            w = s * 0.5f;
            s = 0.5f / s;
            x = (m.m21 - m.m12) * s;
            y = (m.m02 - m.m20) * s;
            z = (m.m10 - m.m01) * s;
        } else if (m.m00 < m.m11 ? m.m11 < m.m22 : m.m00 < m.m22) {
            // i = 2, j = 0, k = 1
            float s = (float) Math.sqrt(m.m22 - m.m00 - m.m11 + 1f);
            z = s * 0.5f;
            s = 0.5f / s;
            w = (m.m10 - m.m01) * s;
            x = (m.m02 + m.m20) * s;
            y = (m.m12 + m.m21) * s;
        } else if (m.m00 < m.m11) {
            // i = 1, j = 2, k = 0
            float s = (float) Math.sqrt(m.m11 - m.m22 - m.m00 + 1f);
            y = s * 0.5f;
            s = 0.5f / s;
            w = (m.m02 - m.m20) * s;
            z = (m.m21 + m.m12) * s;
            x = (m.m01 + m.m10) * s;
        } else {
            // i = 0, j = 1, k = 2
            float s = (float) Math.sqrt(m.m00 - m.m11 - m.m22 + 1f);
            x = s * 0.5f;
            s = 0.5f / s;
            w = (m.m21 - m.m12) * s;
            y = (m.m10 + m.m01) * s;
            z = (m.m20 + m.m02) * s;
        }
        out[0] = x;
        out[1] = y;
        out[2] = z;
        out[3] = w;
    }
}
