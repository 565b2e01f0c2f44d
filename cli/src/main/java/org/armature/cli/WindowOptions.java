package org.armature.cli;

import org.armature.viz.GlContext;
import org.armature.viz.RenderOptions;

import picocli.CommandLine.Option;

/** Viewer-window options shared by {@code view} and {@code replay} (a picocli mixin). */
final class WindowOptions {

    @Option(names = "--size", defaultValue = "1024x768", paramLabel = "WxH", description = "window size (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--camera", paramLabel = "NAME", description = "initial camera: a task camera name, 'orbit' or 'track'")
    String camera;

    @Option(names = "--max-frames", defaultValue = "0", paramLabel = "N",
            description = "stop after N frames (0: run until closed); required without a display")
    int maxFrames;

    @Option(names = "--headless", description = "use the headless EGL context even when a display exists")
    boolean headless;

    /** Headless when asked for or when there is no display. */
    GlContext.Mode mode() {
        return headless ? GlContext.Mode.HEADLESS : GlContext.Mode.auto();
    }

    /** Width and height in pixels. */
    int[] sizePixels() {
        return RenderOptions.parseSize(size);
    }
}
