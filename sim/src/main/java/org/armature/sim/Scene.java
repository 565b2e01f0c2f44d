package org.armature.sim;

import java.util.List;

/**
 * What an environment looks like at one instant: a flat list of primitive shapes with world poses and colours,
 * plus cameras and the body a tracking camera should follow. Scenes are immutable snapshots, so a renderer on
 * another thread can draw them without touching the physics world that produced them.
 *
 * <p>Coordinates: right-handed, z up, metres.
 *
 * @param shapes       primitives in world coordinates (compound bodies contribute one entry per child)
 * @param cameras      fixed cameras the task suggests (may be empty; viewers add an orbit camera)
 * @param trackedShape index into {@code shapes} that a tracking camera follows, or -1
 * @param groundPlane  whether a ground plane (z = 0) should be drawn
 */
public record Scene(List<Shape> shapes, List<Camera> cameras, int trackedShape, boolean groundPlane) {

    public static final Scene EMPTY = new Scene(List.of(), List.of(), -1, false);

    public Scene {
        shapes = List.copyOf(shapes);
        cameras = List.copyOf(cameras);
    }

    /** Primitive kinds a renderer must support. */
    public enum Kind { BOX, SPHERE, CAPSULE, CYLINDER }

    /**
     * One primitive.
     *
     * @param name     the body (or marker) it belongs to
     * @param kind     primitive kind
     * @param size     BOX: half extents (x, y, z); SPHERE: (radius, 0, 0); CAPSULE and CYLINDER: (radius, half
     *                 length of the straight part along the local z axis, 0)
     * @param position world position of the shape's centre (x, y, z)
     * @param rotation world orientation as a unit quaternion (x, y, z, w)
     * @param rgba     colour, components in [0, 1]; alpha below 1 draws translucent
     * @param marker   true for goals and targets that are not physical bodies
     */
    public record Shape(String name, Kind kind, float[] size, float[] position, float[] rotation, float[] rgba,
                        boolean marker) {
    }

    /** A camera looking from {@code eye} at {@code target}, with vertical field of view in degrees. */
    public record Camera(String name, float[] eye, float[] target, float fovDegrees) {
    }
}
