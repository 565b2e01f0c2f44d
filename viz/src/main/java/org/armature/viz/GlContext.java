package org.armature.viz;

import static org.lwjgl.glfw.GLFW.*;

import java.util.ArrayList;
import java.util.List;

import org.lwjgl.glfw.GLFWErrorCallback;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GL11C;
import org.lwjgl.system.MemoryUtil;

/**
 * An OpenGL 3.3 core context, either in a visible window (a display is present) or headless: GLFW's null platform
 * with an EGL context and no window system at all (rendering goes to an offscreen framebuffer; see
 * {@link SceneRenderer}). Headless needs the Debian packages {@code libegl1 libegl-mesa0 libgl1-mesa-dri} (Mesa's
 * llvmpipe software rasteriser when there is no GPU).
 *
 * <p>GLFW is process-global, so at most one context is open at a time; create, use and close it on one thread.
 */
public final class GlContext implements AutoCloseable {

    /** Where the context lives. */
    public enum Mode {
        /** A visible window; needs {@code DISPLAY} (X11) or {@code WAYLAND_DISPLAY}. */
        WINDOW,
        /** GLFW null platform + EGL, no window system. */
        HEADLESS;

        /** WINDOW when a display is available, otherwise HEADLESS. */
        public static Mode auto() {
            return displayAvailable() ? WINDOW : HEADLESS;
        }
    }

    /** Install hint repeated in every headless failure message. */
    public static final String HEADLESS_HINT = "headless rendering needs EGL and Mesa: on Debian/Ubuntu run "
            + "'apt-get install -y --no-install-recommends libegl1 libegl-mesa0 libgl1-mesa-dri' "
            + "(or .ci/install-viz-deps.sh)";

    /** No OpenGL context could be created (missing EGL/Mesa, no usable display); the message says what to do. */
    public static final class UnavailableException extends IllegalStateException {
        public UnavailableException(String message) {
            super(message);
        }
    }

    private static boolean open;

    private final Mode mode;
    private final long window;
    private final GLFWErrorCallback errorCallback;
    private final String renderer;
    private boolean closed;

    private GlContext(Mode mode, long window, GLFWErrorCallback errorCallback) {
        this.mode = mode;
        this.window = window;
        this.errorCallback = errorCallback;
        this.renderer = GL11C.glGetString(GL11C.GL_RENDERER);
    }

    public static boolean displayAvailable() {
        String d = System.getenv("DISPLAY");
        String w = System.getenv("WAYLAND_DISPLAY");
        return (d != null && !d.isBlank()) || (w != null && !w.isBlank());
    }

    /** A headless context (the window size does not matter: rendering goes to framebuffer objects). */
    public static GlContext headless() {
        return create(Mode.HEADLESS, 64, 64, "armature");
    }

    /**
     * Opens a context. In WINDOW mode the window is visible with the given client size and title; in HEADLESS
     * mode nothing is shown.
     *
     * @throws UnavailableException with an install hint when no context can be made
     */
    public static synchronized GlContext create(Mode mode, int width, int height, String title) {
        if (open) {
            throw new IllegalStateException("a GlContext is already open in this process (GLFW is global)");
        }
        List<String> errors = new ArrayList<>();
        GLFWErrorCallback cb = GLFWErrorCallback.create((code, description) ->
                errors.add(String.format("GLFW error 0x%X: %s", code, MemoryUtil.memUTF8(description))));
        GLFWErrorCallback previous = glfwSetErrorCallback(cb);
        if (previous != null) {
            previous.free();
        }
        glfwInitHint(GLFW_PLATFORM, mode == Mode.HEADLESS ? GLFW_PLATFORM_NULL : GLFW_ANY_PLATFORM);
        if (!glfwInit()) {
            fail(mode, "glfwInit failed", errors, cb);
        }
        glfwDefaultWindowHints();
        glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_API);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
        glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
        glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
        if (mode == Mode.HEADLESS) {
            glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
            glfwWindowHint(GLFW_CONTEXT_CREATION_API, GLFW_EGL_CONTEXT_API);
        } else {
            glfwWindowHint(GLFW_VISIBLE, GLFW_TRUE);
            glfwWindowHint(GLFW_RESIZABLE, GLFW_TRUE);
        }
        long w = glfwCreateWindow(width, height, title, MemoryUtil.NULL, MemoryUtil.NULL);
        if (w == MemoryUtil.NULL) {
            glfwTerminate();
            fail(mode, "could not create an OpenGL 3.3 core context", errors, cb);
        }
        glfwMakeContextCurrent(w);
        GL.createCapabilities();
        if (mode == Mode.WINDOW) {
            glfwSwapInterval(1);
        }
        open = true;
        return new GlContext(mode, w, cb);
    }

    private static void fail(Mode mode, String what, List<String> errors, GLFWErrorCallback cb) {
        glfwSetErrorCallback(null);
        cb.free();
        String detail = errors.isEmpty() ? "" : " (" + String.join("; ", errors) + ")";
        if (mode == Mode.HEADLESS) {
            throw new UnavailableException(what + " on GLFW's null platform with EGL" + detail + "; " + HEADLESS_HINT);
        }
        throw new UnavailableException(what + " in a window on display '" + System.getenv("DISPLAY") + "'"
                + detail + "; unset DISPLAY to render headless");
    }

    public Mode mode() {
        return mode;
    }

    /** The GLFW window handle (an invisible dummy window in HEADLESS mode). */
    public long window() {
        return window;
    }

    /** GL_RENDERER, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)". */
    public String renderer() {
        return renderer;
    }

    /** Client size of the window's framebuffer in pixels {width, height}. */
    public int[] framebufferSize() {
        int[] w = new int[1];
        int[] h = new int[1];
        glfwGetFramebufferSize(window, w, h);
        return new int[]{w[0], h[0]};
    }

    public boolean shouldClose() {
        return glfwWindowShouldClose(window);
    }

    public void requestClose() {
        glfwSetWindowShouldClose(window, true);
    }

    /** Presents the back buffer (WINDOW mode) and processes input events. */
    public void swapAndPoll() {
        if (mode == Mode.WINDOW) {
            glfwSwapBuffers(window);
        }
        glfwPollEvents();
    }

    @Override
    public void close() {
        synchronized (GlContext.class) {
            if (closed) {
                return;
            }
            closed = true;
            open = false;
        }
        GL.setCapabilities(null);
        glfwDestroyWindow(window);
        glfwTerminate();
        glfwSetErrorCallback(null);
        errorCallback.free();
    }
}
