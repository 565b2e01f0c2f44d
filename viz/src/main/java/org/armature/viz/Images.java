package org.armature.viz;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.armature.sim.AtomicFiles;

/** PNG output through javax.imageio, written to a temporary sibling and renamed into place ({@link AtomicFiles}). */
public final class Images {

    private Images() {
    }

    /**
     * Writes {@code image} as a PNG. A folder that cannot be written is one clear {@link IOException} ("cannot write
     * out.png: permission denied ..."), not ImageIO's printed stack trace and "Can't create an ImageOutputStream!".
     */
    public static void writePng(BufferedImage image, Path out) throws IOException {
        AtomicFiles.write(out, tmp -> {
            Files.createFile(tmp); // fails with the real reason; ImageIO would print a trace and say nothing useful
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer for image type " + image.getType());
            }
        });
    }
}
