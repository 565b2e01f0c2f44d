package org.armature.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {

    @Test
    void membersWithTheClusterCertificateJoinAndAMemberWithoutOneCannot(@TempDir Path tmp) throws Exception {
        List<Path> cluster = ClusterKeys.generate(tmp.resolve("keys"), 1);
        List<Path> foreign = ClusterKeys.generate(tmp.resolve("other"), 1);
        String pw = ClusterKeys.passwordFor(cluster.get(0));
        String foreignPw = ClusterKeys.passwordFor(foreign.get(0));
        // the intruder even trusts the cluster's CA: only mutual TLS (the members checking its certificate) stops it
        ClusterKeys.trust(foreign.get(0), foreignPw, tmp.resolve("keys/ca.crt"), "cluster-ca-copy");
        assertTrue(Files.isRegularFile(tmp.resolve("keys/ca.p12")));

        MemberConfig a = MemberConfig.defaults().withClusterName("tls-test").withBind("127.0.0.1", 47641, 47642)
                .withWorkers(1).withTls(cluster.get(0), pw).withTimeouts(5_000, 10_000);
        try (Ignite first = Members.start(a)) {
            MemberConfig b = a.withBind("127.0.0.1", 47643, 47644).withJoin(List.of("127.0.0.1:47641"))
                    .withTls(cluster.get(0), pw); // members may share one keystore
            try (Ignite second = Members.start(b)) {
                assertEquals(2, first.cluster().forServers().nodes().size());
            }
            MemberConfig intruder = a.withBind("127.0.0.1", 47645, 47646).withJoin(List.of("127.0.0.1:47641"))
                    .withTls(foreign.get(0), foreignPw).withTimeouts(2_000, 10_000);
            long t0 = System.nanoTime();
            ClusterException e = assertThrows(ClusterException.class, () -> Members.start(intruder));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(e.getMessage().contains("could not join"), e.getMessage());
            assertTrue(seconds < 30, "the refusal is bounded in time, took " + seconds + " s");
            assertEquals(1, first.cluster().forServers().nodes().size(), "the intruder is not a member");
        }
    }
}
