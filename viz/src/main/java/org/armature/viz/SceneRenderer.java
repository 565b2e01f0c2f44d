package org.armature.viz;

import static org.lwjgl.opengl.GL33C.*;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

import org.armature.sim.Scene;
import org.joml.Matrix3f;
import org.joml.Matrix4f;
import org.joml.Quaternionf;
import org.lwjgl.system.MemoryUtil;

/**
 * Draws a {@link Scene} with OpenGL 3.3 core: boxes, spheres, capsules and cylinders with per-shape colours,
 * one directional light plus ambient (Blinn-Phong), a ground plane at z = 0 with a 1 m grid that fades into the
 * sky, and translucent markers drawn after the opaque shapes, back to front, without writing depth.
 *
 * <p>It only reads the immutable scene snapshot, never an env or a physics world. Needs a current
 * {@link GlContext}; all calls on the context's thread.
 */
public final class SceneRenderer implements AutoCloseable {

    /** Background (sky) colour, linear RGB. */
    public static final float[] SKY_RGB = {0.70f, 0.78f, 0.86f};
    /** Half size of the drawn ground plane in metres. */
    private static final float GROUND_HALF_METRES = 60f;
    /** Direction towards the light (normalised in the shader): from the upper front left. */
    private static final float[] LIGHT_DIR = {-0.4f, -0.6f, 1.0f};

    private static final String VERTEX = """
            #version 330 core
            layout(location = 0) in vec3 aPosition;
            layout(location = 1) in vec3 aNormal;
            uniform mat4 uModel;
            uniform mat4 uViewProjection;
            uniform mat3 uNormalMatrix;
            out vec3 vWorld;
            out vec3 vNormal;
            void main() {
                vec4 world = uModel * vec4(aPosition, 1.0);
                vWorld = world.xyz;
                vNormal = uNormalMatrix * aNormal;
                gl_Position = uViewProjection * world;
            }
            """;

    private static final String FRAGMENT = """
            #version 330 core
            in vec3 vWorld;
            in vec3 vNormal;
            uniform vec4 uColour;
            uniform vec3 uLightDir;
            uniform vec3 uEye;
            uniform vec3 uSky;
            uniform int uGround;
            out vec4 fragColour;
            void main() {
                vec3 l = normalize(uLightDir);
                if (uGround == 1) {
                    // flat +z plane: constant diffuse, no specular; 1 m checker in two greys, darker lines every
                    // metre, fading into the sky with distance (cheap: this covers half the frame)
                    vec2 cell = floor(vWorld.xy);
                    float checker = mod(cell.x + cell.y, 2.0);
                    vec3 base = mix(vec3(0.50, 0.52, 0.55), vec3(0.58, 0.60, 0.63), checker);
                    vec2 f = abs(fract(vWorld.xy + 0.5) - 0.5);
                    base = mix(base, vec3(0.36, 0.38, 0.41), step(min(f.x, f.y), 0.012));
                    vec3 ground = base * (0.38 + 0.62 * max(l.z, 0.0));
                    float d = length(uEye.xy - vWorld.xy);
                    fragColour = vec4(mix(ground, uSky, smoothstep(15.0, 55.0, d)), 1.0);
                    return;
                }
                vec3 n = normalize(vNormal);
                vec3 v = normalize(uEye - vWorld);
                if (dot(n, v) < 0.0) n = -n; // two-sided lighting
                vec3 base = uColour.rgb;
                float diffuse = max(dot(n, l), 0.0);
                vec3 h = normalize(l + v);
                float spec = 0.25 * pow(max(dot(n, h), 0.0), 32.0);
                vec3 colour = base * (0.38 + 0.62 * diffuse) + vec3(spec);
                fragColour = vec4(colour, uColour.a);
            }
            """;

    private final ShaderProgram program;
    private final int uModel;
    private final int uViewProjection;
    private final int uNormalMatrix;
    private final int uColour;
    private final int uLightDir;
    private final int uEye;
    private final int uSky;
    private final int uGround;
    private final Mesh cube;
    private final Mesh sphere;
    private final Mesh cylinder;
    private final Mesh tube;
    private final Mesh quad;

    private final Matrix4f viewProjection = new Matrix4f();
    private final Matrix4f model = new Matrix4f();
    private final Matrix4f part = new Matrix4f();
    private final Matrix3f normalMatrix = new Matrix3f();
    private final Quaternionf rotation = new Quaternionf();
    private final FloatBuffer mat4 = MemoryUtil.memAllocFloat(16);
    private final FloatBuffer mat3 = MemoryUtil.memAllocFloat(9);
    private final List<Scene.Shape> translucent = new ArrayList<>();
    private float[] eye;

