package org.armature.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Which build a process runs: a SHA-256 over its class path (for each jar the names, sizes and CRC-32s of its entries,
 * read from the jar's index without unpacking; for each class folder the files' contents). Two processes with the
 * same value run the same code; a member whose value differs from the submitter's is refused, since results are
 * equal across members only when the code is.
 */
public final class BuildIdentity {

    private static volatile String current;

    private BuildIdentity() {
    }

    /** This process's build identity (computed once), e.g. {@code sha256:3f2a...} (16 hex digits). */
    public static String current() {
        String c = current;
        if (c == null) {
            c = of(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
            current = c;
        }
        return c;
    }

    static String of(List<String> classPath) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String entry : classPath) {
                Path p = Path.of(entry);
                if (Files.isDirectory(p)) {
                    try (Stream<Path> files = Files.walk(p)) {
                        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                            md.update(p.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                            md.update(Files.readAllBytes(f));
                        }
                    }
                } else if (Files.isRegularFile(p)) {
                    md.update(p.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                    try (ZipFile zip = new ZipFile(p.toFile())) {
                        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                            ZipEntry z = e.nextElement();
                            String id = z.getName() + ":" + z.getSize() + ":" + z.getCrc();
                            md.update(id.getBytes(StandardCharsets.UTF_8));
                        }
                    } catch (java.util.zip.ZipException notAJar) {
                        md.update(Files.readAllBytes(p));
                    }
                }
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class path to identify this build: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
