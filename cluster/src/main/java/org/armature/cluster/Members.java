package org.armature.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.Ignition;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.failure.StopNodeOrHaltFailureHandler;
import org.apache.ignite.logger.NullLogger;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.apache.ignite.spi.failover.always.AlwaysFailoverSpi;
import org.apache.ignite.ssl.SslContextFactory;

/**
 * Starts Ignite members with every door closed that Armature does not use: TCP discovery over a static address list
 * (no multicast), one bind address, no REST/binary connector (11211), no thin-client/JDBC connector (10800), no
 * shared-memory endpoint, no peer class loading (members run the classes of their own build), deserialisation
 * restricted to Armature's allow-list ({@link #ALLOW_LIST}), a bounded join, quiet logs. A member opens exactly two
 * listening sockets: discovery and communication.
 */
public final class Members {

    /** Node attributes every member publishes. */
    public static final String ATTR_BUILD = "armature.build";
    public static final String ATTR_CORETYPE = "armature.openblas_coretype";
    public static final String ATTR_WORKERS = "armature.workers";
    public static final String ATTR_CLUSTER = "armature.cluster";

    /** Classpath resource listing the classes members may deserialise (besides Ignite's and the JDK's own). */
    public static final String ALLOW_LIST = "META-INF/armature-cluster-allowlist.properties";

    /** The executor {@link StatusJob} runs in. */
    static final String STATUS_EXECUTOR = "armature-status";

    /** A job that fails over to another member at most this many times (a member died under it). */
    public static final int MAX_FAILOVER_ATTEMPTS = 5;

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private Members() {
    }

