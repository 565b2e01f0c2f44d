package org.armature.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.armature.agents.data.OfflineDataset;
import org.armature.bridge.Deployments;
import org.armature.bridge.NetworkFaults;
import org.armature.bridge.ReachTask;
import org.armature.bridge.RobotServer;
import org.armature.bridge.SimulatedRobot;
import org.armature.offline.data.D4rlHdf5;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code deploy}, {@code emulator} and {@code dataset recover}: a sim:// deployment end to end, and bad input. */
@Timeout(120)
class BridgeCommandsTest {

    @Test
    void deployRunsAReachBundleOnTheSimLinkAndRecordsIt(@TempDir Path dir) throws Exception {
        CoreCommandsTest.Result r = CoreCommandsTest.run("train", "--algo", "sac", "--env", "Reach-v1", "--steps",
                "200", "--seed", "3", "--out", dir.toString(), "--set", "learning_starts=100", "--set",
                "batch_size=16", "--set", "eval_interval=0", "--set", "eval_episodes=1");
        assertEquals(0, r.code(), r.err());
        Path bundle;
        try (Stream<Path> s = Files.list(dir)) {
            bundle = s.filter(Files::isDirectory).findFirst().orElseThrow().resolve("bundle");
        }
        // timing faults tolerated: the CI machine is shared
        Path safety = dir.resolve("safety.json");
        Files.writeString(safety, "{\"staleStateMillis\": 2000, \"linkTimeoutMillis\": 4000, "
                + "\"missedDeadlinesInARow\": 100000}");
        Path rec = dir.resolve("deploy.h5");
        r = CoreCommandsTest.run("deploy", "--bundle", bundle.toString(), "--link", "sim://Reach-v1", "--rate", "200",
                "--duration", "1", "--safety", safety.toString(), "--record", rec.toString(), "--quiet");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("summary: COMPLETED"), r.out());
        assertTrue(r.out().contains("robot_unsafe_commands=0"), r.out());
        r = CoreCommandsTest.run("dataset", "info", rec.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("env_id             Reach-v1"), r.out());
        assertRewardsOfTheDeployment(D4rlHdf5.read(rec));

