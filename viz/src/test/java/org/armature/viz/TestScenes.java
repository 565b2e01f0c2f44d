package org.armature.viz;

import java.awt.image.BufferedImage;
import java.util.List;

import org.armature.sim.Scene;

/** Scenes and pixel helpers shared by the rendering tests. */
final class TestScenes {

    private TestScenes() {
    }

    static final float[] IDENTITY = {0, 0, 0, 1};

    /** A pure red box with half extents 0.2 at the origin resting half under the ground, ground plane on. */
    static Scene redBoxAtOrigin() {
        return new Scene(List.of(new Scene.Shape("box", Scene.Kind.BOX, new float[]{0.2f, 0.2f, 0.2f},
                new float[]{0, 0, 0.2f}, IDENTITY, new float[]{1, 0, 0, 1}, false)), List.of(), -1, true);
    }

    /** Camera 3 m in front and 1.5 m above, looking at (0, 0, 0.2). */
    static CameraPose frontCamera() {
        return new CameraPose(new float[]{0, -3f, 1.5f}, new float[]{0, 0, 0.2f}, 45f);
    }

    static boolean isRed(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return r > 120 && g < 60 && b < 60;
    }

    static int rgb(float[] c) {
        return (Math.round(c[0] * 255) << 16) | (Math.round(c[1] * 255) << 8) | Math.round(c[2] * 255);
    }

    /** True when every channel of the two colours differs by at most {@code tolerance}. */
    static boolean close(int a, int b, int tolerance) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF)) > tolerance) {
                return false;
            }
        }
        return true;
    }

    /** Keeps an image under target/test-images for a human to look at. */
    static void save(BufferedImage img, String name) {
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("target", "test-images");
            java.nio.file.Files.createDirectories(dir);
            javax.imageio.ImageIO.write(img, "png", dir.resolve(name).toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
