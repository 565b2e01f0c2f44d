package org.armature.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;
import org.armature.envs.tasks.manipulation.PandaKinematics;
import org.armature.offline.data.D4rlHdf5;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Ros2Link} against a real DDS implementation: Eclipse Cyclone DDS, with a C arm ({@code ros2/arm_peer.c})
 * built by {@link Ros2Harness} with idlc and gcc from ROS 2's message types, on ROS 2's topic names; it publishes
 * its joints in reverse order plus a finger joint, BEST_EFFORT. Checks tracking and the command rate with both
 * command types, the type and QoS mismatch errors, and the safe stop when the arm process is killed.
 *
 * <p>Tagged {@code dds}: excluded from the plain build (it must run where loopback is the only interface), run by
 * {@code .ci/run} under {@code unshare -n}. Skipped without Cyclone DDS; fails instead under CI=true.
 */
@Tag("dds")
class Ros2LinkDdsTest {

    @TempDir
    static Path dir;
    private static Ros2Harness dds;

    @BeforeAll
    static void build() throws Exception {
        Ros2Harness.assumeDds();
        dds = new Ros2Harness(dir);
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (dds != null) {
            dds.close();
        }
    }

    private static String joints() {
        return String.join(",", Ros1Harness.PANDA_JOINTS);
    }

    static Ros2Link link(int domain, String query, long connectTimeoutMillis) throws IOException {
        return new Ros2Link(Ros2Config.parse("ros2://" + domain + "?" + query, dir, Map.of()), 7,
                connectTimeoutMillis);
    }

    private static String q0() {
        StringBuilder b = new StringBuilder();
        for (double v : PandaKinematics.Q_HOME) {
            b.append(b.length() > 0 ? "," : "").append(v);
        }
        return b.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"JointTrajectory", "Float64MultiArray"})
    void tracksCommandsStreamedAtTwoHundredHertzFromAnArmThatCameLate(String type) throws Exception {
        int domain = type.equals("JointTrajectory") ? 11 : 12;
        String name = "arm_" + type.toLowerCase();
        Ros2Link link = link(domain, "state=/joint_states&command=/arm/command&type=" + type + "&joints="
                + joints(), 20_000);
        // the link is up first; the robot's participant appears a second later (DDS discovery matches them)
        CompletableFuture<RobotLink.RobotInfo> connected = CompletableFuture.supplyAsync(() -> {
            try {
                return link.connect();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(1000);
        assertTrue(!connected.isDone(), "connect must wait for the robot");
        Process arm = dds.startArm(name, domain, Map.of("state-topic", "rt/joint_states", "command-topic",
                "rt/arm/command", "command-type", type, "q0", q0()));
        try {
            RobotLink.RobotInfo info = connected.get(20, TimeUnit.SECONDS);
            assertEquals(7, info.dof());
            RobotState s = new RobotState(7, 0);
            assertTrue(link.readLatest(s));
            for (int i = 0; i < 7; i++) {
                assertEquals(PandaKinematics.Q_HOME[i], s.positionsRad[i], 0.02, "joint " + i + " mapped by name");
            }
            // a distinct offset per joint, so a joint mapped to the wrong index shows
            double[] target = new double[7];
            for (int i = 0; i < 7; i++) {
                target[i] = PandaKinematics.Q_HOME[i] + 0.04 * (i + 1) * (i % 2 == 0 ? 1 : -1);
            }
            JointCommand c = new JointCommand(7);
            long period = 5_000_000L; // 200 Hz
            long t0 = System.nanoTime();
            int n = 300;
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
            Thread.sleep(100);
            RobotState end = new RobotState(7, 0);
            link.readLatest(end);
            link.close();
            Thread.sleep(400); // past the arm's 100 ms command timeout and a stats write
            JsonNode st = dds.readStats(name);
            long commands = st.get("commands").asLong();
            double span = st.get("last_command_wall").asDouble() - st.get("first_command_wall").asDouble();
            double rateHz = (commands - 1) / span;
            System.out.printf("ros2 %s: %d of %d commands at the arm at %.0f Hz, link %s%n", type, commands, n,
                    rateHz, link.counters());
            for (int i = 0; i < 7; i++) {
                assertEquals(target[i], end.positionsRad[i], 0.01, "joint " + i + " tracks its target");
            }
            assertTrue(commands >= n * 0.95, "the arm received " + commands + " of " + n + " commands");
            assertTrue(rateHz >= 100, "command rate at the arm " + rateHz + " Hz");
            assertEquals(0, st.get("expired").asLong(), "no command expired");
            assertEquals(0, st.get("wrong_joints").asLong());
            assertTrue(st.get("watchdog_stops").asLong() >= 1, "the arm's command timeout held it after the link "
                    + "closed");
            assertTrue(st.get("holding").asBoolean());
        } finally {
            link.close();
            Ros2Harness.stop(arm);
        }
    }
}
