package org.armature.bridge;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;

import org.armature.agents.Policy;
import org.armature.envs.Envs;
import org.armature.envs.tasks.manipulation.ReachEnv;
import org.junit.jupiter.api.Test;

/**
 * End to end (a benchmark, not a CI test: run with {@code -Dtest=ReachOverUdpBenchmark -Dbundle=DIR}): a Reach-v2
 * policy drives the emulated arm over UDP on loopback, one emulator session per episode (start pose and target
 * from the episode's seed, as {@code env.reset(seed)} draws them), 150 decisions (3.75 s) per episode, success =
 * the TCP within 5 cm of the target at some decision (as {@code armature rollout} counts it), for each added
 * one-way latency in {@code -Dlatencies=0,5,10,20}.
 */
class ReachOverUdpBenchmark {

    static Policy expertPolicy() {
        org.armature.envs.experts.Expert e = org.armature.envs.experts.Experts.make(ReachEnv.KINEMATIC_ID, 0, 0);
        return new Policy() {
            @Override
            public float[] act(float[] observation) {
                return e.act(observation);
            }

            @Override
            public void reset(long seed) {
                e.reset(seed);
            }

            @Override
            public int observationDim() {
                return ReachEnv.OBS_DIM;
            }

            @Override
            public int actionDim() {
                return 7;
            }
        };
    }

    @Test
    void successRateOverUdp() throws Exception {
        String spec = System.getProperty("bundle");
        int episodes = Integer.getInteger("episodes", 20);
        long seed0 = Long.getLong("seed", 0);
        double rate = Double.parseDouble(System.getProperty("rate", "500"));
        String[] lat = System.getProperty("latencies", "0,5,10,20").split(",");
        // -Dbundle=expert: the scripted ReachExpert (noise-free) as a reference policy
        Policy policy = spec.equals("expert") ? expertPolicy() : Policy.load(Path.of(spec));
        for (String l : lat) {
            double latencyMs = Double.parseDouble(l);
            int successes = 0;
            int stops = 0;
            java.util.Map<StopReason, Integer> reasons = new java.util.EnumMap<>(StopReason.class);
            long unsafe = 0;
            for (int ep = 0; ep < episodes; ep++) {
                long seed = seed0 + ep;
                double[] target;
                try (ReachEnv env = new ReachEnv(false, true)) {
                    env.reset(seed);
                    target = env.targetPosition();
                }
                SimulatedRobot robot = new SimulatedRobot(() -> Envs.make(ReachEnv.KINEMATIC_ID), seed,
                        RobotModel.panda(), SimulatedRobot.DEFAULT_WATCHDOG_MILLIS);
                NetworkFaults faults = NetworkFaults.NONE.withLatency(latencyMs, 0);
                try (RobotServer server = new RobotServer(robot, new InetSocketAddress("127.0.0.1", 0), null, faults)) {
                    InetSocketAddress at = server.start();
                    try (UdpRobotLink link = new UdpRobotLink(at, 7, 0, null, 2000)) {
                        link.connect();
                        boolean[] success = {false};
                        DecisionSink sink = (t, obs, raw, sent, reward, clipped, stop) -> {
                            double dx = obs[14] - obs[17];
                            double dy = obs[15] - obs[18];
                            double dz = obs[16] - obs[19];
                            if (Math.sqrt(dx * dx + dy * dy + dz * dz) < ReachEnv.SUCCESS_DISTANCE) {
                                success[0] = true;
                            }
                        };
                        SafetyConfig cfg = SafetyConfig.empty().resolve(RobotModel.panda(), 1 / rate, 0.025);
                        policy.reset(seed);
                        ControlLoop loop = new ControlLoop(link, new ReachTask(ReachEnv.KINEMATIC_ID, target),
                                new InferenceEngine(policy), new SafetyLayer(RobotModel.panda(), cfg, 1 / rate),
                                ControlLoop.Config.of(rate, 0.025, 150 * 0.025, cfg.staleStateMillis()), sink);
                        loop.start();
                        ControlLoop.Result r = loop.await(30_000);
                        if (r.reason() != StopReason.COMPLETED) {
                            stops++;
                            reasons.merge(r.reason(), 1, Integer::sum);
                        }
                        if (success[0]) {
                            successes++;
                        }
                    }
                    unsafe += robot.unsafeCommands();
                    if (robot.firstUnsafe() != null) {
                        System.out.println("BENCH unsafe in episode " + ep + ": " + robot.firstUnsafe());
                    }
                }
            }
            System.out.printf(Locale.ROOT, "BENCH reach-udp " + spec + " latency %.0f ms: success %d/%d (%.0f%%), safe stops %d, "
                    + "unsafe commands %d %s%n", latencyMs, successes, episodes, 100.0 * successes / episodes, stops,
                    unsafe, reasons);
        }
    }
}
