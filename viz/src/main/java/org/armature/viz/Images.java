package org.armature.viz;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import javax.imageio.ImageIO;

/** PNG output through javax.imageio, written to a temporary sibling and renamed into place. */
public final class Images {

    private static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong();

    private Images() {
    }

    /**
     * A fresh path next to {@code target} for writing before the rename. Unlike {@code Files.createTempFile} it
     * creates nothing, so the final file gets the usual permissions (umask) instead of owner-only ones.
     */
    static Path tempSibling(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        while (true) {
            Path p = parent.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + COUNTER.incrementAndGet() + ".tmp");
            if (!Files.exists(p)) {
                return p;
            }
        }
    }

    public static void writePng(BufferedImage image, Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = tempSibling(out);
        try {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer for image type " + image.getType());
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
