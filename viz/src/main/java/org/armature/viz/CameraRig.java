package org.armature.viz;

import java.util.ArrayList;
import java.util.List;

import org.armature.sim.Scene;

/**
 * The cameras available for a scene, in the order the C key cycles through them: the task's fixed cameras, then
 * the orbit camera, then (when the scene tracks a body) the tracking camera.
 */
public final class CameraRig {

    private final List<Camera> cameras;
    private int current;

    public CameraRig(Scene scene) {
        cameras = new ArrayList<>();
        for (Scene.Camera c : scene.cameras()) {
            cameras.add(Camera.fixed(c));
        }
        cameras.add(OrbitCamera.framing(scene));
        OrbitCamera track = OrbitCamera.tracking(scene);
        if (track != null) {
            cameras.add(track);
        }
        current = 0;
    }

    /**
     * Picks the camera named {@code name} ("orbit", "track", or a fixed camera's name); null keeps the default
     * (the first fixed camera, else the orbit camera).
     *
     * @throws IllegalArgumentException naming the available cameras
     */
    public CameraRig select(String name) {
        if (name == null) {
            return this;
        }
        for (int i = 0; i < cameras.size(); i++) {
            if (cameras.get(i).name().equals(name)) {
                current = i;
                return this;
            }
        }
        throw new IllegalArgumentException("unknown camera '" + name + "'; this scene has " + names());
    }

    public List<String> names() {
        return cameras.stream().map(Camera::name).toList();
    }

    public Camera current() {
        return cameras.get(current);
    }

    /** Switches to the next camera and returns it. */
    public Camera next() {
        current = (current + 1) % cameras.size();
        return cameras.get(current);
    }
}
