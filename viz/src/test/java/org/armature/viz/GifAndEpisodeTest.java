package org.armature.viz;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.stream.Stream;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;

import org.armature.agents.Policy;
import org.armature.envs.tasks.PendulumEnv;
import org.armature.envs.wrappers.TimeLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GifAndEpisodeTest {

    /** Constant torque: a deterministic policy that makes the pendulum move. */
    static Policy constantTorque(float torque) {
        return new Policy() {
            @Override
            public float[] act(float[] observation) {
                return new float[]{torque};
            }

            @Override
            public int observationDim() {
                return 3;
            }

            @Override
            public int actionDim() {
                return 1;
            }
        };
    }

    @Test
    void episodeGifIsAReadableLoopingAnimationWithOneFramePerStepPlusTheFirst(@TempDir Path dir) throws Exception {
        Path gif = dir.resolve("ep.gif");
        Path frames = dir.resolve("frames");
        RenderOptions options = RenderOptions.defaults().withSize(160, 120);
        EpisodeRenderer.Recording rec;
        try (EpisodeRenderer r = new EpisodeRenderer(options)) {
            rec = r.record(new TimeLimit(new PendulumEnv(), 30), constantTorque(2f), "const", 3L, gif, frames);
        }
        // Pendulum dt = 0.05 s -> at 30 fps every step is kept: 30 steps + the reset state
        assertEquals(30, rec.steps());
        assertEquals(31, rec.frames());
        try (Stream<Path> s = Files.list(frames)) {
            assertEquals(31, s.filter(p -> p.toString().endsWith(".png")).count());
        }
        BufferedImage png = ImageIO.read(frames.resolve("frame_00030.png").toFile());
        assertEquals(160, png.getWidth());
        assertEquals(120, png.getHeight());

        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("gif");
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            assertEquals(31, reader.getNumImages(true));
            BufferedImage f0 = reader.read(0);
            assertEquals(160, f0.getWidth());
            assertEquals(120, f0.getHeight());
            // later frames store only the changed rectangle at an offset; composite them like a viewer does
            BufferedImage canvas = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = canvas.createGraphics();
            for (int i = 0; i < 31; i++) {
                IIOMetadataNode r = (IIOMetadataNode) reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode d = (IIOMetadataNode) r.getElementsByTagName("ImageDescriptor").item(0);
                g.drawImage(reader.read(i), Integer.parseInt(d.getAttribute("imageLeftPosition")),
                        Integer.parseInt(d.getAttribute("imageTopPosition")), null);
            }
            g.dispose();
            // the composite matches the last PNG frame up to 256-colour quantisation
            double err = 0;
            for (int y = 0; y < 120; y++) {
                for (int x = 0; x < 160; x++) {
                    int a = canvas.getRGB(x, y);
                    int b = png.getRGB(x, y);
                    for (int sh = 0; sh <= 16; sh += 8) {
                        err += Math.abs(((a >> sh) & 0xFF) - ((b >> sh) & 0xFF));
                    }
                }
            }
            double meanErr = err / (160 * 120 * 3);
            assertTrue(meanErr < 6, "composited GIF differs from the last frame by " + meanErr + " per channel");
            assertFalse(java.util.Arrays.equals(TestScenes.pixels(f0), TestScenes.pixels(canvas)),
                    "the pendulum moved, so the first and last frames must differ");
            IIOMetadata m0 = reader.getImageMetadata(0);
            IIOMetadataNode root = (IIOMetadataNode) m0.getAsTree("javax_imageio_gif_image_1.0");
            IIOMetadataNode gce = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
            assertEquals("5", gce.getAttribute("delayTime"), "0.05 s per step = 5 centiseconds");
            IIOMetadataNode app = (IIOMetadataNode) root.getElementsByTagName("ApplicationExtension").item(0);
            assertNotNull(app, "first frame must carry the NETSCAPE2.0 looping extension");
            assertEquals("NETSCAPE", app.getAttribute("applicationID"));
        } finally {
            reader.dispose();
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary files left behind");
        }
    }

    @Test
    void strideKeepsTheFrameRateNearTheTarget() {
        // 1/240 s physics x 4 frame skip = 60 Hz control; 30 fps -> every 2nd step, 0.033 s -> 3 cs
        int[] sd = GifWriter.strideAndDelay(4.0 / 240, 30);
        assertEquals(2, sd[0]);
        assertEquals(3, sd[1]);
        assertEquals(1, GifWriter.strideAndDelay(0.05, 30)[0]);
    }

    @Test
    void badSizeIsOneClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RenderOptions.parseSize("640*480"));
        assertTrue(e.getMessage().contains("WIDTHxHEIGHT"), e.getMessage());
        assertArrayEquals(new int[]{640, 480}, RenderOptions.parseSize("640x480"));
    }
}
