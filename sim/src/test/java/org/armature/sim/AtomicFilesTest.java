package org.armature.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void writtenFilesGetTheUsualPermissionsNotOwnerOnly(@TempDir Path dir) throws Exception {
        Path reference = Files.createFile(dir.resolve("reference")); // what the umask gives any new file
        Path f = dir.resolve("sub/deeper/bundle.json");
        AtomicFiles.write(f, "{}".getBytes());
        assertEquals("{}", Files.readString(f));
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(f));
        assertTrue(Files.getPosixFilePermissions(f).contains(PosixFilePermission.OWNER_READ));
        if (Files.getPosixFilePermissions(reference).contains(PosixFilePermission.OTHERS_READ)) {
            assertTrue(Files.getPosixFilePermissions(f.getParent()).contains(PosixFilePermission.OTHERS_EXECUTE));
        }
    }

    @Test
    void aFullDiskIsOneLineNamingTheFileAndLeavesTheOldContentAndNoTempFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("data.h5");
        AtomicFiles.write(f, "old".getBytes());
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, tmp -> {
            Files.writeString(tmp, "half");
            throw new IOException("No space left on device");
        }));
        assertEquals("cannot write " + f + ": No space left on device", e.getMessage());
        // a library that wraps the I/O error in its own runtime exception (as jHDF does) reads the same
        IOException wrapped = assertThrows(IOException.class, () -> AtomicFiles.write(f, tmp -> {
            throw new IllegalStateException("Failed to write dataset", new IOException("No space left on device"));
        }));
        assertEquals(e.getMessage(), wrapped.getMessage());
        assertEquals("old", Files.readString(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void anUnwritableFolderNamesTheFolderNotTheTemporaryFile(@TempDir Path dir) throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        Path target = readOnly.resolve("curve.png");
        if (Files.isWritable(readOnly)) { // root ignores permissions; sysfs refuses new files even to root
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/kernel")));
            target = Path.of("/sys/kernel/armature-test.png");
        }
        Path t = target;
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(t, new byte[1]));
        assertEquals("cannot write " + t + ": permission denied (folder " + t.getParent() + " is not writable)",
                e.getMessage());
    }

    @Test
    void aTargetThatIsNotARegularFileIsRefused(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectory(dir.resolve("folder.png"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(folder, new byte[1]));
        assertTrue(e.getMessage().contains("is not a regular file"), e.getMessage());
        assertTrue(Files.isDirectory(folder));
        Path underAFile = Files.createFile(dir.resolve("plain")).resolve("x.png");
        e = assertThrows(IOException.class, () -> AtomicFiles.write(underAFile, new byte[1]));
        assertTrue(e.getMessage().startsWith("cannot write " + underAFile + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
