package org.armature.viz;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

import org.armature.sim.AtomicFiles;

/**
 * Animated GIF through the JDK's own ImageIO GIF writer: each frame carries a Graphic Control Extension with the
 * frame delay, the first one the NETSCAPE2.0 application extension that makes viewers loop forever. Colour
 * frames are quantised to 256 colours by the JDK writer. The file is written to a temporary sibling and renamed
 * into place on {@link #close()}, so a failed run never leaves a half-written GIF.
 */
public final class GifWriter implements AutoCloseable {

    private static final String FORMAT = "javax_imageio_gif_image_1.0";

    private final Path out;
    private final Path tmp;
    private final int delayCentiseconds;
    private final boolean loop;
    private final ImageWriter writer;
    private final ImageOutputStream stream;
    private int frames;
    private boolean finished;
    private int[] previous;
    private int width;
    private int height;

    /**
     * @param delayCentiseconds time each frame is shown, in 1/100 s (GIF's unit; browsers treat values below 2 as
     *                          10, so callers should keep it at 2 or more)
     * @param loop              loop forever (true) or play once
     */
    public GifWriter(Path out, int delayCentiseconds, boolean loop) throws IOException {
        if (delayCentiseconds < 1 || delayCentiseconds > 65535) {
            throw new IllegalArgumentException("GIF frame delay must be 1..65535 centiseconds, got " + delayCentiseconds);
        }
        this.out = out;
        this.delayCentiseconds = delayCentiseconds;
        this.loop = loop;
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        this.tmp = Files.createFile(AtomicFiles.tempSibling(out)); // an unwritable folder fails here, with its reason
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("gif");
        if (!it.hasNext()) {
            throw new IllegalStateException("this JDK has no ImageIO GIF writer");
        }
        writer = it.next();
        stream = ImageIO.createImageOutputStream(tmp.toFile());
        writer.setOutput(stream);
        writer.prepareWriteSequence(null);
    }

    /** Picks a frame stride and delay for an episode with the given control period, aiming at {@code fps}. */
    public static int[] strideAndDelay(double controlDtSeconds, double fps) {
        int stride = Math.max(1, (int) Math.round(1.0 / (fps * controlDtSeconds)));
        int delay = (int) Math.max(2, Math.round(stride * controlDtSeconds * 100));
        return new int[]{stride, delay};
    }

    /**
     * Appends a frame. All frames must have the first frame's size. Only the rectangle that changed since the
     * previous frame is stored (drawn over the previous frame, which is kept: disposal "doNotDispose"), which makes
     * animations of a mostly static scene several times smaller and faster to encode.
     */
    public void addFrame(BufferedImage image) throws IOException {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] pixels = image.getRGB(0, 0, w, h, null, 0, w);
        int x0 = 0;
        int y0 = 0;
        BufferedImage part = image;
        if (previous != null) {
            if (w != width || h != height) {
                throw new IllegalArgumentException("GIF frame " + frames + " is " + w + "x" + h + " but the animation is "
                        + width + "x" + height);
            }
            int minX = w;
            int minY = h;
            int maxX = -1;
            int maxY = -1;
            for (int y = 0; y < h; y++) {
                int row = y * w;
                for (int x = 0; x < w; x++) {
                    if (pixels[row + x] != previous[row + x]) {
                        if (x < minX) {
                            minX = x;
                        }
                        if (x > maxX) {
                            maxX = x;
                        }
                        if (y < minY) {
                            minY = y;
                        }
                        maxY = y;
                    }
                }
            }
            if (maxX < 0) { // identical frame: repeat one unchanged pixel
                minX = 0;
                minY = 0;
                maxX = 0;
                maxY = 0;
            }
            x0 = minX;
            y0 = minY;
            int pw = maxX - minX + 1;
            int ph = maxY - minY + 1;
            if (pw != w || ph != h) {
                part = new BufferedImage(pw, ph, BufferedImage.TYPE_INT_RGB);
                part.setRGB(0, 0, pw, ph, pixels, minY * w + minX, w);
            }
        } else {
            width = w;
            height = h;
        }
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(part), null);
        configure(metadata, frames == 0, x0, y0);
        writer.writeToSequence(new IIOImage(part, null, metadata), null);
        previous = pixels;
        frames++;
    }

    private void configure(IIOMetadata metadata, boolean first, int left, int top) throws IIOInvalidTreeException {
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);
        IIOMetadataNode descriptor = child(root, "ImageDescriptor");
        descriptor.setAttribute("imageLeftPosition", Integer.toString(left));
        descriptor.setAttribute("imageTopPosition", Integer.toString(top));
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "doNotDispose");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(delayCentiseconds));
        gce.setAttribute("transparentColorIndex", "0");
        if (first && loop) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[]{0x1, 0, 0}); // sub-block 1, loop count 0 = forever
            apps.appendChild(app);
        }
        metadata.setFromTree(FORMAT, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    public int frames() {
        return frames;
    }

    /** Finishes the file and moves it into place (a GIF needs at least one frame). */
    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            if (frames == 0) {
                throw new IllegalStateException("GIF " + out + " has no frames");
            }
            writer.endWriteSequence();
            stream.close();
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            writer.dispose();
            try {
                stream.close();
            } catch (IOException ignored) {
                // already closed
            }
            Files.deleteIfExists(tmp);
        }
    }

    /** Abandons the file: nothing is left on disk. */
    public void abort() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        writer.dispose();
        stream.close();
        Files.deleteIfExists(tmp);
    }
}
