package org.armature.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.DoubleSupplier;

/** Central finite differences in double precision against analytic gradients. */
final class GradCheck {

    private GradCheck() {
    }

    static final double H = 1e-6;

    /** Relative error |a - n| / max(1e-8, |a| + |n|). */
    static double relErr(double a, double n) {
        return Math.abs(a - n) / Math.max(1e-8, Math.abs(a) + Math.abs(n));
    }

    /** Checks d loss / d m[i] for every element against {@code analytic} (same shape as m). */
    static void check(String what, Mat m, Mat analytic, DoubleSupplier loss, double tol) {
        double worst = 0;
        for (int i = 0; i < m.length(); i++) {
            double orig = m.get(i);
            m.set(i, orig + H);
            m.hostWritten();
            double lp = loss.getAsDouble();
            m.set(i, orig - H);
            m.hostWritten();
            double lm = loss.getAsDouble();
            m.set(i, orig);
            m.hostWritten();
            double num = (lp - lm) / (2 * H);
            double an = analytic.get(i);
            double e = Math.abs(an - num) < 1e-9 ? 0 : relErr(an, num);
            worst = Math.max(worst, e);
            assertTrue(e < tol, what + "[" + i + "]: analytic " + an + " numeric " + num + " rel err " + e);
        }
    }

    static void checkParams(String what, List<Param> params, DoubleSupplier loss, double tol) {
        for (Param p : params) {
            check(what + "." + p.name(), p.value(), p.grad(), loss, tol);
        }
    }

    static Mat random(int rows, int cols, Rng rng, double scale) {
        Mat m = Mat.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, rows, cols);
        for (int i = 0; i < m.length(); i++) {
            m.set(i, rng.nextGaussian() * scale);
        }
        return m.hostWritten();
    }

    /** sum_ij w_ij y_ij */
    static double dot(Mat w, Mat y) {
        double s = 0;
        for (int i = 0; i < w.length(); i++) {
            s += w.get(i) * y.get(i);
        }
        return s;
    }
}
