package org.armature.viz;

import org.armature.sim.Scene;

/**
 * A camera on a sphere around a target point: drag rotates (azimuth, elevation), the wheel zooms. As a
 * <em>tracking</em> camera ({@link #tracking}) the target follows the scene's tracked shape every frame, the way
 * MuJoCo's viewer follows a walker's torso.
 */
public final class OrbitCamera implements Camera {

    /** Radians of rotation per pixel of mouse drag. */
    private static final double RADIANS_PER_PIXEL = 0.008;
    /** Distance factor per wheel click. */
    private static final double ZOOM_PER_CLICK = 0.9;
    private static final double MAX_ELEVATION = Math.toRadians(89);
    private static final double MIN_DISTANCE = 0.05;
    private static final double MAX_DISTANCE = 150;

    private final String name;
    private final boolean tracking;
    private final float[] target;
    private double azimuthRadians;
    private double elevationRadians;
    private double distanceMetres;
    private final float fovDegrees;

    public OrbitCamera(String name, float[] target, double azimuthRadians, double elevationRadians,
                       double distanceMetres, float fovDegrees, boolean tracking) {
        this.name = name;
        this.target = target.clone();
        this.azimuthRadians = azimuthRadians;
        this.elevationRadians = elevationRadians;
        this.distanceMetres = distanceMetres;
        this.fovDegrees = fovDegrees;
        this.tracking = tracking;
    }

    /** An orbit camera framing every non-marker shape of the scene from the front-left, slightly above. */
    public static OrbitCamera framing(Scene scene) {
        float[] lo = {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] hi = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (Scene.Shape s : scene.shapes()) {
            float r = boundingRadius(s);
            for (int i = 0; i < 3; i++) {
                lo[i] = Math.min(lo[i], s.position()[i] - r);
                hi[i] = Math.max(hi[i], s.position()[i] + r);
            }
        }
        float[] centre = {0, 0, 0.5f};
        double radius = 1.0;
        if (lo[0] <= hi[0]) {
            for (int i = 0; i < 3; i++) {
                centre[i] = (lo[i] + hi[i]) / 2;
            }
            double dx = hi[0] - lo[0];
            double dy = hi[1] - lo[1];
            double dz = hi[2] - lo[2];
            radius = Math.max(0.25, 0.5 * Math.sqrt(dx * dx + dy * dy + dz * dz));
        }
        float fov = 45f;
        double distance = radius / Math.sin(Math.toRadians(fov) / 2) * 1.1;
        return new OrbitCamera("orbit", centre, Math.toRadians(-60), Math.toRadians(20), distance, fov, false);
    }

    /** A camera following {@code scene.trackedShape()} from the side, or null when nothing is tracked. */
    public static OrbitCamera tracking(Scene scene) {
        int i = scene.trackedShape();
        if (i < 0 || i >= scene.shapes().size()) {
            return null;
        }
        return new OrbitCamera("track", scene.shapes().get(i).position(), Math.toRadians(-90), Math.toRadians(10),
                3.5, 45f, true);
    }

    static float boundingRadius(Scene.Shape s) {
        float[] z = s.size();
        return switch (s.kind()) {
            case BOX -> (float) Math.sqrt(z[0] * z[0] + z[1] * z[1] + z[2] * z[2]);
            case SPHERE -> z[0];
            case CAPSULE, CYLINDER -> z[0] + z[1];
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CameraPose pose(Scene scene) {
        if (tracking) {
            int i = scene.trackedShape();
            if (i >= 0 && i < scene.shapes().size()) {
                float[] p = scene.shapes().get(i).position();
                target[0] = p[0];
                target[1] = p[1];
                target[2] = p[2];
            }
        }
        double ce = Math.cos(elevationRadians);
        float[] eye = {
                (float) (target[0] + distanceMetres * ce * Math.cos(azimuthRadians)),
                (float) (target[1] + distanceMetres * ce * Math.sin(azimuthRadians)),
                (float) (target[2] + distanceMetres * Math.sin(elevationRadians))};
        return new CameraPose(eye, target, fovDegrees);
    }

    @Override
    public void drag(double dxPixels, double dyPixels) {
        azimuthRadians -= dxPixels * RADIANS_PER_PIXEL;
        elevationRadians = Math.max(-MAX_ELEVATION,
                Math.min(MAX_ELEVATION, elevationRadians + dyPixels * RADIANS_PER_PIXEL));
    }

    @Override
    public void zoom(double clicks) {
        distanceMetres = Math.max(MIN_DISTANCE, Math.min(MAX_DISTANCE, distanceMetres * Math.pow(ZOOM_PER_CLICK, clicks)));
    }
}