        // the same through the emulator over UDP: its states carry the rewards the recording keeps
        Path udpRec = dir.resolve("deploy-udp.h5");
        RobotServer emulator = new RobotServer(new SimulatedRobot(Deployments.twinFor("Reach-v1", null), 0,
                Deployments.robotFor("Reach-v1"), 1000), new InetSocketAddress("127.0.0.1", 0), null,
                NetworkFaults.NONE);
        try (emulator) {
            InetSocketAddress at = emulator.start();
            r = CoreCommandsTest.run("deploy", "--bundle", bundle.toString(), "--link",
                    "udp://127.0.0.1:" + at.getPort(), "--rate", "200", "--duration", "1", "--safety",
                    safety.toString(), "--record", udpRec.toString(), "--quiet");
        }
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("summary: COMPLETED"), r.out());
        assertRewardsOfTheDeployment(D4rlHdf5.read(udpRec));

        r = CoreCommandsTest.run("deploy", "--bundle", bundle.toString(), "--link", "sim://Reach-v1", "--rate", "20");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--rate must be between the policy's decision rate 40.0 Hz"), r.err());
        r = CoreCommandsTest.run("deploy", "--bundle", bundle.toString(), "--link", "sim://Hopper-v1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("trained on Reach-v1"), r.err());
        r = CoreCommandsTest.run("deploy", "--bundle", bundle.toString(), "--link", "udp://127.0.0.1:1",
                "--duration", "1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no answer from robot server 127.0.0.1:1"), r.err());
        // ros2:// links are parsed and checked against the task before any DDS traffic
        r = CoreCommandsTest.run("deploy", "--bundle", bundle.toString(), "--link",
                "ros2://0?state=/joint_states&command=/arm/command&joints=a,b", "--duration", "1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--link names 2 joints [a, b]; Reach-v1 has 7"), r.err());
        r = CoreCommandsTest.run("deploy", "--bundle", bundle.toString(), "--link",
                "ros2://robot?command=/arm/command&joints=a,b", "--duration", "1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("DOMAIN_ID a number"), r.err());
        Files.writeString(safety, "{\"stopMode\": \"brake\"}");
        r = CoreCommandsTest.run("deploy", "--bundle", bundle.toString(), "--link", "sim://Reach-v1", "--safety",
                safety.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("stopMode is 'brake'"), r.err());
        r = CoreCommandsTest.run("deploy", "--bundle", bundle.toString(), "--link", "sim://Reach-v1",
                "--print-safety");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"maxStepRadPerTick\""), r.out());
    }

    /**
     * Every row has the robot's reward, {@code infos/reward_present} true: Reach-v1's reward at the state the next
     * decision observed, minus the TCP's distance to the deployment's target (the emulator's Reach-v1 reads the TCP
     * from the simulated hand, the bridge from the forward kinematics: up to 13 mm apart).
     */
    /**
     * The engine runs any bundle: a chunked diffusion policy (inferred on its own thread), a residual one (a base and
     * a head) and a sequence one (J actions a decision).
     */
    @Test
    void diffusionResidualAndSequenceBundlesRunOnTheControlLoop(@TempDir Path dir) throws Exception {
        Path demos = dir.resolve("reach.h5");
        CoreCommandsTest.Result r = CoreCommandsTest.run("collect", "--env", "Reach-v1", "--policy", "expert",
                "--episodes", "3", "--seed", "100", "--out", demos.toString());
        assertEquals(0, r.code(), r.err());
        r = CoreCommandsTest.run("bc", "--policy", "diffusion", "--dataset", demos.toString(), "--env", "Reach-v1",
                "--steps", "40", "--seed", "1", "--run-dir", dir.resolve("diffusion").toString(), "--eval-every",
                "40", "--eval-episodes", "1", "--set", "batch_size=16", "--set", "hidden=16");
        assertEquals(0, r.code(), r.out() + r.err());
        r = CoreCommandsTest.run("residual", "--base", "expert", "--env", "ReachSparse-v1",
                "--steps", "300", "--seed", "1", "--run-dir", dir.resolve("res").toString(), "--set",
                "learning_starts=100", "--set", "batch_size=16", "--set", "residual.critic_warmup_updates=50",
                "--set", "eval_interval=0", "--set", "eval_episodes=1");
        assertEquals(0, r.code(), r.out() + r.err());
        r = CoreCommandsTest.run("train", "--algo", "srl", "--env", "Reach-v1", "--steps", "300", "--seed", "1",
                "--run-dir", dir.resolve("srl").toString(), "--set", "learning_starts=100", "--set", "batch_size=16",
                "--set", "sac.actor_hidden=[16]", "--set", "sac.critic_hidden=[16]", "--set",
                "sequence.model_hidden=[16]", "--set", "sequence.model_warmup_updates=10", "--set", "eval_interval=0",
                "--set", "eval_episodes=1");
        assertEquals(0, r.code(), r.out() + r.err());
        Path safety = dir.resolve("safety.json");
        Files.writeString(safety, "{\"staleStateMillis\": 2000, \"linkTimeoutMillis\": 4000, "
                + "\"missedDeadlinesInARow\": 100000}");
        for (String[] run : new String[][]{{"diffusion", "Reach-v1"}, {"res", "ReachSparse-v1"}, {"srl", "Reach-v1"}}) {
            r = CoreCommandsTest.run("deploy", "--bundle", dir.resolve(run[0]).resolve("bundle").toString(), "--link",
                    "sim://" + run[1], "--rate", "200", "--duration", "1", "--safety", safety.toString(), "--quiet");
            assertEquals(0, r.code(), run[0] + ": " + r.out() + r.err());
            assertTrue(r.out().contains("summary: COMPLETED"), r.out());
            assertTrue(r.out().contains("robot_unsafe_commands=0"), r.out());
            assertTrue(java.util.regex.Pattern.compile("ticks, [1-9][0-9]* decisions").matcher(r.out()).find(),
                    "the policy decided: " + r.out());
        }
    }

    private static void assertRewardsOfTheDeployment(OfflineDataset d) {
        assertTrue(d.size() >= 20, d.size() + " rows");
        boolean[] present = (boolean[]) d.infos().get("reward_present");
        int n = d.observationDim();
        for (int i = 0; i < d.size(); i++) {
            assertTrue(present[i], "row " + i + " has a reward");
            assertTrue(d.rewards()[i] < 0, "row " + i + ": minus a distance, " + d.rewards()[i]);
        }
        for (int i = 0; i + 1 < d.size(); i++) {
            double s = 0;
            for (int k = 0; k < 3; k++) {
                double e = d.observations()[(i + 1) * n + 14 + k] - d.observations()[(i + 1) * n + 17 + k];
                assertEquals((float) ReachTask.DEFAULT_TARGET[k], d.observations()[(i + 1) * n + 17 + k]);
                s += e * e;
            }
            assertEquals(-Math.sqrt(s), d.rewards()[i], 0.015, "row " + i);
        }
    }

    @Test
    void badInputIsOneLine(@TempDir Path dir) {
        CoreCommandsTest.Result r = CoreCommandsTest.run("deploy", "--bundle", dir.toString(), "--link", "x");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: ") && r.err().trim().lines().count() == 1, r.err());
        r = CoreCommandsTest.run("emulator", "--env", "Reach-v9");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("Reach-v9"), r.err());
        r = CoreCommandsTest.run("emulator", "--drop", "2", "--duration", "1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--drop must be a probability"), r.err());
        r = CoreCommandsTest.run("emulator", "--target", "0.4,0", "--duration", "1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("must be x,y,z in metres"), r.err());
        r = CoreCommandsTest.run("dataset", "recover", dir.resolve("none.h5").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("nothing to recover"), r.err());
        assertFalse(Files.exists(dir.resolve("none.h5")));
    }

    @Test
    void emulatorServesForItsDurationAndReports() {
        CoreCommandsTest.Result r = CoreCommandsTest.run("emulator", "--port", "0", "--duration", "0.5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("serving Reach-v1 on udp://127.0.0.1:"), r.out());
        assertTrue(r.out().contains("(target 0.450,0.000,0.400 m, watchdog 100 ms)"), r.out());
        assertTrue(r.out().contains("0 commands received, 0 accepted, 0 expired, 0 unsafe"), r.out());
    }
}
