package org.armature.viz;

import org.armature.sim.Scene;

/** Produces a camera pose for each frame of a scene. */
public interface Camera {

    String name();

    CameraPose pose(Scene scene);

    /** Mouse drag by (dx, dy) pixels; cameras that cannot move ignore it. */
    default void drag(double dxPixels, double dyPixels) {
    }

    /** Mouse wheel by {@code clicks} (positive: towards the screen, zoom in). */
    default void zoom(double clicks) {
    }

    /** A fixed camera suggested by the task. */
    static Camera fixed(Scene.Camera c) {
        CameraPose pose = new CameraPose(c.eye(), c.target(), c.fovDegrees());
        return new Camera() {
            @Override
            public String name() {
                return c.name();
            }

            @Override
            public CameraPose pose(Scene scene) {
                return pose;
            }
        };
    }
}
