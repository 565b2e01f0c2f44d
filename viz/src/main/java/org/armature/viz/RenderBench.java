package org.armature.viz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.armature.sim.Scene;
import org.lwjgl.opengl.GL11C;
import org.lwjgl.system.MemoryUtil;

/**
 * Headless rendering timings: per-frame wall time of drawing a scene into the offscreen framebuffer (with
 * {@code glFinish}, so the GPU work is included), of drawing plus reading the pixels back as RGBA bytes, and of
 * drawing plus converting to a {@link java.awt.image.BufferedImage}.
 */
public final class RenderBench {

    /** Timing of one configuration, in milliseconds per frame. */
    public record Result(String scene, int width, int height, int samples, String stage, int frames,
                         double meanMillis, double p50Millis, double p90Millis) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-22s %dx%d msaa=%d %-18s mean %.3f ms  p50 %.3f  p90 %.3f  (%d frames)",
                    scene, width, height, samples, stage, meanMillis, p50Millis, p90Millis, frames);
        }
    }

    private RenderBench() {
    }

    /** A scene of {@code n} boxes, spheres, capsules and cylinders on a ground plane, plus two translucent markers. */
    public static Scene syntheticScene(int n) {
        List<Scene.Shape> shapes = new ArrayList<>();
        Scene.Kind[] kinds = Scene.Kind.values();
        for (int i = 0; i < n; i++) {
            Scene.Kind k = kinds[i % kinds.length];
            float x = (i % 8) * 0.4f - 1.4f;
            float y = (i / 8) * 0.4f - 1.0f;
            float[] size = k == Scene.Kind.BOX ? new float[]{0.1f, 0.1f, 0.1f}
                    : k == Scene.Kind.SPHERE ? new float[]{0.1f, 0, 0} : new float[]{0.06f, 0.1f, 0};
            float a = 0.3f * i;
            shapes.add(new Scene.Shape("s" + i, k, size, new float[]{x, y, 0.3f},
                    new float[]{0, (float) Math.sin(a / 2), 0, (float) Math.cos(a / 2)},
                    new float[]{(i * 37 % 100) / 100f, (i * 61 % 100) / 100f, (i * 83 % 100) / 100f, 1f}, false));
        }
        shapes.add(new Scene.Shape("goal", Scene.Kind.SPHERE, new float[]{0.15f, 0, 0}, new float[]{0.5f, 0.5f, 0.2f},
                new float[]{0, 0, 0, 1}, new float[]{0, 1, 0, 0.4f}, true));
        shapes.add(new Scene.Shape("zone", Scene.Kind.BOX, new float[]{0.3f, 0.3f, 0.01f}, new float[]{-0.5f, 0.5f, 0.01f},
                new float[]{0, 0, 0, 1}, new float[]{1, 0, 0, 0.3f}, true));
        return new Scene(shapes, List.of(), 0, true);
    }

    /** Times the three stages for {@code scene}; {@code frames} timed frames after {@code warmup} untimed ones. */
    public static List<Result> run(String name, Scene scene, int width, int height, int samples, int warmup,
                                   int frames) {
        List<Result> results = new ArrayList<>();
        try (OffscreenRenderer r = OffscreenRenderer.open(width, height, samples)) {
            CameraPose camera = new CameraRig(scene).current().pose(scene);
            ByteBuffer rgba = MemoryUtil.memAlloc(width * height * 4);
            java.awt.image.BufferedImage img = null;
            try {
                for (String stage : new String[]{"draw+finish", "draw+readPixels", "draw+BufferedImage"}) {
                    double[] t = new double[frames];
                    for (int i = -warmup; i < frames; i++) {
                        long t0 = System.nanoTime();
                        r.draw(scene, camera, null);
                        switch (stage) {
                            case "draw+finish" -> GL11C.glFinish();
                            case "draw+readPixels" -> {
                                rgba.clear();
                                r.framebuffer().readRgba(rgba);
                            }
                            default -> img = r.framebuffer().readImage(img);
                        }
                        if (i >= 0) {
                            t[i] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                    double[] sorted = t.clone();
                    Arrays.sort(sorted);
                    results.add(new Result(name, width, height, r.framebuffer().samples(), stage, frames,
                            Arrays.stream(t).average().orElse(Double.NaN), sorted[frames / 2],
                            sorted[(int) (frames * 0.9)]));
                }
            } finally {
                MemoryUtil.memFree(rgba);
            }
        }
        return results;
    }
}
