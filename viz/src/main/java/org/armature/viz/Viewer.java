package org.armature.viz;

import static org.lwjgl.glfw.GLFW.*;

import java.awt.image.BufferedImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.armature.sim.Scene;

/**
 * The live viewer: plays a {@link Playback} in a window (or headless, for tests and CI) at real-time speed times a
 * speed factor, and draws every frame from the playback's scene snapshot with a HUD.
 *
 * <p>Keys: space pause/resume, right arrow single step (pauses), R reset, + / - playback speed (x2 / x0.5,
 * 1/16..16), C next camera, Esc quit. Mouse: left drag orbits the orbit and tracking cameras, the wheel zooms.
 *
 * <p>The playback is stepped on the viewer's thread (the thread that built it), never concurrently with drawing.
 * When an episode ends the last frame is held for {@link #END_HOLD_SECONDS} and the next episode starts.
 */
public final class Viewer implements AutoCloseable {

    /** Seconds the final state of an episode stays on screen before the next episode starts. */
    public static final double END_HOLD_SECONDS = 1.0;
    /** Frame period of the headless clock (the window clock is the wall clock). */
    public static final double HEADLESS_FRAME_SECONDS = 1.0 / 60;
    /** At most this many control steps per drawn frame (prevents a spiral when stepping is slower than real time). */
    private static final int MAX_STEPS_PER_FRAME = 64;
    private static final double MIN_SPEED = 1.0 / 16;
    private static final double MAX_SPEED = 16;

    private final Playback playback;
    private final GlContext context;
    private final SceneRenderer renderer;
    private final Hud hud;
    private final CameraRig cameras;
    private final ArrayDeque<Integer> pendingKeys = new ArrayDeque<>();
    private Framebuffer framebuffer;
    private boolean paused;
    private double speed = 1.0;
    private double accumulatorSeconds;
    private double endHoldSeconds;
    private boolean dragging;
    private double lastCursorX;
    private double lastCursorY;
    private double pendingDragX;
    private double pendingDragY;
    private double pendingScroll;

