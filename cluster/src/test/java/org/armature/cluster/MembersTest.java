package org.armature.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Test;

class MembersTest {

    @Test
    void aMemberListensOnDiscoveryAndCommunicationOnlyAndOnLoopback() throws Exception {
        long pid = ProcessHandle.current().pid();
        Set<String> before = ListeningSockets.of(pid);
        MemberConfig c = MemberConfig.defaults().withClusterName("sockets-test").withBind("127.0.0.1", 47611, 47612)
                .withWorkers(1);
        try (Ignite a = Members.start(c)) {
            Set<String> opened = new TreeSet<>(ListeningSockets.of(pid));
            opened.removeAll(before);
            assertEquals(Set.of("127.0.0.1:47611", "127.0.0.1:47612"), opened,
                    "a member opens discovery and communication, nothing else");
            List<MemberStatus> status = StatusJob.of(a);
            assertEquals(1, status.size());
            assertEquals(Runtime.getRuntime().availableProcessors(), status.get(0).cores);
        }
    }

    @Test
    void withoutTlsANonLoopbackBindIsRefusedUnlessInsecure() {
        MemberConfig c = MemberConfig.defaults().withBind("0.0.0.0", 47621, 47622);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Members.start(c));
        assertTrue(e.getMessage().contains("without TLS") && e.getMessage().contains("--insecure"), e.getMessage());
    }

    @Test
    void aMemberOfAnotherBuildOrBlasCoreTypeIsRefused() {
        MemberConfig a = MemberConfig.defaults().withClusterName("build-test").withBind("127.0.0.1", 47631, 47632)
                .withWorkers(1);
        try (Ignite first = Members.start(a)) {
            MemberConfig b = a.withBind("127.0.0.1", 47633, 47634).withJoin(List.of("127.0.0.1:47631"))
                    .withIdentity("sha256:0000000000000000", a.openblasCoreType());
            ClusterException e = assertThrows(ClusterException.class, () -> Members.start(b));
            assertTrue(e.getMessage().contains("runs build"), e.getMessage());
            MemberConfig c = b.withIdentity(a.build(), a.openblasCoreType() + "-other");
            e = assertThrows(ClusterException.class, () -> Members.start(c));
            assertTrue(e.getMessage().contains("OPENBLAS_CORETYPE"), e.getMessage());
            assertEquals(1, first.cluster().forServers().nodes().size());
        }
    }
}
