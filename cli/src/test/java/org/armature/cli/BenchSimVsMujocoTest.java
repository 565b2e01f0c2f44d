package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench sim --vs-mujoco}: the table from a (stand-in) mujoco-testspeed, and one-line errors. */
class BenchSimVsMujocoTest {

    @TempDir
    Path dir;

    @Test
    void printsTheTableWithMujocosEnvStepsPerSecond() throws Exception {
        Files.writeString(dir.resolve("half_cheetah.xml"), "<mujoco><option timestep=\"0.01\"/></mujoco>");
        // stand-in for mujoco-testspeed: prints its summary line with 50,000 physics steps per second
        Path fake = dir.resolve("fake-testspeed");
        Files.writeString(fake, "#!/bin/sh\n[ \"$2\" = 20000 ] || exit 3\necho \" Steps per second     : 50000\"\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        CoreCommandsTest.Result r = CoreCommandsTest.run("bench", "sim", "--vs-mujoco", dir.toString(),
                "--mujoco-testspeed", fake.toString(), "--env", "HalfCheetah-v2", "--seconds", "0.2", "--warmup", "0");
        assertEquals(0, r.code(), r.err());
        // 50,000 physics steps/s over Gymnasium's frame skip 5 = 10,000 env steps/s
        assertTrue(r.out().contains("| HalfCheetah-v2 | "), r.out());
        assertTrue(r.out().contains(" | 10,000 | "), r.out());
        assertTrue(r.out().contains("| 5 x 1/100 s | 5 x 0.0100 s | half_cheetah.xml |"), r.out());
        // the stand-in exits at once, so its CPU time is about zero: no per-CPU figure, never a division by zero
        assertTrue(!r.out().contains("Infinity") && !r.out().contains("NaN"), r.out());
    }

    @Test
    void missingModelFileIsOneLine() {
        CoreCommandsTest.Result r = CoreCommandsTest.run("bench", "sim", "--vs-mujoco", dir.toString(),
                "--env", "Ant-v1", "--seconds", "0.1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("ant.xml not found (expected Gymnasium's v5 model file for Ant-v1)"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void missingTestspeedIsOneLine() throws Exception {
        Files.writeString(dir.resolve("hopper.xml"), "<mujoco/>");
        CoreCommandsTest.Result r = CoreCommandsTest.run("bench", "sim", "--vs-mujoco", dir.toString(),
                "--mujoco-testspeed", dir.resolve("nope").toString(), "--env", "Hopper-v1", "--seconds", "0.1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("not found or not executable; install Debian's libmujoco-samples"), r.err());
    }

    @Test
    void taskWithoutMujocoCounterpartIsRejected() {
        CoreCommandsTest.Result r = CoreCommandsTest.run("bench", "sim", "--vs-mujoco", dir.toString(),
                "--env", "Reach-v1", "--seconds", "0.1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no MuJoCo counterpart known for Reach-v1"), r.err());
    }
}
