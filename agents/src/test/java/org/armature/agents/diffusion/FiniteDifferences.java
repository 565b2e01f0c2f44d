package org.armature.agents.diffusion;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.DoubleSupplier;

import org.armature.nn.Mat;
import org.armature.nn.Param;
import org.armature.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** Central finite differences in float64 against analytic gradients (as org.armature.nn's GradCheck). */
final class FiniteDifferences {

    static final double H = 1e-6;
    static final double ABS_FLOOR = 1e-8;

    private FiniteDifferences() {
    }

    /**
     * Checks d loss / d m[i] for every element against {@code analytic}: relative error below {@code tol}, or both
     * within {@link #ABS_FLOOR} (the round-off of a difference quotient of a loss of order 10 is about
     * 10 · 1e-16 / H = 1e-9: gradients that are exactly zero, such as a convolution bias followed by a GroupNorm
     * with one channel per group, show up as numeric values of that size).
     */
    static void check(String what, Mat m, Mat analytic, DoubleSupplier loss, double tol) {
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
            double e = Math.abs(an - num) < ABS_FLOOR ? 0 : Math.abs(an - num) / Math.max(1e-8, Math.abs(an) + Math.abs(num));
            assertTrue(e < tol, what + "[" + i + "]: analytic " + an + " numeric " + num + " rel err " + e);
        }
    }

    static void checkParams(String what, List<Param> params, DoubleSupplier loss, double tol) {
        for (int k = 0; k < params.size(); k++) {
            Param p = params.get(k);
            check(what + "#" + k + "." + p.name(), p.value(), p.grad(), loss, tol);
        }
    }

    static Mat random(int rows, int cols, Rng rng, double scale) {
        Mat m = Mat.zeros(DataType.DOUBLE, rows, cols);
        for (int i = 0; i < m.length(); i++) {
            m.set(i, rng.nextGaussian() * scale);
        }
        return m.hostWritten();
    }

    static Mat copy(Mat m) {
        return Mat.zeros(m.dataType(), m.rows, m.cols).copyFrom(m);
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
