package org.armature.cluster;

import java.nio.file.Path;
import java.util.List;

/**
 * How one Ignite member (or a client that only submits work) is started. Every door not listed here is closed by
 * {@link Members}: no multicast, no REST or thin-client connector, no peer class loading.
 *
 * @param clusterName            members join only members with the same name (Ignite's instance name prefix and a
 *                               node attribute checked at join)
 * @param bindAddress            the one address discovery and communication listen on (loopback by default)
 * @param discoveryPort          TCP discovery port (Ignite's default 47500)
 * @param communicationPort      TCP communication port (Ignite's default 47100)
 * @param join                   discovery addresses {@code host:port} of members to join; empty = this member's own
 * @param workers                jobs run at once on this member (Ignite's public pool)
 * @param keystore               PKCS#12 keystore (key + the cluster CA) for mutual TLS, or null for plain TCP
 * @param keystorePassword       its password (null without TLS)
 * @param insecure               allow a non-loopback bind address without TLS
 * @param client                 join as a client: submit work, run none, hold no data
 * @param joinTimeoutMillis      give up joining after this long (Ignite's default retries forever)
 * @param failureDetectionMillis a member silent this long is dropped and its jobs fail over (Ignite's default 10 s)
 * @param offHeapMegabytes       off-heap memory for the checkpoint store on this member
 * @param build                  the build this member runs ({@link BuildIdentity}); members with another are refused
 * @param openblasCoreType       OPENBLAS_CORETYPE of this member ("" when unset); members with another are refused
 */
public record MemberConfig(String clusterName, String bindAddress, int discoveryPort, int communicationPort,
                           List<String> join, int workers, Path keystore, String keystorePassword, boolean insecure,
                           boolean client, long joinTimeoutMillis, long failureDetectionMillis, int offHeapMegabytes,
                           String build, String openblasCoreType) {

    public static final String DEFAULT_NAME = "armature";
    public static final int DEFAULT_DISCOVERY_PORT = 47500; // Ignite's default
    public static final int DEFAULT_COMMUNICATION_PORT = 47100; // Ignite's default

    public MemberConfig {
        join = List.copyOf(join);
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be >= 1, got " + workers);
        }
        for (int p : new int[]{discoveryPort, communicationPort}) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port " + p + " is not in 1..65535");
            }
        }
        if (discoveryPort == communicationPort) {
            throw new IllegalArgumentException("the discovery and communication ports must differ, both are "
                    + discoveryPort);
        }
        for (String a : join) {
            hostPort(a);
        }
    }

    /** A member on 127.0.0.1 with Ignite's ports, using every local core, without TLS. */
    public static MemberConfig defaults() {
        return new MemberConfig(DEFAULT_NAME, "127.0.0.1", DEFAULT_DISCOVERY_PORT, DEFAULT_COMMUNICATION_PORT,
                List.of(), Runtime.getRuntime().availableProcessors(), null, null, false, false, 30_000, 10_000, 256,
                BuildIdentity.current(), coreTypeOfThisProcess());
    }

    /** OPENBLAS_CORETYPE of this process, "" when unset. */
    public static String coreTypeOfThisProcess() {
        String v = System.getenv("OPENBLAS_CORETYPE");
        return v == null ? "" : v.strip();
    }

    public MemberConfig withClusterName(String name) {
        return new MemberConfig(name, bindAddress, discoveryPort, communicationPort, join, workers, keystore,
                keystorePassword, insecure, client, joinTimeoutMillis, failureDetectionMillis, offHeapMegabytes, build,
                openblasCoreType);
    }

    public MemberConfig withBind(String address, int discovery, int communication) {
        return new MemberConfig(clusterName, address, discovery, communication, join, workers, keystore,
                keystorePassword, insecure, client, joinTimeoutMillis, failureDetectionMillis, offHeapMegabytes, build,
                openblasCoreType);
    }

    public MemberConfig withJoin(List<String> addresses) {
        return new MemberConfig(clusterName, bindAddress, discoveryPort, communicationPort, addresses, workers,
                keystore, keystorePassword, insecure, client, joinTimeoutMillis, failureDetectionMillis,
                offHeapMegabytes, build, openblasCoreType);
    }

    public MemberConfig withWorkers(int n) {
        return new MemberConfig(clusterName, bindAddress, discoveryPort, communicationPort, join, n, keystore,
                keystorePassword, insecure, client, joinTimeoutMillis, failureDetectionMillis, offHeapMegabytes, build,
                openblasCoreType);
    }

    public MemberConfig withTls(Path file, String password) {
        return new MemberConfig(clusterName, bindAddress, discoveryPort, communicationPort, join, workers, file,
                password, insecure, client, joinTimeoutMillis, failureDetectionMillis, offHeapMegabytes, build,
                openblasCoreType);
    }

    public MemberConfig withInsecure(boolean allow) {
        return new MemberConfig(clusterName, bindAddress, discoveryPort, communicationPort, join, workers, keystore,
                keystorePassword, allow, client, joinTimeoutMillis, failureDetectionMillis, offHeapMegabytes, build,
                openblasCoreType);
    }

    public MemberConfig asClient() {
        return new MemberConfig(clusterName, bindAddress, discoveryPort, communicationPort, join, workers, keystore,
                keystorePassword, insecure, true, joinTimeoutMillis, failureDetectionMillis, offHeapMegabytes, build,
                openblasCoreType);
    }

    public MemberConfig withTimeouts(long joinMillis, long failureDetection) {
        return new MemberConfig(clusterName, bindAddress, discoveryPort, communicationPort, join, workers, keystore,
                keystorePassword, insecure, client, joinMillis, failureDetection, offHeapMegabytes, build,
                openblasCoreType);
    }

    public MemberConfig withIdentity(String buildId, String coreType) {
        return new MemberConfig(clusterName, bindAddress, discoveryPort, communicationPort, join, workers, keystore,
                keystorePassword, insecure, client, joinTimeoutMillis, failureDetectionMillis, offHeapMegabytes,
                buildId, coreType);
    }

    /** Whether TLS is on. */
    public boolean tls() {
        return keystore != null;
    }

    /** Splits {@code host:port}; a malformed address is an error naming it. */
    static String[] hostPort(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("join address '" + address
                    + "' is not HOST:PORT (e.g. 127.0.0.1:47500)");
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("join address '" + address + "' has no valid port (1..65535)");
        }
        return new String[]{address.substring(0, colon), address.substring(colon + 1)};
    }
}
