package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `armature cluster ...`: keys, and wrong input ending with one line and exit code 1. */
class ClusterCommandTest {

    private static void oneLineError(CoreCommandsTest.Result r, String expected) {
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(expected), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void keysAndWrongInput(@TempDir Path tmp) {
        CoreCommandsTest.Result r = CoreCommandsTest.run("cluster", "keys", "--out", tmp.resolve("keys").toString(),
                "--members", "1");
        assertEquals(0, r.code(), r.err());
        for (String f : new String[]{"ca.p12", "ca.crt", "member-1.p12", "password"}) {
            assertTrue(Files.isRegularFile(tmp.resolve("keys").resolve(f)), f);
        }
        oneLineError(CoreCommandsTest.run("cluster", "keys", "--out", tmp.resolve("keys").toString()),
                "never overwritten");
        oneLineError(CoreCommandsTest.run("cluster", "member", "--bind", "192.0.2.1", "--port", "47871",
                "--communication-port", "47872"), "refusing to bind 192.0.2.1 without TLS");
        oneLineError(CoreCommandsTest.run("cluster", "member", "--tls", tmp.resolve("none.p12").toString()),
                "no password file beside");
        oneLineError(CoreCommandsTest.run("cluster", "member", "--join", "localhost"), "is not HOST:PORT");
        oneLineError(CoreCommandsTest.run("cluster", "status", "--join", "127.0.0.1:47879", "--join-timeout-ms",
                "500"), "could not join the cluster at 127.0.0.1:47879");
        oneLineError(CoreCommandsTest.run("cluster", "status"), "give --join HOST:PORT");
    }
}
