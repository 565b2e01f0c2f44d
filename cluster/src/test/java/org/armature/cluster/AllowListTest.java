package org.armature.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteCallable;
import org.junit.jupiter.api.Test;

/**
 * A member in another process runs Armature's allow-listed job classes and refuses a job of any other class, although
 * it has that class on its class path ({@link JobAllowList}). Ignite's own marshaller filter does not stop it: its
 * binary format reads job classes without that filter (this test failed before the member had its own gate).
 */
class AllowListTest {

    /** A job class that is not on the allow-list. */
    static final class NotAllowedJob implements IgniteCallable<Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call() {
            return 42;
        }
    }

    /** The member process: {@code Member PORT COMMUNICATION_PORT CLUSTER}; it serves until killed. */
    public static final class Member {
        public static void main(String[] args) throws Exception {
            Members.start(MemberConfig.defaults().withClusterName(args[2])
                    .withBind("127.0.0.1", Integer.parseInt(args[0]), Integer.parseInt(args[1])).withWorkers(1));
            System.out.println("started");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void anotherProcessRunsAllowListedJobsAndRefusesOtherClasses() throws Exception {
        String cluster = "allow-test-" + ProcessHandle.current().pid();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        cmd.addAll(Members.jvmOptions());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Member.class.getName(), "47661", "47662",
                cluster));
        Process member = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(
                    member.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            String line = out.readLine();
            assertEquals("started", line, "the member process did not start");
            MemberConfig me = MemberConfig.defaults().withClusterName(cluster).withBind("127.0.0.1", 47663, 47664)
                    .withJoin(List.of("127.0.0.1:47661")).asClient();
            try (Ignite client = Members.start(me)) {
                assertEquals(1, StatusJob.of(client).size(), "an allow-listed job runs on the member");
                Exception e = assertThrows(Exception.class,
                        () -> client.compute(client.cluster().forServers()).call(new NotAllowedJob()));
                StringBuilder chain = new StringBuilder();
                for (Throwable t = e; t != null; t = t.getCause()) {
                    chain.append(t).append(" / ");
                }
                assertTrue(chain.toString().contains("Job was cancelled before execution"), chain.toString());
                assertEquals(1, client.cluster().forServers().nodes().size(), "the member refused it and lives on");
            }
        } finally {
            member.destroyForcibly();
            member.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