    /**
     * Opens a window (or a headless context) and prepares to play.
     *
     * @param mode   {@link GlContext.Mode#auto()} for the window when a display exists
     * @param camera initial camera name, or null for the default
     */
    public Viewer(Playback playback, GlContext.Mode mode, int width, int height, String camera) {
        this.playback = playback;
        this.context = GlContext.create(mode, width, height, playback.title());
        try {
            this.renderer = new SceneRenderer();
            this.hud = new Hud();
            this.cameras = new CameraRig(playback.scene()).select(camera);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        installCallbacks();
    }

    private void installCallbacks() {
        long w = context.window();
        glfwSetKeyCallback(w, (window, key, scancode, action, mods) -> {
            if (action == GLFW_PRESS || action == GLFW_REPEAT) {
                pendingKeys.add(key);
            }
        });
        glfwSetMouseButtonCallback(w, (window, button, action, mods) -> {
            if (button == GLFW_MOUSE_BUTTON_LEFT) {
                dragging = action == GLFW_PRESS;
                double[] x = new double[1];
                double[] y = new double[1];
                glfwGetCursorPos(window, x, y);
                lastCursorX = x[0];
                lastCursorY = y[0];
            }
        });
        glfwSetCursorPosCallback(w, (window, x, y) -> {
            if (dragging) {
                pendingDragX += x - lastCursorX;
                pendingDragY += y - lastCursorY;
            }
            lastCursorX = x;
            lastCursorY = y;
        });
        glfwSetScrollCallback(w, (window, dx, dy) -> pendingScroll += dy);
    }

    /** Queues a key press as if typed (GLFW key codes); handled at the start of the next frame. */
    public void keyPressed(int glfwKey) {
        pendingKeys.add(glfwKey);
    }

    /**
     * Runs the loop until the window closes, Esc is pressed, or {@code maxFrames} frames were drawn (0: no limit).
     *
     * @return frames drawn
     */
    public int run(int maxFrames) {
        long last = System.nanoTime();
        int drawn = 0;
        while (!context.shouldClose() && (maxFrames <= 0 || drawn < maxFrames)) {
            double frameSeconds;
            if (context.mode() == GlContext.Mode.HEADLESS) {
                frameSeconds = HEADLESS_FRAME_SECONDS;
            } else {
                long now = System.nanoTime();
                frameSeconds = Math.min(0.1, (now - last) / 1e9);
                last = now;
            }
            handleInput();
            advance(frameSeconds);
            drawFrame();
            drawn++;
            context.swapAndPoll();
        }
        return drawn;
    }

    private void handleInput() {
        while (!pendingKeys.isEmpty()) {
            int key = pendingKeys.poll();
            switch (key) {
                case GLFW_KEY_SPACE -> paused = !paused;
                case GLFW_KEY_RIGHT -> {
                    paused = true;
                    if (playback.episodeOver()) {
                        restart();
                    } else {
                        playback.step();
                    }
                }
                case GLFW_KEY_R -> restart();
                case GLFW_KEY_EQUAL, GLFW_KEY_KP_ADD -> speed = Math.min(MAX_SPEED, speed * 2);
                case GLFW_KEY_MINUS, GLFW_KEY_KP_SUBTRACT -> speed = Math.max(MIN_SPEED, speed / 2);
                case GLFW_KEY_C -> cameras.next();
                case GLFW_KEY_ESCAPE -> context.requestClose();
                default -> {
                }
            }
        }
        if (pendingDragX != 0 || pendingDragY != 0) {
            cameras.current().drag(pendingDragX, pendingDragY);
            pendingDragX = 0;
            pendingDragY = 0;
        }
        if (pendingScroll != 0) {
            cameras.current().zoom(pendingScroll);
            pendingScroll = 0;
        }
    }

    private void restart() {
        playback.reset();
        accumulatorSeconds = 0;
        endHoldSeconds = 0;
    }

    private void advance(double frameSeconds) {
        if (paused) {
            return;
        }
        if (playback.episodeOver()) {
            endHoldSeconds += frameSeconds;
            if (endHoldSeconds >= END_HOLD_SECONDS) {
                restart();
            }
            return;
        }
        double dt = playback.controlDtSeconds();
        accumulatorSeconds += frameSeconds * speed;
        int steps = 0;
        while (accumulatorSeconds >= dt - 1e-9 && steps < MAX_STEPS_PER_FRAME && !playback.episodeOver()) {
            playback.step();
            accumulatorSeconds -= dt;
            steps++;
        }
        if (steps == MAX_STEPS_PER_FRAME || playback.episodeOver()) {
            accumulatorSeconds = 0;
        }
    }

    private void drawFrame() {
        int[] size = context.framebufferSize(); // follows window resizes; the requested size when headless
        int w = Math.max(1, size[0]);
        int h = Math.max(1, size[1]);
        if (framebuffer == null || framebuffer.width() != w || framebuffer.height() != h) {
            if (framebuffer != null) {
                framebuffer.close();
            }
            framebuffer = new Framebuffer(w, h, OffscreenRenderer.DEFAULT_SAMPLES);
        }
        Scene scene = playback.scene();
        renderer.render(scene, cameras.current().pose(scene), framebuffer);
        hud.draw(hudLines(), w, h);
        if (context.mode() == GlContext.Mode.WINDOW) {
            framebuffer.blitToScreen(w, h);
        }
    }

    List<String> hudLines() {
        List<String> lines = new ArrayList<>(playback.hudLines());
        lines.add(String.format(Locale.ROOT, "speed %sx  camera %s%s", formatSpeed(speed), cameras.current().name(),
                paused ? "  PAUSED" : ""));
        lines.add("space pause  right step  R reset  +/- speed  C camera  Esc quit  drag/wheel orbit/zoom");
        return lines;
    }

    private static String formatSpeed(double s) {
        return s >= 1 ? String.format(Locale.ROOT, "%.0f", s) : "1/" + Math.round(1 / s);
    }

    public boolean paused() {
        return paused;
    }

    public double speed() {
        return speed;
    }

    public String cameraName() {
        return cameras.current().name();
    }

    public GlContext context() {
        return context;
    }

    /** The last drawn frame, read back (top row first). */
    public BufferedImage lastFrame() {
        return framebuffer == null ? null : framebuffer.readImage(null);
    }

    @Override
    public void close() {
        if (framebuffer != null) {
            framebuffer.close();
        }
        hud.close();
        renderer.close();
        long w = context.window();
        org.lwjgl.glfw.Callbacks.glfwFreeCallbacks(w);
        context.close();
    }
}
