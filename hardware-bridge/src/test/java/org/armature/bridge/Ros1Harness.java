package org.armature.bridge;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's real ROS 1 for the integration tests: {@code rosmaster --core} on a free port with a temporary ROS_HOME,
 * and rospy nodes ({@code arm_sim.py}: a DART arm) started with ROS_IP=127.0.0.1 under /usr/bin/python3. Every
 * process it starts is stopped by its own pid (SIGTERM, then SIGKILL) in {@link #close}.
 */
final class Ros1Harness implements AutoCloseable {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path ROSMASTER = Path.of("/usr/bin/rosmaster");
    /** Debian's roscpp robot_state_publisher (package ros-robot-state-publisher). */
    static final Path ROBOT_STATE_PUBLISHER = Path.of("/usr/lib/robot_state_publisher/robot_state_publisher");
    static final String[] PANDA_JOINTS = {"panda_joint1", "panda_joint2", "panda_joint3", "panda_joint4",
            "panda_joint5", "panda_joint6", "panda_joint7"};

    private static Boolean available;
    private static Boolean rspAvailable;

    final Path dir;
    final int masterPort;
    final String masterUri;
    private final Process master;
    private final List<Process> started = new ArrayList<>();

    /**
     * Skips the test on a developer machine without ROS, but fails it in CI ({@code CI=true}, as {@code .ci/run}
     * runs, after {@code .ci/install-ros-deps.sh}): a green CI always means the ROS tests ran.
     */
    static void assumeRos() {
        String why = "Debian's ROS 1 is missing (/usr/bin/rosmaster, and rospy, sensor_msgs, trajectory_msgs, dartpy "
                + "for /usr/bin/python3); install with .ci/install-ros-deps.sh";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.assertTrue(rosAvailable(), "CI=true but " + why);
        }
        Assumptions.assumeTrue(rosAvailable(), "skipped: " + why);
    }

    /** As {@link #assumeRos}, for robot_state_publisher and tf2_msgs (the /tf probe) as well. */
    static void assumeRobotStatePublisher() {
        assumeRos();
        String why = "Debian's robot_state_publisher (" + ROBOT_STATE_PUBLISHER + ", ros-robot-state-publisher) or "
                + "tf2_msgs for /usr/bin/python3 (python3-tf2-msgs) is missing; install with .ci/install-ros-deps.sh";
        boolean ok;
        synchronized (Ros1Harness.class) {
            if (rspAvailable == null) {
                rspAvailable = Files.isExecutable(ROBOT_STATE_PUBLISHER)
                        && run(PYTHON.toString(), "-c", "import tf2_msgs.msg") == 0;
            }
            ok = rspAvailable;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.assertTrue(ok, "CI=true but " + why);
        }
        Assumptions.assumeTrue(ok, "skipped: " + why);
    }

    private static synchronized boolean rosAvailable() {
        if (available == null) {
            available = Files.isExecutable(ROSMASTER) && Files.isExecutable(PYTHON) && run(PYTHON.toString(), "-c",
                    "import rospy, sensor_msgs.msg, std_msgs.msg, trajectory_msgs.msg, dartpy, numpy") == 0;
        }
        return available;
    }

    private static int run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Ros1Harness(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("ros_home"));
        masterPort = freePort();
        masterUri = "http://127.0.0.1:" + masterPort + "/";
        master = start("rosmaster", List.of(ROSMASTER.toString(), "--core", "-p", Integer.toString(masterPort)));
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            try {
                XmlRpc.call(masterUri, 500, "getPid", "/test");
                return;
            } catch (IOException e) {
                if (!master.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new IOException("rosmaster did not come up on port " + masterPort + ": "
                            + Files.readString(dir.resolve("rosmaster.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    /** The link URI for this master. */
    String uri(String query) {
        return "ros1://127.0.0.1:" + masterPort + "?" + query;
    }

    /** Starts {@code arm_sim.py} as node {@code name} with private parameters. */
    Process startArm(String name, Map<String, String> params) throws IOException {
        Path script = resource("arm_sim.py");
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), script.toString(), "__name:=" + name,
                "_urdf:=" + script.resolveSibling("panda_like.urdf"), "_stats:=" + stats(name)));
        params.forEach((k, v) -> cmd.add("_" + k + ":=" + v));
        return start(name, cmd);
    }

    private static Path resource(String name) throws IOException {
        try {
            return Path.of(Ros1Harness.class.getResource("/ros1/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /**
     * Sets the arm's URDF as the global {@code /robot_description} parameter and starts Debian's roscpp
     * {@code robot_state_publisher} as node {@code name}, its {@code joint_states} remapped to {@code jointStates}.
     */
    Process startRobotStatePublisher(String name, String jointStates) throws IOException {
        XmlRpc.call(masterUri, 2000, "setParam", "/test", "/robot_description",
                Files.readString(resource("panda_like.urdf")));
        return start(name, List.of(ROBOT_STATE_PUBLISHER.toString(), "__name:=" + name,
                "joint_states:=" + jointStates));
    }

    /** Starts {@code tf_probe.py} as node {@code name}: it records /tf per child frame into {@link #stats}(name). */
    Process startTfProbe(String name) throws IOException {
        return start(name, List.of(PYTHON.toString(), resource("tf_probe.py").toString(), "__name:=" + name,
                "_out:=" + stats(name)));
    }

    Path stats(String node) {
        return dir.resolve(node + ".stats.json");
    }

    /** The node's latest statistics (waits up to 5 s for the file). */
    JsonNode readStats(String node) throws IOException, InterruptedException {
        Path f = stats(node);
        for (int i = 0; i < 100 && !Files.exists(f); i++) {
            Thread.sleep(50);
        }
        return new ObjectMapper().readTree(f.toFile());
    }

    String log(String name) throws IOException {
        Path f = dir.resolve(name + ".log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    private Process start(String name, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("ROS_MASTER_URI", masterUri);
        env.put("ROS_IP", "127.0.0.1");
        env.remove("ROS_HOSTNAME");
        env.put("ROS_HOME", dir.resolve("ros_home").toString());
        env.put("ROS_LOG_DIR", dir.resolve("ros_home").resolve("log").toString());
        env.put("PYTHONUNBUFFERED", "1");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        Process p = pb.start();
        synchronized (started) {
            started.add(p);
        }
        return p;
    }

    /** SIGKILL, by pid (a crashed robot). */
    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
    }

    /** SIGTERM (rospy shuts down cleanly and writes its statistics), then SIGKILL after 5 s. */
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
        // nodes first, the master last
        for (int i = all.size() - 1; i >= 0; i--) {
            stop(all.get(i));
        }
    }
}
