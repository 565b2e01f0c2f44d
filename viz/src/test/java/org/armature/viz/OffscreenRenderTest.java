package org.armature.viz;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

import org.armature.sim.Scene;
import org.joml.Matrix4f;
import org.joml.Vector4f;
import org.junit.jupiter.api.Test;

/** Headless EGL rendering of known scenes, checked pixel by pixel. Fails (never skips) without EGL. */
class OffscreenRenderTest {

    private static final int W = 320;
    private static final int H = 240;

    @Test
    void redBoxAtOriginShowsRedExactlyWhereItProjects() {
        Scene scene = TestScenes.redBoxAtOrigin();
        CameraPose camera = TestScenes.frontCamera();
        BufferedImage img;
        try (OffscreenRenderer r = OffscreenRenderer.open(W, H, 0)) {
            img = r.render(scene, camera);
        }
        TestScenes.save(img, "red-box.png");
        // project the 8 corners of the box with the renderer's own camera maths -> screen bounding rectangle
        Matrix4f vp = camera.viewProjection((float) W / H, new Matrix4f());
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            Vector4f p = new Vector4f((i & 1) == 0 ? -0.2f : 0.2f, (i & 2) == 0 ? -0.2f : 0.2f,
                    (i & 4) == 0 ? 0f : 0.4f, 1f);
            vp.transform(p);
            double sx = (p.x / p.w * 0.5 + 0.5) * W;
            double sy = (1 - (p.y / p.w * 0.5 + 0.5)) * H;
            minX = Math.min(minX, sx);
            maxX = Math.max(maxX, sx);
            minY = Math.min(minY, sy);
            maxY = Math.max(maxY, sy);
        }
        int red = 0;
        int redOutside = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                if (TestScenes.isRed(img.getRGB(x, y))) {
                    red++;
                    if (x + 0.5 < minX - 1 || x + 0.5 > maxX + 1 || y + 0.5 < minY - 1 || y + 0.5 > maxY + 1) {
                        redOutside++;
                    }
                }
            }
        }
        double boxArea = (maxX - minX) * (maxY - minY);
        assertEquals(0, redOutside, "red pixels outside the box's projected rectangle");
        assertTrue(red > 0.5 * boxArea, "expected the box to cover most of its projected rectangle ("
                + boxArea + " px), got " + red + " red pixels");
        int cx = (int) ((minX + maxX) / 2);
        int cy = (int) ((minY + maxY) / 2);
        assertTrue(TestScenes.isRed(img.getRGB(cx, cy)), "centre of the projected box is not red");
        // the box is centred: its projection straddles the image's vertical centre line
        assertTrue(minX < W / 2.0 && maxX > W / 2.0);

        // ground: the bottom row is ground (grey, not sky), the top row is sky
        int sky = TestScenes.rgb(SceneRenderer.SKY_RGB);
        for (int x = 0; x < W; x += 7) {
            assertTrue(TestScenes.close(sky, img.getRGB(x, 0), 2), "top row should be sky at x=" + x);
            int g = img.getRGB(x, H - 1);
            int r8 = (g >> 16) & 0xFF;
            int g8 = (g >> 8) & 0xFF;
            int b8 = g & 0xFF;
            assertFalse(TestScenes.close(sky, g, 10), "bottom row should be ground at x=" + x);
            assertTrue(Math.abs(r8 - b8) < 40 && Math.abs(r8 - g8) < 40 && r8 > 40 && r8 < 200,
                    "ground should be grey at x=" + x + ", got " + Integer.toHexString(g));
        }
    }

    @Test
    void twoRendersOfTheSameStateAreIdenticalAndADifferentStateDiffers() {
        Scene a = TestScenes.redBoxAtOrigin();
        Scene moved = new Scene(List.of(new Scene.Shape("box", Scene.Kind.BOX, new float[]{0.2f, 0.2f, 0.2f},
                new float[]{0.5f, 0, 0.2f}, TestScenes.IDENTITY, new float[]{1, 0, 0, 1}, false)), List.of(), -1, true);
        CameraPose camera = TestScenes.frontCamera();
        int[] first;
        int[] second;
        int[] third;
        try (OffscreenRenderer r = OffscreenRenderer.open(W, H)) {
            first = TestScenes.pixels(r.render(a, camera));
            third = TestScenes.pixels(r.render(moved, camera));
            second = TestScenes.pixels(r.render(a, camera));
        }
        assertArrayEquals(first, second, "same scene, same camera must give the same pixels");
        assertFalse(Arrays.equals(first, third), "moving the box must change the image");
    }

    @Test
    void everyPrimitiveKindAndTranslucentMarkersDraw() {
        float[] q = TestScenes.IDENTITY;
        Scene scene = new Scene(List.of(
                new Scene.Shape("sphere", Scene.Kind.SPHERE, new float[]{0.2f, 0, 0}, new float[]{-0.9f, 0, 0.2f}, q,
                        new float[]{0, 0, 1, 1}, false),
                new Scene.Shape("capsule", Scene.Kind.CAPSULE, new float[]{0.1f, 0.2f, 0}, new float[]{-0.3f, 0, 0.4f}, q,
                        new float[]{0, 1, 0, 1}, false),
                new Scene.Shape("cylinder", Scene.Kind.CYLINDER, new float[]{0.15f, 0.2f, 0}, new float[]{0.3f, 0, 0.3f}, q,
                        new float[]{1, 1, 0, 1}, false),
                new Scene.Shape("goal", Scene.Kind.SPHERE, new float[]{0.2f, 0, 0}, new float[]{0.9f, 0, 0.2f}, q,
                        new float[]{1, 0, 0, 0.4f}, true)),
                List.of(new Scene.Camera("front", new float[]{0, -3f, 1f}, new float[]{0, 0, 0.3f}, 45f)), -1, true);
        BufferedImage img;
        try (OffscreenRenderer r = OffscreenRenderer.open(W, H, 0)) {
            img = r.render(scene, new CameraRig(scene).current().pose(scene));
        }
        TestScenes.save(img, "primitives.png");
        int blue = 0, green = 0, yellow = 0, pinkish = 0;
        for (int rgb : TestScenes.pixels(img)) {
            int r8 = (rgb >> 16) & 0xFF, g8 = (rgb >> 8) & 0xFF, b8 = rgb & 0xFF;
            if (b8 > 100 && r8 < 40 && g8 < 40) blue++;
            if (g8 > 100 && r8 < 40 && b8 < 40) green++;
            if (r8 > 100 && g8 > 100 && b8 < 40) yellow++;
            // translucent red over grey/sky: red channel clearly above green and blue, but not pure red
            if (r8 > g8 + 40 && r8 > b8 + 40 && g8 > 40) pinkish++;
        }
        assertTrue(blue > 200, "sphere missing: " + blue);
        assertTrue(green > 200, "capsule missing: " + green);
        assertTrue(yellow > 200, "cylinder missing: " + yellow);
        assertTrue(pinkish > 200, "translucent marker missing: " + pinkish);
    }
}
