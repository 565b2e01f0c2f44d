package org.armature.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.armature.cluster.ClusterKeys;
import org.armature.cluster.MemberConfig;
import picocli.CommandLine.Option;

/** How a command reaches or forms a cluster: the options {@code cluster member}, {@code cluster status}, {@code sweep}
 * and {@code collect} share. */
final class ClusterOptions {

    @Option(names = "--join", split = ",", paramLabel = "HOST:PORT",
            description = "discovery addresses of cluster members, comma-separated")
    List<String> join = new ArrayList<>();

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "the address this process listens on (default: ${DEFAULT-VALUE}; another needs --tls or "
                    + "--insecure)")
    String bind;

    @Option(names = "--tls", paramLabel = "KEYSTORE", description = "mutual TLS with this member keystore (from "
            + "`armature cluster keys`; its password from ARMATURE_TLS_PASSWORD or the password file beside it)")
    Path tls;

    @Option(names = "--insecure", description = "allow a non-loopback --bind without TLS (a network you trust)")
    boolean insecure;

    @Option(names = "--cluster-name", defaultValue = MemberConfig.DEFAULT_NAME, paramLabel = "NAME",
            description = "members join only members of the same name (default: ${DEFAULT-VALUE})")
    String clusterName;

    @Option(names = "--failure-detection-ms", defaultValue = "10000", paramLabel = "MILLIS",
            description = "a member silent this long is dropped and its jobs move on (default: ${DEFAULT-VALUE}, "
                    + "Ignite's)")
    long failureDetectionMillis;

    @Option(names = "--join-timeout-ms", defaultValue = "30000", paramLabel = "MILLIS",
            description = "give up joining after this long (default: ${DEFAULT-VALUE})")
    long joinTimeoutMillis;

    /** The member configuration these options describe (ports, workers and client mode set by the caller). */
    MemberConfig config() throws IOException {
        if (failureDetectionMillis < 100 || joinTimeoutMillis < 100) {
            throw new IllegalArgumentException("--failure-detection-ms and --join-timeout-ms must be >= 100");
        }
        MemberConfig c = MemberConfig.defaults().withClusterName(clusterName).withJoin(join)
                .withTimeouts(joinTimeoutMillis, failureDetectionMillis).withInsecure(insecure);
        if (tls != null) {
            String pw = System.getenv("ARMATURE_TLS_PASSWORD");
            c = c.withTls(tls, pw != null ? pw : ClusterKeys.passwordFor(tls));
        }
        return c;
    }

    /** A configuration to join as a client, listening on a free port of --bind. */
    MemberConfig clientConfig() throws IOException {
        if (join.isEmpty()) {
            throw new IllegalArgumentException("give --join HOST:PORT of a cluster member");
        }
        return config().asClient().withBind(bind, freePort(), freePort());
    }

    /**
     * With --join: a client of that cluster. Without: a member embedded in this process (the same code path), on free
     * loopback ports, under a cluster name of its own, running {@code workers} jobs at once.
     */
    MemberConfig clientOrEmbeddedConfig(int workers) throws IOException {
        return !join.isEmpty() ? clientConfig() : config().withClusterName(clusterName + "-embedded-"
                + ProcessHandle.current().pid()).withBind("127.0.0.1", freePort(), freePort()).withWorkers(workers);
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
