package org.armature.viz;

import org.joml.Matrix4f;
import org.joml.Vector3f;

/**
 * Where a camera is for one frame: eye and target in world coordinates (z up, metres) and the vertical field of
 * view in degrees.
 */
public record CameraPose(float[] eye, float[] target, float fovDegrees) {

    /** Near and far clip distances in metres. */
    public static final float NEAR_METRES = 0.02f;
    public static final float FAR_METRES = 200f;

    public CameraPose {
        if (eye.length != 3 || target.length != 3) {
            throw new IllegalArgumentException("CameraPose: eye and target need 3 components");
        }
        eye = eye.clone();
        target = target.clone();
    }

    /** Writes projection * view into {@code out} for the given aspect ratio (width / height). */
    public Matrix4f viewProjection(float aspect, Matrix4f out) {
        out.setPerspective((float) Math.toRadians(fovDegrees), aspect, NEAR_METRES, FAR_METRES);
        Vector3f up = upVector();
        return out.lookAt(eye[0], eye[1], eye[2], target[0], target[1], target[2], up.x, up.y, up.z);
    }

    /** +z, unless the camera looks straight down or up (then +y). */
    private Vector3f upVector() {
        float dx = target[0] - eye[0];
        float dy = target[1] - eye[1];
        float dz = target[2] - eye[2];
        float horizontal = (float) Math.sqrt(dx * dx + dy * dy);
        return horizontal < 1e-4f * Math.max(1e-6f, Math.abs(dz)) ? new Vector3f(0, 1, 0) : new Vector3f(0, 0, 1);
    }
}
