package org.armature.bridge;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Eclipse Cyclone DDS (Debian's {@code cyclonedds-dev}, {@code cyclonedds-tools}) for the ROS 2 integration tests:
 * builds the test arm {@code ros2/arm_peer.c} against the ROS 2 message types in {@code ros2/ros2_msgs.idl} with
 * {@code idlc} and {@code gcc} into a temporary directory, and starts arm processes restricted to loopback. Every
 * process it starts is stopped by its own pid (SIGTERM, then SIGKILL) in {@link #close}.
 *
 * <p>DDS discovery multicasts on every interface, so the tests run only where loopback is the only interface: a
 * private network namespace ({@code .ci/ros2-netns.sh}, which {@code .ci/run} runs under {@code unshare -n}).
 */
final class Ros2Harness implements AutoCloseable {

    static final Path IDLC = Path.of("/usr/bin/idlc");
    static final Path GCC = Path.of("/usr/bin/gcc");
    static final Path DDS_HEADER = Path.of("/usr/include/dds/dds.h");
    static final String CYCLONE_CONFIG = "<CycloneDDS><Domain id=\"any\"><General><Interfaces>"
            + "<NetworkInterface name=\"lo\" multicast=\"true\"/></Interfaces></General></Domain></CycloneDDS>";

    final Path dir;
    final Path peer;
    private final List<Process> started = Collections.synchronizedList(new ArrayList<>());

    /**
     * Skips the test on a developer machine without Cyclone DDS or outside a private network namespace, but fails
     * it in CI ({@code CI=true}, as {@code .ci/run} runs, after {@code .ci/install-ros-deps.sh}): a green CI always
     * means the DDS tests ran.
     */
    static void assumeDds() {
        String why = "Eclipse Cyclone DDS is missing (/usr/bin/idlc, /usr/include/dds/dds.h, gcc); install with "
                + ".ci/install-ros-deps.sh";
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean have = Files.isExecutable(IDLC) && Files.isExecutable(GCC) && Files.exists(DDS_HEADER);
        if (ci) {
            Assertions.assertTrue(have, "CI=true but " + why);
        }
        Assumptions.assumeTrue(have, "skipped: " + why);
        String ns = "DDS discovery would multicast on the machine's network: run in a private network namespace, "
                + "as .ci/run does (unshare -n .ci/ros2-netns.sh mvn ... -Dgroups=dds); interfaces here: "
                + interfaces();
        if (ci) {
            Assertions.assertTrue(onlyLoopback(), "CI=true but " + ns);
        }
        Assumptions.assumeTrue(onlyLoopback(), "skipped: " + ns);
    }

    private static List<String> interfaces() {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                out.add(i.getName() + (i.isUp() ? " up" : " down") + (i.isLoopback() ? " loopback" : ""));
            }
        } catch (SocketException e) {
            out.add(e.toString());
        }
        return out;
    }

    /** True when every interface that is up is the loopback, and the loopback is up. */
    static boolean onlyLoopback() {
        try {
            boolean loUp = false;
            for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (i.isUp() && !i.isLoopback()) {
                    return false;
                }
                loUp |= i.isUp() && i.isLoopback();
            }
            return loUp;
        } catch (SocketException e) {
            return false;
        }
    }

    /** Compiles the IDL with idlc and the arm with gcc into {@code dir}. */
    Ros2Harness(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Path src;
        try {
            src = Path.of(Ros2Harness.class.getResource("/ros2/arm_peer.c").toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Path gen = Files.createDirectories(dir.resolve("gen"));
        run(List.of(IDLC.toString(), "-o", gen.toString(), src.resolveSibling("ros2_msgs.idl").toString()),
                "idlc");
        peer = dir.resolve("arm_peer");
        run(List.of(GCC.toString(), "-O2", "-Wall", "-Werror", "-I" + gen, src.toString(),
                gen.resolve("ros2_msgs.c").toString(), "-lddsc", "-lpthread", "-lm", "-o", peer.toString()), "gcc");
    }

    private void run(List<String> cmd, String name) throws IOException, InterruptedException {
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(name + " did not finish within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + Files.readString(log));
        }
    }

    /** Starts an arm as {@code name} with options ({@code --state-topic} etc., without the dashes' values quoted). */
    Process startArm(String name, int domain, Map<String, String> options) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(peer.toString(), "--domain", Integer.toString(domain), "--stats",
                stats(name).toString()));
        options.forEach((k, v) -> {
            cmd.add("--" + k);
            cmd.add(v);
        });
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("CYCLONEDDS_URI", CYCLONE_CONFIG);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    Path stats(String name) {
        return dir.resolve(name + ".stats.json");
    }

    /** The arm's latest statistics (waits up to 5 s for the file). */
    JsonNode readStats(String name) throws IOException, InterruptedException {
        Path f = stats(name);
        for (int i = 0; i < 100 && !Files.exists(f); i++) {
            Thread.sleep(50);
        }
        return new ObjectMapper().readTree(f.toFile());
    }

    String log(String name) throws IOException {
        Path f = dir.resolve(name + ".log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    /** SIGKILL, by pid (a crashed robot). */
    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
    }

    /** SIGTERM (the arm writes its statistics and deletes its DDS entities), then SIGKILL after 5 s. */
    static void stop(Process p) throws InterruptedException {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<Process> all;
        synchronized (started) {
            all = new ArrayList<>(started);
        }
        for (Process p : all) {
            stop(p);
        }
    }
}