    public SceneRenderer() {
        program = new ShaderProgram(VERTEX, FRAGMENT);
        uModel = program.uniform("uModel");
        uViewProjection = program.uniform("uViewProjection");
        uNormalMatrix = program.uniform("uNormalMatrix");
        uColour = program.uniform("uColour");
        uLightDir = program.uniform("uLightDir");
        uEye = program.uniform("uEye");
        uSky = program.uniform("uSky");
        uGround = program.uniform("uGround");
        cube = Mesh.cube();
        sphere = Mesh.sphere(20, 10);
        cylinder = Mesh.cylinder(20, true);
        tube = Mesh.cylinder(20, false); // capsule body: open tube, the end spheres close it
        quad = Mesh.quad();
    }

    /** Renders {@code scene} seen from {@code camera} into {@code target} (which stays bound for overlays). */
    public void render(Scene scene, CameraPose camera, Framebuffer target) {
        target.bindForDrawing();
        draw(scene, camera, target.width(), target.height());
    }

    /** Draws into the currently bound framebuffer with the current viewport of the given size. */
    void draw(Scene scene, CameraPose camera, int width, int height) {
        glClearColor(SKY_RGB[0], SKY_RGB[1], SKY_RGB[2], 1f);
        glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
        glEnable(GL_DEPTH_TEST);
        glDepthFunc(GL_LESS);
        // all meshes are closed with counter-clockwise outward faces: back faces never show, so skip them
        glEnable(GL_CULL_FACE);
        glCullFace(GL_BACK);
        glFrontFace(GL_CCW);
        glDisable(GL_BLEND);
        glDepthMask(true);

        program.use();
        camera.viewProjection((float) width / height, viewProjection);
        glUniformMatrix4fv(uViewProjection, false, viewProjection.get(mat4));
        glUniform3f(uLightDir, LIGHT_DIR[0], LIGHT_DIR[1], LIGHT_DIR[2]);
        eye = camera.eye();
        glUniform3f(uEye, eye[0], eye[1], eye[2]);
        glUniform3f(uSky, SKY_RGB[0], SKY_RGB[1], SKY_RGB[2]);

        if (scene.groundPlane()) {
            glUniform1i(uGround, 1);
            glUniform4f(uColour, 1, 1, 1, 1);
            // slightly below z = 0 is unnecessary: polygon offset pushes the ground back so shapes resting on it
            // do not z-fight with it
            glEnable(GL_POLYGON_OFFSET_FILL);
            glPolygonOffset(1f, 1f);
            model.translation(eye[0] - (eye[0] % 1f), eye[1] - (eye[1] % 1f), 0).scale(GROUND_HALF_METRES);
            setModel(model);
            quad.draw();
            glDisable(GL_POLYGON_OFFSET_FILL);
        }
        glUniform1i(uGround, 0);

        translucent.clear();
        for (Scene.Shape s : scene.shapes()) {
            if (s.rgba()[3] < 1f) {
                translucent.add(s);
            } else {
                drawShape(s);
            }
        }
        if (!translucent.isEmpty()) {
            translucent.sort((a, b) -> Float.compare(distance2(b.position()), distance2(a.position())));
            glEnable(GL_BLEND);
            glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
            glDepthMask(false);
            for (Scene.Shape s : translucent) {
                drawShape(s);
            }
            glDepthMask(true);
            glDisable(GL_BLEND);
        }
        glDisable(GL_CULL_FACE);
        glBindVertexArray(0);
    }

    private float distance2(float[] p) {
        float dx = p[0] - eye[0];
        float dy = p[1] - eye[1];
        float dz = p[2] - eye[2];
        return dx * dx + dy * dy + dz * dz;
    }

    private void drawShape(Scene.Shape s) {
        float[] c = s.rgba();
        glUniform4f(uColour, c[0], c[1], c[2], c[3]);
        float[] p = s.position();
        float[] q = s.rotation();
        rotation.set(q[0], q[1], q[2], q[3]).normalize();
        model.translation(p[0], p[1], p[2]).rotate(rotation);
        float[] z = s.size();
        switch (s.kind()) {
            case BOX -> {
                part.set(model).scale(z[0], z[1], z[2]);
                setModel(part);
                cube.draw();
            }
            case SPHERE -> {
                part.set(model).scale(z[0]);
                setModel(part);
                sphere.draw();
            }
            case CYLINDER -> {
                part.set(model).scale(z[0], z[0], z[1]);
                setModel(part);
                cylinder.draw();
            }
            case CAPSULE -> {
                part.set(model).scale(z[0], z[0], z[1]);
                setModel(part);
                tube.draw();
                part.set(model).translate(0, 0, z[1]).scale(z[0]);
                setModel(part);
                sphere.draw();
                part.set(model).translate(0, 0, -z[1]).scale(z[0]);
                setModel(part);
                sphere.draw();
            }
        }
    }

    private void setModel(Matrix4f m) {
        glUniformMatrix4fv(uModel, false, m.get(mat4));
        m.normal(normalMatrix);
        glUniformMatrix3fv(uNormalMatrix, false, normalMatrix.get(mat3));
    }

    @Override
    public void close() {
        cube.close();
        sphere.close();
        cylinder.close();
        tube.close();
        quad.close();
        program.close();
        MemoryUtil.memFree(mat4);
        MemoryUtil.memFree(mat3);
    }
}
