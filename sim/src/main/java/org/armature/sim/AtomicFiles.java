package org.armature.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one way Armature writes a file: into a fresh temporary sibling, then an atomic rename over the target, so a
 * reader never sees a half-written file and a failed write leaves the old one (or none) in place.
 *
 * <p>The temporary file is created like any other file ({@code CREATE_NEW}, not {@code Files.createTempFile}), so
 * the result gets the usual permissions from the user's umask (0644 under the common 022), readable by the other
 * users a bundle or dataset is shared with; folders made on the way get 0755 likewise. A failure is an
 * {@link IOException} whose message is one line naming the target and the reason ("cannot write runs/x.png:
 * permission denied", "... : No space left on device"), also when a library wrapped the I/O error in its own
 * runtime exception. A target that exists but is not a regular file (a folder, a device such as /dev/null) is
 * refused rather than replaced.
 */
public final class AtomicFiles {

    /** Writes the content to {@code tmp}, a path that does not exist yet. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path tmp) throws IOException;
    }

    private static final AtomicLong COUNTER = new AtomicLong();

    private AtomicFiles() {
    }

    public static void write(Path file, byte[] data) throws IOException {
        write(file, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                out.write(data);
            }
        });
    }

    /** Writes {@code file} through {@code content} into a temporary sibling and renames it into place. */
    public static void write(Path file, Content content) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        Path tmp = null;
        try {
            if (Files.exists(abs) && !Files.isRegularFile(abs)) {
                throw new IOException("cannot write " + file + ": it exists and is not a regular file");
            }
            Path parent = abs.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            tmp = tempSibling(abs);
            content.writeTo(tmp);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw describe(file, tmp, e);
        } catch (RuntimeException e) {
            IOException io = ioCause(e);
            if (io == null) {
                throw e;
            }
            throw describe(file, tmp, io);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * A path next to {@code target} that does not exist yet (nothing is created): hidden, named after the target,
     * the process and a counter, ending in {@code .tmp}.
     */
    public static Path tempSibling(Path target) {
        Path abs = target.toAbsolutePath();
        Path parent = abs.getParent();
        while (true) {
            Path p = parent.resolve("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + COUNTER.incrementAndGet() + ".tmp");
            if (!Files.exists(p)) {
                return p;
            }
        }
    }

    /** The first {@link IOException} in the cause chain of {@code t} (itself included), or null. */
    public static IOException ioCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException io) {
                return io;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    private static IOException describe(Path file, Path tmp, IOException e) {
        String m = e.getMessage();
        if (m != null && m.startsWith("cannot write ")) {
            return e;
        }
        if (e instanceof AccessDeniedException a && tmp != null && tmp.toString().equals(a.getFile())) {
            // the temporary sibling could not be created: say which folder, not the hidden temporary name
            return new IOException("cannot write " + file + ": permission denied (folder " + tmp.getParent()
                    + " is not writable)", e);
        }
        return new IOException("cannot write " + file + ": " + reason(e), e);
    }

    /** A short human reason for an I/O failure (the JDK's messages are often just a path). */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied" + (a.getFile() != null ? " (" + a.getFile() + ")" : "");
        }
        if (e instanceof NoSuchFileException n) {
            return "no such file or folder " + n.getFile();
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a folder";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + (f.getFile() != null ? " (" + f.getFile() + ")" : "");
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
