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
        return new double[]{
                a[3] * b[0] + a[0] * b[3] + a[1] * b[2] - a[2] * b[1],
                a[3] * b[1] - a[0] * b[2] + a[1] * b[3] + a[2] * b[0],
                a[3] * b[2] + a[0] * b[1] - a[1] * b[0] + a[2] * b[3],
                a[3] * b[3] - a[0] * b[0] - a[1] * b[1] - a[2] * b[2]};
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

    /** The twist of q about unit axis (the swing removed), normalised. */
    public static double[] twist(double[] q, double[] axis) {
        double p = q[0] * axis[0] + q[1] * axis[1] + q[2] * axis[2];
        double[] t = {axis[0] * p, axis[1] * p, axis[2] * p, q[3]};
        double n = Math.sqrt(t[0] * t[0] + t[1] * t[1] + t[2] * t[2] + t[3] * t[3]);
        if (n < 1e-12) {
            return identity();
        }
        return new double[]{t[0] / n, t[1] / n, t[2] / n, t[3] / n};
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

    // ---- allocation-free variants for hot loops (out may not alias an input)

    /** out = a * b. */
    public static void mulInto(double[] a, double[] b, double[] out) {
        double x = a[3] * b[0] + a[0] * b[3] + a[1] * b[2] - a[2] * b[1];
        double y = a[3] * b[1] - a[0] * b[2] + a[1] * b[3] + a[2] * b[0];
        double z = a[3] * b[2] + a[0] * b[1] - a[1] * b[0] + a[2] * b[3];
        double w = a[3] * b[3] - a[0] * b[0] - a[1] * b[1] - a[2] * b[2];
        out[0] = x;
        out[1] = y;
        out[2] = z;
        out[3] = w;
    }

    /** out = conj(a) * b. */
    public static void mulConjAInto(double[] a, double[] b, double[] out) {
        double ax = -a[0], ay = -a[1], az = -a[2], aw = a[3];
        double x = aw * b[0] + ax * b[3] + ay * b[2] - az * b[1];
        double y = aw * b[1] - ax * b[2] + ay * b[3] + az * b[0];
        double z = aw * b[2] + ax * b[1] - ay * b[0] + az * b[3];
        double w = aw * b[3] - ax * b[0] - ay * b[1] - az * b[2];
        out[0] = x;
        out[1] = y;
        out[2] = z;
        out[3] = w;
    }

    /** out = a * conj(b). */
    public static void mulConjBInto(double[] a, double[] b, double[] out) {
        double bx = -b[0], by = -b[1], bz = -b[2], bw = b[3];
        double x = a[3] * bx + a[0] * bw + a[1] * bz - a[2] * by;
        double y = a[3] * by - a[0] * bz + a[1] * bw + a[2] * bx;
        double z = a[3] * bz + a[0] * by - a[1] * bx + a[2] * bw;
        double w = a[3] * bw - a[0] * bx - a[1] * by - a[2] * bz;
        out[0] = x;
        out[1] = y;
        out[2] = z;
        out[3] = w;
    }

    /** out = q v q*. */
    public static void rotateInto(double[] q, double[] v, double[] out) {
        double ux = q[0], uy = q[1], uz = q[2], w = q[3];
        double cx = uy * v[2] - uz * v[1];
        double cy = uz * v[0] - ux * v[2];
        double cz = ux * v[1] - uy * v[0];
        double ccx = uy * cz - uz * cy;
        double ccy = uz * cx - ux * cz;
        double ccz = ux * cy - uy * cx;
        out[0] = v[0] + 2 * (w * cx + ccx);
        out[1] = v[1] + 2 * (w * cy + ccy);
        out[2] = v[2] + 2 * (w * cz + ccz);
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
