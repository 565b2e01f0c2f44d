package org.armature.viz;

/**
 * How episodes are rendered to images.
 *
 * @param width   image width in pixels
 * @param height  image height in pixels
 * @param fps     target frame rate of the recording; every k-th control step is kept, k = round(1 / (fps * dt))
 * @param camera  camera name ("orbit", "track", or one of the task's fixed cameras); null for the default (the
 *                task's first fixed camera, else the orbit camera)
 * @param hud     overlay step / reward / return / success / action text
 * @param samples MSAA samples (0 = none)
 */
public record RenderOptions(int width, int height, double fps, String camera, boolean hud, int samples) {

    /** Largest side the offscreen renderer accepts (the usual GL_MAX_RENDERBUFFER_SIZE). */
    public static final int MAX_SIDE_PIXELS = 16384;
    /**
     * Largest image, in pixels: 8192x8192. Mesa's llvmpipe cannot allocate a 4x-multisampled target beyond it
     * (16384x16384 fails, 16384x4096 works) and each frame's readback needs 4 bytes per pixel on and off heap.
     */
    public static final long MAX_PIXELS = 8192L * 8192L;

    public RenderOptions {
        requireSupportedSize(width, height);
        if (!(fps > 0 && fps <= 100)) {
            throw new IllegalArgumentException("fps must be in (0, 100], got " + fps);
        }
    }

    /** 640x480, 30 fps, default camera, no HUD, 4x MSAA. */
    public static RenderOptions defaults() {
        return new RenderOptions(640, 480, 30, null, false, OffscreenRenderer.DEFAULT_SAMPLES);
    }

    public RenderOptions withSize(int w, int h) {
        return new RenderOptions(w, h, fps, camera, hud, samples);
    }

    public RenderOptions withHud(boolean on) {
        return new RenderOptions(width, height, fps, camera, on, samples);
    }

    /** Parses "WIDTHxHEIGHT", e.g. "640x480". */
    public static int[] parseSize(String size) {
        String[] parts = size.trim().toLowerCase().split("x");
        try {
            if (parts.length == 2) {
                int w = Integer.parseInt(parts[0]);
                int h = Integer.parseInt(parts[1]);
                if (w > 0 && h > 0) {
                    requireSupportedSize(w, h);
                    return new int[]{w, h};
                }
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("bad size '" + size + "': expected WIDTHxHEIGHT with positive sides, "
                + "e.g. 640x480");
    }

    /** Rejects sizes beyond what the offscreen renderer supports, naming the limit. */
    public static void requireSupportedSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (width > MAX_SIDE_PIXELS || height > MAX_SIDE_PIXELS || (long) width * height > MAX_PIXELS) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "image size %dx%d is beyond "
                    + "what the renderer supports: at most %d pixels per side and %d pixels in all (8192x8192)",
                    width, height, MAX_SIDE_PIXELS, MAX_PIXELS));
        }
    }
}