    /** The JVM options a process that starts a member needs on JDK 17 (Ignite's --add-opens list). */
    public static List<String> jvmOptions() {
        try (java.io.InputStream in = Members.class.getResourceAsStream("jvm-options.txt")) {
            if (in == null) {
                throw new IllegalStateException("jvm-options.txt is missing from the cluster module's resources");
            }
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Process-wide settings Ignite reads from system properties: set before the first member starts. */
    static synchronized void prepareProcess() {
        System.setProperty("IGNITE_MARSHALLER_WHITELIST", ALLOW_LIST);
        System.setProperty("IGNITE_UPDATE_NOTIFIER", "false");
        System.setProperty("IGNITE_QUIET", "true");
        System.setProperty("IGNITE_NO_ASCII", "true");
        System.setProperty("IGNITE_NO_SHUTDOWN_HOOK", "true");
        System.setProperty("IGNITE_PERFORMANCE_SUGGESTIONS_DISABLED", "true");
        System.setProperty("java.net.preferIPv4Stack", "true");
    }

    /**
     * Starts a member (or a client) and waits until it has joined. A member that finds another build or
     * OPENBLAS_CORETYPE among the members it joined stops again, with a message saying which.
     */
    public static Ignite start(MemberConfig c) {
        refuseUnprotectedBind(c);
        prepareProcess();
        Ignite ignite;
        try {
            ignite = Ignition.start(configuration(c));
        } catch (IgniteException e) {
            throw new ClusterException(joinFailure(c, e), e);
        }
        try {
            checkSameBuild(ignite);
        } catch (RuntimeException e) {
            ignite.close();
            throw e;
        }
        return ignite;
    }

    /** Without TLS anyone who can reach the ports can run code: only loopback, unless the user says otherwise. */
    static void refuseUnprotectedBind(MemberConfig c) {
        if (c.tls() || c.insecure()) {
            return;
        }
        boolean loopback;
        try {
            loopback = InetAddress.getByName(c.bindAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bind address '" + c.bindAddress() + "' does not resolve");
        }
        if (!loopback) {
            throw new IllegalArgumentException("refusing to bind " + c.bindAddress() + " without TLS: any machine that "
                    + "reaches it could join and run code; give --tls KEYSTORE (make one with `armature cluster "
                    + "keys`), or --insecure on a network you trust");
        }
    }

    /** The Ignite configuration of a member. */
    public static IgniteConfiguration configuration(MemberConfig c) {
        IgniteConfiguration cfg = new IgniteConfiguration();
        cfg.setIgniteInstanceName(c.clusterName() + "-" + ProcessHandle.current().pid() + "-"
                + INSTANCES.incrementAndGet());
        cfg.setClientMode(c.client());
        cfg.setLocalHost(c.bindAddress());
        cfg.setGridLogger(new NullLogger());
        cfg.setMetricsLogFrequency(0);
        cfg.setPeerClassLoadingEnabled(false);
        cfg.setConnectorConfiguration(null); // REST / binary protocol, port 11211
        cfg.setClientConnectorConfiguration(null); // thin clients, JDBC, ODBC, port 10800
        cfg.setFailureDetectionTimeout(c.failureDetectionMillis());
        cfg.setClientFailureDetectionTimeout(Math.max(c.failureDetectionMillis(), 30_000));
        cfg.setPublicThreadPoolSize(c.workers());
        // status questions answered beside the runs, not queued behind them in the public pool
        cfg.setExecutorConfiguration(new org.apache.ignite.configuration.ExecutorConfiguration(STATUS_EXECUTOR)
                .setSize(1));
        cfg.setFailureHandler(new StopNodeOrHaltFailureHandler());
        cfg.setUserAttributes(Map.of(ATTR_BUILD, c.build(), ATTR_CORETYPE, c.openblasCoreType(),
                ATTR_WORKERS, c.client() ? 0 : c.workers(), ATTR_CLUSTER, c.clusterName()));
        try {
            Path work = Files.createTempDirectory("armature-ignite-");
            deleteOnExit(work);
            cfg.setWorkDirectory(work.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create Ignite's work folder: " + e.getMessage(), e);
        }

        TcpDiscoverySpi discovery = new TcpDiscoverySpi();
        discovery.setLocalAddress(c.bindAddress());
        discovery.setLocalPort(c.discoveryPort());
        discovery.setLocalPortRange(0); // exactly this port: a busy port is an error, not a silent neighbour
        discovery.setJoinTimeout(c.joinTimeoutMillis());
        TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder(); // static list; multicast is a separate finder
        // with a join list a member only joins (one that cannot reach the list fails, it never starts a cluster of
        // its own); without one it is the first member
        List<String> addresses = new ArrayList<>(c.join());
        if (addresses.isEmpty()) {
            addresses.add(c.bindAddress() + ":" + c.discoveryPort());
        }
        finder.setAddresses(addresses);
        discovery.setIpFinder(finder);
        cfg.setDiscoverySpi(discovery);

        TcpCommunicationSpi communication = new TcpCommunicationSpi();
        communication.setLocalAddress(c.bindAddress());
        communication.setLocalPort(c.communicationPort());
        communication.setLocalPortRange(0);
        communication.setSharedMemoryPort(-1);
        cfg.setCommunicationSpi(communication);

        cfg.setCollisionSpi(new JobAllowList()); // only Armature's job classes run

        AlwaysFailoverSpi failover = new AlwaysFailoverSpi();
        failover.setMaximumFailoverAttempts(MAX_FAILOVER_ATTEMPTS);
        cfg.setFailoverSpi(failover);

        DataRegionConfiguration region = new DataRegionConfiguration().setName("default")
                .setInitialSize(32L << 20).setMaxSize(Math.max(32L, c.offHeapMegabytes()) << 20);
        cfg.setDataStorageConfiguration(new DataStorageConfiguration().setDefaultDataRegionConfiguration(region));

        if (c.tls()) {
            if (!Files.isRegularFile(c.keystore())) {
                throw new IllegalArgumentException("--tls keystore " + c.keystore() + " does not exist (make one with "
                        + "`armature cluster keys --out DIR`)");
            }
            SslContextFactory ssl = new SslContextFactory();
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStoreFilePath(c.keystore().toAbsolutePath().toString());
            ssl.setKeyStorePassword(c.keystorePassword().toCharArray());
            ssl.setTrustStoreType("PKCS12");
            ssl.setTrustStoreFilePath(c.keystore().toAbsolutePath().toString());
            ssl.setTrustStorePassword(c.keystorePassword().toCharArray());
            ssl.setProtocol("TLSv1.3");
            cfg.setSslContextFactory(ssl);
        }
        return cfg;
    }

    private static final List<Path> WORK_DIRS = new ArrayList<>();

    /** Ignite's work folders (marshaller mappings) are scratch: removed when the process ends. */
    private static synchronized void deleteOnExit(Path dir) {
        if (WORK_DIRS.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                synchronized (Members.class) {
                    for (Path p : WORK_DIRS) {
                        try {
                            org.armature.nn.ParamIO.deleteRecursively(p);
                        } catch (java.io.IOException | RuntimeException ignored) {
                            // best effort at exit
                        }
                    }
                }
            }, "armature-ignite-cleanup"));
        }
        WORK_DIRS.add(dir);
    }

    private static String joinFailure(MemberConfig c, IgniteException e) {
        String why = rootMessage(e);
        String where = c.join().isEmpty() ? "" : " at " + String.join(",", c.join());
        if (why.contains("Failed to bind") || why.contains("Address already in use")) {
            return "cannot listen on " + c.bindAddress() + ":" + c.discoveryPort() + "/" + c.communicationPort()
                    + " (in use?): " + why;
        }
        String hint = c.tls() ? " (TLS on: do the members share the cluster's certificate?)"
                : why.contains("SSL") ? " (the cluster talks TLS: give --tls KEYSTORE)" : "";
        return "could not join the cluster" + where + " within " + c.joinTimeoutMillis() / 1000.0 + " s" + hint
                + ": " + why;
    }

    static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        String m = r.getMessage();
        return m == null ? r.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    /** Refuses to run beside members of another build or BLAS core type (results would differ between members). */
    static void checkSameBuild(Ignite ignite) {
        ClusterNode me = ignite.cluster().localNode();
        for (ClusterNode n : ignite.cluster().forServers().nodes()) {
            String why = difference(me, n);
            if (why != null) {
                throw new ClusterException("refused: " + why);
            }
        }
    }

    /** Why {@code other} may not run this node's work (another build or core type), or null when it may. */
    public static String difference(ClusterNode me, ClusterNode other) {
        String name = describe(other);
        Object b1 = me.attribute(ATTR_BUILD);
        Object b2 = other.attribute(ATTR_BUILD);
        if (!String.valueOf(b1).equals(String.valueOf(b2))) {
            return "member " + name + " runs build " + b2 + ", this process " + b1 + " (run the same armature.jar on "
                    + "every member)";
        }
        Object c1 = me.attribute(ATTR_CORETYPE);
        Object c2 = other.attribute(ATTR_CORETYPE);
        if (!String.valueOf(c1).equals(String.valueOf(c2))) {
            return "member " + name + " runs with OPENBLAS_CORETYPE='" + c2 + "', this process '" + c1 + "' (BLAS "
                    + "kernels change the numbers; set the same value everywhere)";
        }
        return null;
    }

    /** host:discoveryPort of a node, for messages. */
    public static String describe(ClusterNode n) {
        return n.consistentId() + (n.isClient() ? " (client)" : "");
    }
}
