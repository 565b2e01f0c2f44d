package org.armature.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.armature.agents.Policy;
import org.armature.agents.data.DatasetMetadata;
import org.armature.agents.data.OfflineDataset;
import org.armature.envs.tasks.manipulation.PandaKinematics;
import org.armature.envs.tasks.manipulation.ReachEnv;
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
            // at least 80 % arrive (a starved CI machine drops some: the link sends only the newest command); the
            // rate check below is the bound (>= 100 Hz)
            assertTrue(commands >= n * 0.8, "the arm received " + commands + " of " + n + " commands");
            assertTrue(rateHz >= 100, "command rate at the arm " + rateHz + " Hz");
            assertTrue(st.get("expired").asLong() <= n / 50, "at most 2 % of the commands arrived after their 100 ms "
                    + "expiry: " + st.get("expired").asLong());
            assertEquals(0, st.get("wrong_joints").asLong());
            assertTrue(st.get("watchdog_stops").asLong() >= 1, "the arm's command timeout held it after the link "
                    + "closed");
            assertTrue(st.get("holding").asBoolean());
        } finally {
            link.close();
            Ros2Harness.stop(arm);
        }
    }

    private static CompletableFuture<IOException> connectFails(Ros2Link link) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                link.connect();
                link.close();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
    }

    @Test
    void typeAndQosMismatchesNameWhatDidNotMatch() throws Exception {
        // wrong types both ways: the arm publishes Float64MultiArray on the state topic and reads JointState on the
        // command topic; neither matches the link's reader or writer
        Process wrongTypes = dds.startArm("arm_wrong_types", 21, Map.of("state-type", "Float64MultiArray",
                "command-type", "JointState"));
        // the link asks for RELIABLE state from an arm that publishes it BEST_EFFORT
        Process bestEffort = dds.startArm("arm_best_effort", 22, Map.of());
        // the arm's command reader asks for TRANSIENT_LOCAL durability; the link's writer offers VOLATILE
        Process transientLocal = dds.startArm("arm_transient_local", 23, Map.of("command-durability",
                "transient_local"));
        try {
            String q = "state=/joint_states&command=/arm/command&joints=" + joints();
            Ros2Link a = link(21, q, 4000);
            Ros2Link b = link(22, q + "&state_qos=reliable", 4000);
            Ros2Link c = link(23, q, 4000);
            CompletableFuture<IOException> ea = connectFails(a);
            CompletableFuture<IOException> eb = connectFails(b);
            CompletableFuture<IOException> ec = connectFails(c);
            String ma = message(ea.get(30, TimeUnit.SECONDS));
            assertTrue(ma.contains("no sensor_msgs::msg::dds_::JointState_ on rt/joint_states (no publisher matched")
                    && ma.contains("no subscriber of trajectory_msgs::msg::dds_::JointTrajectory_ on rt/arm/command "
                    + "matched"), ma);
            String mb = message(eb.get(30, TimeUnit.SECONDS));
            assertTrue(mb.contains("asked for RELIABLE, VOLATILE, KEEP_LAST 1") && mb.contains("state_qos=best_effort"),
                    mb);
            assertTrue(b.counters().get("command_subscribers_matched") >= 1, "b's command side matched: "
                    + b.counters());
            String mc = message(ec.get(30, TimeUnit.SECONDS));
            assertTrue(mc.contains("no subscriber of trajectory_msgs::msg::dds_::JointTrajectory_ on rt/arm/command "
                    + "matched this writer, which offers RELIABLE, VOLATILE") && !mc.contains("no sensor_msgs"), mc);
            assertTrue(c.counters().get("states_received") > 0, "c's state side works: " + c.counters());
            Thread.sleep(300);
            // Cyclone saw the same mismatches from its side (DDS policy ids: 2 durability, 11 reliability)
            JsonNode sb = dds.readStats("arm_best_effort");
            assertTrue(sb.get("offered_incompatible_qos").asLong() >= 1, "the arm's state writer saw the RELIABLE "
                    + "reader: " + sb);
            assertEquals(11, sb.get("offered_incompatible_policy").asInt(), sb.toString());
            JsonNode sc = dds.readStats("arm_transient_local");
            assertTrue(sc.get("requested_incompatible_qos").asLong() >= 1, "the arm's command reader saw the "
                    + "VOLATILE writer: " + sc);
            assertEquals(2, sc.get("requested_incompatible_policy").asInt(), sc.toString());
            assertEquals(0, sc.get("commands").asLong());
        } finally {
            Ros2Harness.stop(wrongTypes);
            Ros2Harness.stop(bestEffort);
            Ros2Harness.stop(transientLocal);
        }
    }

    private static String message(IOException e) {
        assertNotNull(e, "connect must fail");
        return e.getMessage();
    }

    @Test
    void killingTheArmProcessStopsTheLoopWithinTheStalenessBound() throws Exception {
        Process arm = dds.startArm("arm_kill", 31, Map.of("q0", q0()));
        Ros2Link link = link(31, "state=/joint_states&command=/arm/command&joints=" + joints(), 15_000);
        try {
            link.connect();
            ReachTask task = new ReachTask("Reach-v1", ReachTask.DEFAULT_TARGET);
            double rate = 200;
            // 100 ms rather than Reach's 75 ms default: this machine runs other work on its two cores; the bound
            // checked below is the configured one
            double staleMillis = 100;
            Path file = dir.resolve("killed.h5");
            DeploymentRecorder rec = new DeploymentRecorder(file, task.observationDim(), task.actionDim(),
                    DatasetMetadata.of("Reach-v1", "test", null, null));
            ControlLoop loop = Fixtures.loop(link, task, TestPolicies.constant(task.observationDim(), new float[7]),
                    rate, 0, Fixtures.stale(staleMillis), rec, 0);
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
            Ros2Harness.kill(arm);
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
            System.out.printf(Locale.ROOT, "ros2 kill: %s %.1f ms after the kill%n", r.reason(), detectMillis);
            assertTrue(firstStop[0] > 0 && detectMillis <= staleMillis + 2 * 1000 / rate,
                    "the safe stop began " + detectMillis + " ms after the kill (bound " + staleMillis + " ms)");
        } finally {
            link.close();
            Ros2Harness.kill(arm);
        }
    }

    /**
     * One Reach-v2 episode over ROS 2 against a fresh arm on its own domain: the start pose and target of
     * {@code env.reset(seed)}, the control loop as {@code armature deploy} runs it; success as {@code armature
     * rollout} counts it; the command rate at the arm; end-to-end latency (state received by the bridge -> command
     * received by the arm) joined per state stamp on the shared clock. {@code overrides} null = the deploy defaults.
     */
    static Ros1DeployRosTest.Episode episode(Ros2Harness dds, Policy policy, long seed, int domain, double rateHz,
                                             String commandType, int decisions, SafetyConfig overrides)
            throws Exception {
        float[] obs0;
        double[] target;
        try (ReachEnv env = new ReachEnv(false, true)) {
            obs0 = env.reset(seed).observation();
            target = env.targetPosition();
        }
        StringBuilder q0 = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            q0.append(i > 0 ? "," : "").append(obs0[i]);
        }
        String name = "arm_ep" + seed + commandType.charAt(0) + domain;
        Process arm = dds.startArm(name, domain, Map.of("command-type", commandType, "q0", q0.toString()));
        Ros2Link link = new Ros2Link(Ros2Config.parse("ros2://" + domain + "?state=/joint_states&command=/arm/command"
                + "&type=" + commandType + "&joints=" + joints(), dds.dir, Map.of()), 7, 20_000);
        try {
            link.enableLatencyProbe(1 << 16);
            link.connect();
            double[] best = {Double.POSITIVE_INFINITY};
            double[] last = {Double.NaN};
            DecisionSink sink = (t, obs, raw, sent, reward, clipped, stop) -> {
                double dx = obs[14] - obs[17];
                double dy = obs[15] - obs[18];
                double dz = obs[16] - obs[19];
                double dist = Math.sqrt(dx * dx + dy * dy + dz * dz);
                best[0] = Math.min(best[0], dist);
                last[0] = dist;
            };
            SafetyConfig cfg = (overrides == null ? SafetyConfig.empty() : overrides).resolve(RobotModel.panda(),
                    1 / rateHz, 0.025);
            policy.reset(seed);
            ControlLoop loop = new ControlLoop(link, new ReachTask(ReachEnv.KINEMATIC_ID, target),
                    new InferenceEngine(policy), new SafetyLayer(RobotModel.panda(), cfg, 1 / rateHz),
                    ControlLoop.Config.of(rateHz, 0.025, decisions * 0.025, cfg.staleStateMillis()), sink);
            loop.start();
            ControlLoop.Result r = loop.await(60_000);
            long[][] probe = link.latencyProbe();
            link.close();
            Thread.sleep(300);
            JsonNode st = dds.readStats(name);
            Map<Long, Long> received = new HashMap<>();
            for (int i = 0; i < probe[0].length; i++) {
                received.putIfAbsent(probe[0][i], probe[1][i]);
            }
            JsonNode pairs = st.get("latency_pairs");
            double[] lat = new double[pairs.size()];
            int n = 0;
            for (JsonNode p : pairs) {
                Long at = received.get(p.get(0).asLong());
                if (at != null) {
                    lat[n++] = (p.get(1).asLong() - at) / 1e3;
                }
            }
            lat = Arrays.copyOf(lat, n);
            Arrays.sort(lat);
            long commands = st.get("commands").asLong();
            double span = st.get("last_command_wall").asDouble() - st.get("first_command_wall").asDouble();
            LatencyHistogram h = loop.endToEndHistogram();
            return new Ros1DeployRosTest.Episode(r.reason(), best[0] < ReachEnv.SUCCESS_DISTANCE, last[0],
                    (commands - 1) / span, commands, st.get("expired").asLong(), lat,
                    new double[]{h.percentileMicros(0.5), h.percentileMicros(0.99)});
        } finally {
            link.close();
            Ros2Harness.stop(arm);
        }
    }

    @Test
    void theExpertDrivesTheCycloneArmToItsTargetThroughRos2() throws Exception {
        // timing faults tolerated (a loaded CI machine must not stop this test; the kill test checks the stop)
        Ros1DeployRosTest.Episode e = episode(dds, ReachOverUdpBenchmark.expertPolicy(), 3, 41, 200,
                "JointTrajectory", 120, Fixtures.tolerant());
        System.out.printf(Locale.ROOT, "ros2 episode: %s success %s final distance %.3f m, %d commands at %.0f Hz at "
                        + "the arm, %d expired, e2e (bridge state receive -> arm command receive) p50 %.0f p99 %.0f "
                        + "us over %d, loop (state receive -> command sent) p50 %.0f p99 %.0f us%n", e.reason(),
                e.success(), e.finalDistance(), e.commands(), e.peerRateHz(), e.expired(), e.latencyPercentile(0.5),
                e.latencyPercentile(0.99), e.latencyMicros().length, e.loopEndToEndMicros()[0],
                e.loopEndToEndMicros()[1]);
        assertEquals(StopReason.COMPLETED, e.reason());
        assertTrue(e.success(), "the TCP came within 5 cm of the target (final distance " + e.finalDistance() + ")");
        assertTrue(e.peerRateHz() >= 100, "command rate at the arm " + e.peerRateHz());
        assertTrue(e.latencyMicros().length > 100, "latency samples joined: " + e.latencyMicros().length);
        assertTrue(e.latencyPercentile(0.5) > 0 && e.latencyPercentile(0.5) < 50_000,
                "median end-to-end latency " + e.latencyPercentile(0.5) + " us");
    }
}
