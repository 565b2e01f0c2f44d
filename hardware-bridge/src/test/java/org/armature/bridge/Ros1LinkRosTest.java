package org.armature.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;
import org.armature.offline.data.D4rlHdf5;
import org.armature.envs.tasks.manipulation.PandaKinematics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Ros1Link} against Debian's real ROS 1: rosmaster, and a rospy node simulating a Panda-like arm with DART
 * ({@code arm_sim.py}), which publishes its joints in a scrambled order plus a finger joint. Checks tracking and the
 * command rate with both command types and both arm modes (effort: torques through DART's dynamics; position: an
 * ideal rate-limited servo), Debian's roscpp robot_state_publisher reading the same state stream as the link while
 * the link drives the arm (its /tf shows the links moving), a publisher that appears after the link subscribed, the md5 check in both
 * directions, a second state publisher and a shutdown request as faults, and the safe stop when the robot process is
 * killed. Skipped without ROS; fails instead under CI=true ({@link Ros1Harness#assumeRos}).
 */
class Ros1LinkRosTest {

    @TempDir
    static Path dir;
    private static Ros1Harness ros;

    @BeforeAll
    static void startMaster() throws Exception {
        Ros1Harness.assumeRos();
        ros = new Ros1Harness(dir);
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (ros != null) {
            ros.close();
        }
    }

    private static String joints() {
        return String.join(",", Ros1Harness.PANDA_JOINTS);
    }

    private static Ros1Link link(String query, long connectTimeoutMillis) throws IOException {
        return new Ros1Link(Ros1Config.parse(ros.uri(query), dir, Map.of()), 7, connectTimeoutMillis);
    }

    private static String q0() {
        StringBuilder b = new StringBuilder();
        for (double v : PandaKinematics.Q_HOME) {
            b.append(b.length() > 0 ? "," : "").append(v);
        }
        return b.toString();
    }

    /** Ramps the command from Q_HOME to {@code target} over 100 ticks, then holds it: {@code n} ticks at 200 Hz. */
    private static void streamRamp(Ros1Link link, double[] target, int n) throws IOException {
        RobotState s = new RobotState(7, 0);
        JointCommand c = new JointCommand(7);
        long period = 5_000_000L; // 200 Hz
        long t0 = System.nanoTime();
        for (int k = 0; k < n; k++) {
            while (System.nanoTime() < t0 + k * period) {
                Thread.onSpinWait();
            }
            link.readLatest(s);
            double frac = Math.min(1, k / 100.0);
            for (int i = 0; i < 7; i++) {
                c.positionsRad[i] = PandaKinematics.Q_HOME[i] + frac * (target[i] - PandaKinematics.Q_HOME[i]);
            }
            c.mode = JointCommand.Mode.POSITION;
            c.stateRobotTimeNanos = s.robotTimeNanos;
            c.expiryMicros = 100_000;
            c.tick = k;
            c.periodMicros = 5000;
            link.send(c);
            assertEquals(RobotLink.Status.OK, link.status(), () -> String.valueOf(link.statusDetail()));
        }
    }

    /** A distinct offset per joint from Q_HOME, so a joint mapped to the wrong index shows. */
    private static double[] offsetTarget() {
        double[] target = new double[7];
        for (int i = 0; i < 7; i++) {
            target[i] = PandaKinematics.Q_HOME[i] + 0.04 * (i + 1) * (i % 2 == 0 ? 1 : -1);
        }
        return target;
    }

    @ParameterizedTest
    @CsvSource({"JointTrajectory, effort", "Float64MultiArray, position"})
    void tracksCommandsStreamedAtTwoHundredHertzFromAPublisherThatCameLate(String type, String mode) throws Exception {
        String ns = "/t" + type.charAt(0);
        String node = "arm_" + type.toLowerCase();
        Ros1Link link = link("state=" + ns + "/joint_states&command=" + ns + "/command&type=" + type
                + "&node=/bridge_" + type.toLowerCase() + "&joints=" + joints(), 20_000);
        // the link subscribes first; the robot's publisher registers a second later (publisherUpdate)
        CompletableFuture<RobotLink.RobotInfo> connected = CompletableFuture.supplyAsync(() -> {
            try {
                return link.connect();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(1000);
        assertTrue(!connected.isDone(), "connect must wait for the robot");
        Process arm = ros.startArm(node, Map.of("state_topic", ns + "/joint_states", "command_topic",
                ns + "/command", "command_type", type, "q0", q0(), "mode", mode));
        try {
            RobotLink.RobotInfo info = connected.get(20, TimeUnit.SECONDS);
            assertEquals(7, info.dof());
            RobotState s = new RobotState(7, 0);
            assertTrue(link.readLatest(s));
            for (int i = 0; i < 7; i++) {
                assertEquals(PandaKinematics.Q_HOME[i], s.positionsRad[i], 0.02, "joint " + i + " mapped by name");
            }
            double[] target = offsetTarget();
            int n = 300;
            streamRamp(link, target, n);
            Thread.sleep(100);
            link.readLatest(s);
            for (int i = 0; i < 7; i++) {
                assertEquals(target[i], s.positionsRad[i], 0.01, "joint " + i + " tracks its target (" + mode + ")");
            }
            link.close();
            Thread.sleep(400); // past the arm's 100 ms command timeout and a stats write
            JsonNode st = ros.readStats(node);
            assertEquals(mode, st.get("mode").asText());
            long commands = st.get("commands").asLong();
            double span = st.get("last_command_wall").asDouble() - st.get("first_command_wall").asDouble();
            double rateHz = (commands - 1) / span;
            // at least 80 % arrive (a starved CI machine drops some: the link sends only the newest command); the
            // rate check below is the bound (>= 100 Hz)
            assertTrue(commands >= n * 0.8, "the arm received " + commands + " of " + n + " commands; link "
                    + link.counters());
            assertTrue(rateHz >= 100, "command rate at the arm " + rateHz + " Hz");
            assertTrue(st.get("expired").asLong() <= n / 50, "at most 2 % of the commands arrived after their 100 ms "
                    + "expiry: " + st.get("expired").asLong());
            assertEquals(0, st.get("wrong_joints").asLong());
            assertTrue(st.get("watchdog_stops").asLong() >= 1, "the arm's command timeout held it after the link "
                    + "closed");
            assertTrue(st.get("holding").asBoolean());
        } finally {
            link.close();
            Ros1Harness.stop(arm);
        }
    }

    /**
     * Debian's roscpp robot_state_publisher, given the arm's URDF as /robot_description, consumes the same
     * /joint_states stream as the link while the link drives the arm: its /tf carries every moving link, and they
     * move with the commands.
     */
    @Test
    void robotStatePublisherReadsTheSameStateStreamWhileTheLinkDrivesTheArm() throws Exception {
        Ros1Harness.assumeRobotStatePublisher();
        Process arm = ros.startArm("arm_rsp", Map.of("state_topic", "/r/joint_states", "command_topic",
                "/r/command", "q0", q0(), "mode", "position"));
        Process rsp = ros.startRobotStatePublisher("rsp", "/r/joint_states");
        Process probe = ros.startTfProbe("tf_probe");
        Ros1Link link = link("state=/r/joint_states&command=/r/command&node=/bridge_r&joints=" + joints(), 15_000);
        try {
            link.connect();
            JsonNode before = null;
            for (int i = 0; i < 100; i++) { // the probe sees rsp's /tf of the arm at rest
                Thread.sleep(100);
                if (Files.exists(ros.stats("tf_probe"))) {
                    before = ros.readStats("tf_probe");
                    if (before.get("frames").has("panda_link7")) {
                        break;
                    }
                }
            }
            assertTrue(before != null && before.get("frames").has("panda_link7"), "no /tf from robot_state_publisher: "
                    + ros.log("rsp"));
            streamRamp(link, offsetTarget(), 200);
            Thread.sleep(200);
            link.close();
            Ros1Harness.stop(probe);
            JsonNode tf = ros.readStats("tf_probe");
            for (int j = 1; j <= 7; j++) {
                JsonNode f = tf.get("frames").get("panda_link" + j);
                assertNotNull(f, "frame panda_link" + j + " in /tf: " + tf);
                assertEquals("panda_link" + (j - 1), f.get("parent").asText());
                // the joint turned by 0.04 j rad: the quaternion from the parent changed by about sin(0.02 j)
                double d = 0;
                for (int k = 3; k < 7; k++) {
                    d += Math.abs(f.get("last").get(k).asDouble() - f.get("first").get(k).asDouble());
                }
                assertTrue(d > 0.01 * j, "panda_link" + j + " moved in /tf: " + f);
            }
            assertTrue(tf.get("messages").asLong() >= 20, "robot_state_publisher kept publishing: " + tf.get("messages"));
            assertTrue(rsp.isAlive(), ros.log("rsp"));
        } finally {
            link.close();
            Ros1Harness.stop(probe);
            Ros1Harness.stop(rsp);
            Ros1Harness.stop(arm);
        }
    }

    @Test
    void md5MismatchesAreErrorsInBothDirections() throws Exception {
        // the robot publishes the wrong type on the state topic: the link names the mismatch
        Process wrongState = ros.startArm("arm_wrong_state", Map.of("state_topic", "/m1/joint_states",
                "command_topic", "/m1/command", "state_type", "Float64MultiArray"));
        // the robot subscribes the command topic with the wrong type: our publisher refuses it
        Process wrongCommand = ros.startArm("arm_wrong_command", Map.of("state_topic", "/m2/joint_states",
                "command_topic", "/m2/command", "command_type", "JointState"));
        try {
            Ros1Link a = link("state=/m1/joint_states&command=/m1/command&node=/bridge_m1&joints=" + joints(), 6000);
            IOException e = assertThrows(IOException.class, a::connect);
            assertTrue(e.getMessage().contains("md5 mismatch") && e.getMessage().contains("std_msgs/Float64MultiArray"),
                    e.getMessage());
            assertTrue(a.counters().getOrDefault("md5_mismatch", 0L) >= 1, a.counters().toString());

            Ros1Link b = link("state=/m2/joint_states&command=/m2/command&node=/bridge_m2&joints=" + joints(), 6000);
            IOException e2 = assertThrows(IOException.class, b::connect);
            assertTrue(e2.getMessage().contains("no subscriber on /m2/command")
                    && e2.getMessage().contains("sensor_msgs/JointState"), e2.getMessage());
            assertTrue(b.counters().getOrDefault("md5_mismatch", 0L) >= 1, b.counters().toString());
            assertTrue(b.counters().get("states_received") > 0, "the state side of b works");
            assertEquals(0, ros.readStats("arm_wrong_command").get("commands").asLong());
        } finally {
            Ros1Harness.stop(wrongState);
            Ros1Harness.stop(wrongCommand);
        }
    }

    @Test
    void aSecondStatePublisherAndAShutdownRequestAreFaults() throws Exception {
        Process arm = ros.startArm("arm_faults", Map.of("state_topic", "/f/joint_states", "command_topic",
                "/f/command"));
        Process second = null;
        try {
            String q = "state=/f/joint_states&command=/f/command&node=/bridge_f&joints=" + joints();
            Ros1Link link = link(q, 15_000);
            link.connect();
            assertEquals(RobotLink.Status.OK, link.status(), () -> link.statusDetail() + " " + link.counters());
            second = ros.startArm("arm_faults_2", Map.of("state_topic", "/f/joint_states", "command_topic",
                    "/f2/command"));
            assertTrue(waitFor(link, RobotLink.Status.FAULT, 15_000), "status " + link.status());
            assertTrue(link.statusDetail().contains("second publisher"), link.statusDetail());
            link.close();
            Ros1Harness.stop(second);

            Ros1Link first = link(q, 15_000);
            first.connect();
            Ros1Link sameName = link(q, 15_000); // the master shuts the first node down (same name)
            sameName.connect();
            assertTrue(waitFor(first, RobotLink.Status.FAULT, 5000), "status " + first.status());
            assertTrue(first.statusDetail().contains("asked to shut down"), first.statusDetail());
            Thread.sleep(500);
            assertEquals(RobotLink.Status.OK, sameName.status(), () -> sameName.statusDetail() + " " + sameName.counters());
            first.close();
            sameName.close();
        } finally {
            Ros1Harness.stop(arm);
            if (second != null) {
                Ros1Harness.stop(second);
            }
        }
    }

    private static boolean waitFor(RobotLink link, RobotLink.Status s, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (link.status() == s) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    @Test
    void killingTheRobotProcessStopsTheLoopWithinTheStalenessBound() throws Exception {
        Process arm = ros.startArm("arm_kill", Map.of("state_topic", "/k/joint_states", "command_topic",
                "/k/command", "q0", q0()));
        Ros1Link link = link("state=/k/joint_states&command=/k/command&node=/bridge_k&joints=" + joints(), 15_000);
        try {
            link.connect();
            ReachTask task = new ReachTask("Reach-v1", ReachTask.DEFAULT_TARGET);
            double rate = 200;
            // 150 ms rather than Reach's 75 ms default: a loaded CI machine can starve the Python arm for longer
            // than 75 ms, which would stop the loop before the kill; the bound checked below is the configured one
            double staleMillis = 150;
            SafetyConfig stale = Fixtures.stale(staleMillis);
            Path file = dir.resolve("killed.h5");
            DeploymentRecorder rec = new DeploymentRecorder(file, task.observationDim(), task.actionDim(),
                    DatasetMetadata.of("Reach-v1", "test", null, null));
            ControlLoop loop = Fixtures.loop(link, task, TestPolicies.constant(task.observationDim(), new float[7]),
                    rate, 0, stale, rec, 0);
            long[] firstStop = {-1};
            loop.setCommandObserver((tick, sentNanos, cmd, stopping) -> {
                if (stopping && firstStop[0] < 0) {
                    firstStop[0] = sentNanos;
                }
            });
            loop.start();
            Thread.sleep(1500);
            assertTrue(loop.running(), "the loop runs until the robot dies");
            long kill = System.nanoTime();
            Ros1Harness.kill(arm);
            ControlLoop.Result r = loop.await(5000);
            assertNotNull(r, "the loop ended");
            rec.close();
            OfflineDataset d = D4rlHdf5.read(file);
            assertTrue(d.size() >= 40, "about 60 decisions recorded before the kill: " + d.size());
            int[] stopCodes = (int[]) d.infos().get("stop_reason");
            assertEquals(1 + r.reason().ordinal(), stopCodes[d.size() - 1], "the last row names the stop");
            assertTrue(r.reason() == StopReason.LINK_LOST || r.reason() == StopReason.STALE_STATE,
                    "reason " + r.reason());
            double detectMillis = (firstStop[0] - kill) / 1e6;
            assertTrue(firstStop[0] > 0 && detectMillis <= staleMillis + 2 * 1000 / rate,
                    "the safe stop began " + detectMillis + " ms after the kill (bound " + staleMillis + " ms)");
            assertNotNull(link.statusDetail());
        } finally {
            link.close();
            Ros1Harness.kill(arm);
        }
    }
}
