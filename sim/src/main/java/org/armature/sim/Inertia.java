package org.armature.sim;

/**
 * Exact volumes and principal moments of inertia of uniform-density primitives in their local frame (capsule and
 * cylinder axis = local z), as MuJoCo computes them. (Bullet's own {@code calculateLocalInertia} approximates
 * capsules and cylinders by boxes.)
 */
public final class Inertia {

    private Inertia() {
    }

    public static double boxVolume(double hx, double hy, double hz) {
        return 8 * hx * hy * hz;
    }

    public static double[] box(double mass, double hx, double hy, double hz) {
        double x2 = 4 * hx * hx, y2 = 4 * hy * hy, z2 = 4 * hz * hz;
        return new double[]{mass * (y2 + z2) / 12, mass * (x2 + z2) / 12, mass * (x2 + y2) / 12};
    }

    public static double sphereVolume(double r) {
        return 4.0 / 3.0 * Math.PI * r * r * r;
    }

    public static double[] sphere(double mass, double r) {
        double i = 0.4 * mass * r * r;
        return new double[]{i, i, i};
    }

    public static double cylinderVolume(double r, double halfLength) {
        return Math.PI * r * r * 2 * halfLength;
    }

    public static double[] cylinder(double mass, double r, double halfLength) {
        double h = 2 * halfLength;
        double t = mass * (3 * r * r + h * h) / 12;
        return new double[]{t, t, 0.5 * mass * r * r};
    }

    public static double capsuleVolume(double r, double halfLength) {
        return cylinderVolume(r, halfLength) + sphereVolume(r);
    }

    /** Capsule = cylinder of length 2*halfLength plus two hemispheres, uniform density. */
    public static double[] capsule(double mass, double r, double halfLength) {
        double vc = cylinderVolume(r, halfLength);
        double vs = sphereVolume(r);
        double density = mass / (vc + vs);
        double mc = density * vc;
        double ms = density * vs; // both hemispheres together
        double h = 2 * halfLength;
        double axial = 0.5 * mc * r * r + 0.4 * ms * r * r;
        // hemisphere: own transverse inertia about its centroid (83/320 m r^2), centroid 3r/8 from the flat face
        double mh = ms / 2;
        double hemiCentroid = halfLength + 3.0 * r / 8.0;
        double hemiTransverse = 83.0 / 320.0 * mh * r * r + mh * hemiCentroid * hemiCentroid;
        double transverse = mc * (3 * r * r + h * h) / 12 + 2 * hemiTransverse;
        return new double[]{transverse, transverse, axial};
    }
}
