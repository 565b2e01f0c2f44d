package org.armature.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** A folder as bytes (a zip) and back: how run directories travel between members and the submitter. */
final class DirectoryArchive {

    private DirectoryArchive() {
    }

    /** The files under {@code dir} (relative paths, sorted), zipped; files vanishing meanwhile are skipped. */
    static byte[] pack(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            for (Path f : files) {
                String name = dir.relativize(f).toString().replace('\\', '/');
                if (java.util.Arrays.stream(name.split("/")).anyMatch(s -> s.startsWith(".") && s.contains(".tmp"))) {
                    continue; // a file being written (atomic writes rename it when complete)
                }
                byte[] content;
                try {
                    content = Files.readAllBytes(f);
                } catch (NoSuchFileException renamedMeanwhile) {
                    continue;
                }
                zip.putNextEntry(new ZipEntry(name));
                zip.write(content);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /**
     * Unpacks {@code archive} into {@code target}, which must not exist: into a temporary sibling first, renamed when
     * complete, so a half-unpacked folder is never left under its final name.
     */
    static void unpack(byte[] archive, Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
        try {
            try (InputStream in = new ByteArrayInputStream(archive); ZipInputStream zip = new ZipInputStream(in)) {
                for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    Path f = tmp.resolve(e.getName()).normalize();
                    if (!f.startsWith(tmp) || e.isDirectory()) {
                        continue; // never outside the target
                    }
                    Files.createDirectories(f.getParent());
                    Files.copy(zip, f);
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(tmp)) {
                org.armature.nn.ParamIO.deleteRecursively(tmp);
            }
        }
    }
}
