package org.armature.envs.tasks.manipulation;

/**
 * Exact area of overlap between two T shapes in the plane, each the union of two rectangles with disjoint interiors
 * (Push-T's bar and stem). Since the parts of each T do not overlap, the area of {@code T_a ∩ T_b} is the sum of the
 * four pairwise convex intersections, each computed by Sutherland-Hodgman clipping of one convex quadrilateral by
 * the other and the shoelace formula. No rasterisation: the result is exact up to floating point.
 *
 * <p>A quadrilateral is 8 doubles (x0, y0, ..., x3, y3), counter-clockwise or clockwise. Not thread-safe (scratch
 * buffers); allocation-free.
 */
public final class TCoverage {

    private final double[] bufA = new double[32];
    private final double[] bufB = new double[32];

    /** Area of the intersection of two convex polygons given as quadrilaterals. */
    public double intersectionArea(double[] p, double[] q) {
        // clip p by each edge of q; 'inside' is the left of each edge for a counter-clockwise q
        double orientation = signedArea(q, 4) > 0 ? 1 : -1;
        double[] in = bufA;
        double[] out = bufB;
        System.arraycopy(p, 0, in, 0, 8);
        int n = 4;
        for (int e = 0; e < 4 && n > 0; e++) {
            int i0 = e;
            int i1 = (e + 1) % 4;
            double ax = q[2 * i0];
            double ay = q[2 * i0 + 1];
            double bx = q[2 * i1];
            double by = q[2 * i1 + 1];
            int m = 0;
            for (int k = 0; k < n; k++) {
                double cx = in[2 * k];
                double cy = in[2 * k + 1];
                int kn = (k + 1) % n;
                double dx = in[2 * kn];
                double dy = in[2 * kn + 1];
                double sc = orientation * side(ax, ay, bx, by, cx, cy);
                double sd = orientation * side(ax, ay, bx, by, dx, dy);
                if (sc >= 0) {
                    out[2 * m] = cx;
                    out[2 * m + 1] = cy;
                    m++;
                }
                if ((sc >= 0) != (sd >= 0)) {
                    double t = sc / (sc - sd);
                    out[2 * m] = cx + t * (dx - cx);
                    out[2 * m + 1] = cy + t * (dy - cy);
                    m++;
                }
            }
            double[] tmp = in;
            in = out;
            out = tmp;
            n = m;
        }
        return n < 3 ? 0 : Math.abs(signedArea(in, n));
    }

    /** Overlap of T {@code a} = (barA, stemA) with T {@code b} = (barB, stemB). */
    public double overlap(double[] barA, double[] stemA, double[] barB, double[] stemB) {
        return intersectionArea(barA, barB) + intersectionArea(barA, stemB) + intersectionArea(stemA, barB)
                + intersectionArea(stemA, stemB);
    }

    private static double side(double ax, double ay, double bx, double by, double px, double py) {
        return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    }

    static double signedArea(double[] p, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            s += p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
        }
        return s / 2;
    }

    /**
     * Writes the corners of the rectangle {@code [x0, x1] x [y0, y1]} given in a frame at {@code (px, py)} rotated
     * by {@code angle} into {@code out} (counter-clockwise).
     */
    public static void rectangle(double x0, double y0, double x1, double y1, double px, double py, double angle,
                                 double[] out) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double[] xs = {x0, x1, x1, x0};
        double[] ys = {y0, y0, y1, y1};
        for (int k = 0; k < 4; k++) {
            out[2 * k] = px + c * xs[k] - s * ys[k];
            out[2 * k + 1] = py + s * xs[k] + c * ys[k];
        }
    }
}
