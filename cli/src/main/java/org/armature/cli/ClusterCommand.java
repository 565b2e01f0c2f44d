package org.armature.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.apache.ignite.Ignite;
import org.armature.cluster.ClusterKeys;
import org.armature.cluster.MemberConfig;
import org.armature.cluster.MemberStatus;
import org.armature.cluster.Members;
import org.armature.cluster.StatusJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code armature cluster}: Ignite members that run sweeps and collection shards (cluster/README.md). */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Start a cluster member, show a cluster's members, or make its TLS keys (cluster/README.md).",
        subcommands = {ClusterCommand.Member.class, ClusterCommand.Status.class, ClusterCommand.Keys.class})
public final class ClusterCommand extends CommandGroup {

    @Command(name = "member", mixinStandardHelpOptions = true,
            description = {"Start a cluster member and serve until stopped (Ctrl-C or SIGTERM).",
                    "  armature cluster member --port 47500                          # the first member",
                    "  armature cluster member --port 47501 --communication-port 47101 --join 127.0.0.1:47500",
                    "Listens on --bind (127.0.0.1) at the discovery and communication ports only; a non-loopback "
                            + "--bind needs --tls KEYSTORE (or --insecure)."})
    static final class Member implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Option(names = "--port", defaultValue = "47500", description = "discovery port (default: ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--communication-port", defaultValue = "47100",
                description = "communication port (default: ${DEFAULT-VALUE})")
        int communicationPort;

        @Option(names = "--workers", paramLabel = "N",
                description = "runs executed at once (default: the number of cores)")
        Integer workers;

        @Override
        public Integer call() throws Exception {
            MemberConfig c = cluster.config().withBind(cluster.bind, port, communicationPort)
                    .withWorkers(workers != null ? workers : Runtime.getRuntime().availableProcessors());
            Ignite ignite = Members.start(c);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                ignite.close();
                stopped.countDown();
            }, "armature-member-stop"));
            System.out.printf(Locale.ROOT, "member %s:%d of cluster '%s' (%s, %d workers, build %s%s): %d member(s)%n",
                    c.bindAddress(), c.discoveryPort(), c.clusterName(), c.tls() ? "mutual TLS" : "plain TCP",
                    c.workers(), c.build(), c.openblasCoreType().isEmpty() ? ""
                            : ", OPENBLAS_CORETYPE=" + c.openblasCoreType(),
                    ignite.cluster().forServers().nodes().size());
            System.out.flush();
            stopped.await();
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"List a cluster's members, their cores and the jobs they run.",
                    "  armature cluster status --join 127.0.0.1:47500"})
    static final class Status implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() throws Exception {
            try (Ignite ignite = Members.start(cluster.clientConfig())) {
                List<MemberStatus> members = StatusJob.of(ignite);
                System.out.printf("%-24s %6s %8s  %s%n", "member", "cores", "workers", "running");
                int running = 0;
                for (MemberStatus m : members) {
                    System.out.printf(Locale.ROOT, "%-24s %6d %8d  %s%n", m.member, m.cores, m.workers,
                            m.running.isEmpty() ? "-" : String.join(", ", m.running));
                    running += m.running.size();
                }
                System.out.printf("%d member(s), %d core(s), %d running job(s)%n", members.size(),
                        members.stream().mapToInt(m -> m.cores).sum(), running);
            }
            return 0;
        }
    }

    @Command(name = "keys", mixinStandardHelpOptions = true,
            description = {"Make the cluster's TLS keys with the JDK's keytool: a CA (ca.p12, keep it off the "
                    + "members), member keystores (member-N.p12) and their password (password).",
                    "  armature cluster keys --out cluster-keys --members 3"})
    static final class Keys implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "new folder for the keys")
        Path out;

        @Option(names = "--members", defaultValue = "1", paramLabel = "N",
                description = "member keystores to make (default: ${DEFAULT-VALUE}; members may share one)")
        int members;

        @Override
        public Integer call() throws Exception {
            List<Path> stores = ClusterKeys.generate(out, members);
            System.out.println("wrote " + out.resolve("ca.p12") + " (the CA: keep it off the members), "
                    + out.resolve(ClusterKeys.PASSWORD_FILE) + " and");
            for (Path s : stores) {
                System.out.println("  " + s);
            }
            System.out.println("start members with --tls " + stores.get(0) + " (the password file beside it)");
            return 0;
        }
    }
}
