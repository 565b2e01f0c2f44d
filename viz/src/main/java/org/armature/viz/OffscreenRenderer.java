package org.armature.viz;

import java.awt.image.BufferedImage;

import org.armature.sim.Scene;

/**
 * Headless rendering in one object: a {@link GlContext} on GLFW's null platform with EGL, a {@link SceneRenderer}
 * and an offscreen {@link Framebuffer} of a fixed size. Use it on one thread and close it.
 *
 * <pre>{@code
 * try (OffscreenRenderer r = OffscreenRenderer.open(640, 480)) {
 *     BufferedImage frame = r.render(scene, new CameraRig(scene).current().pose(scene));
 * }
 * }</pre>
 */
public final class OffscreenRenderer implements AutoCloseable {

    /** MSAA samples used for images and animations (smooth edges); tests of exact pixels may use 0. */
    public static final int DEFAULT_SAMPLES = 4;

    private final GlContext context;
    private final SceneRenderer renderer;
    private final Framebuffer framebuffer;
    private final boolean ownsContext;
    private Hud hud;

    private OffscreenRenderer(GlContext context, boolean ownsContext, int width, int height, int samples) {
        this.context = context;
        this.ownsContext = ownsContext;
        SceneRenderer r = null;
        Framebuffer f = null;
        try {
            r = new SceneRenderer();
            f = new Framebuffer(width, height, samples);
        } catch (RuntimeException e) {
            if (r != null) {
                r.close();
            }
            if (ownsContext) {
                context.close();
            }
            throw e;
        }
        this.renderer = r;
        this.framebuffer = f;
    }

    /** Opens a headless context and an offscreen target of {@code width x height} with 4x MSAA. */
    public static OffscreenRenderer open(int width, int height) {
        return open(width, height, DEFAULT_SAMPLES);
    }

    public static OffscreenRenderer open(int width, int height, int samples) {
        RenderOptions.requireSupportedSize(width, height);
        return new OffscreenRenderer(GlContext.headless(), true, width, height, samples);
    }

    public int width() {
        return framebuffer.width();
    }

    public int height() {
        return framebuffer.height();
    }

    public GlContext context() {
        return context;
    }

    /** Renders into the offscreen target and reads it back as a new image (top row first). */
    public BufferedImage render(Scene scene, CameraPose camera) {
        return render(scene, camera, null, null);
    }

    /**
     * Renders, optionally overlays HUD text lines, and reads the image into {@code reuse} (allocated when null).
     */
    public BufferedImage render(Scene scene, CameraPose camera, java.util.List<String> hudLines, BufferedImage reuse) {
        draw(scene, camera, hudLines);
        return framebuffer.readImage(reuse);
    }

    /** Renders without reading back (for timing the GPU side alone, or before {@link #framebuffer()} reads). */
    public void draw(Scene scene, CameraPose camera, java.util.List<String> hudLines) {
        renderer.render(scene, camera, framebuffer);
        if (hudLines != null && !hudLines.isEmpty()) {
            if (hud == null) {
                hud = new Hud();
            }
            hud.draw(hudLines, framebuffer.width(), framebuffer.height());
        }
    }

    public Framebuffer framebuffer() {
        return framebuffer;
    }

    @Override
    public void close() {
        if (hud != null) {
            hud.close();
        }
        framebuffer.close();
        renderer.close();
        if (ownsContext) {
            context.close();
        }
    }
}
