package org.armature.bridge;

import java.nio.file.Path;

import org.armature.agents.Policy;
import org.armature.envs.Envs;

/** Builders shared by the tests: a simulated Reach robot, a task, a loop. */
final class Fixtures {

    static final double REACH_DT = 0.025;

    private Fixtures() {
    }

    static SimulatedRobot reachRobot(long seed) {
        return new SimulatedRobot(() -> Envs.make("Reach-v1"), seed, RobotModel.panda(),
                SimulatedRobot.DEFAULT_WATCHDOG_MILLIS);
    }

    static SafetyConfig safety(double rateHz, SafetyConfig overrides) {
        return overrides.resolve(RobotModel.panda(), 1 / rateHz, REACH_DT);
    }

    /** A safety config with everything default except the missed-deadline limit. */
    static SafetyConfig withMissedLimit(int k) {
        return new SafetyConfig(null, null, null, null, null, null, null, null, null, null, null, k, null, null, null);
    }

    static ControlLoop loop(RobotLink link, Policy policy, double rateHz, double seconds, SafetyConfig overrides,
                            DecisionSink sink) {
        SafetyConfig cfg = safety(rateHz, overrides);
        return new ControlLoop(link, new ReachTask("Reach-v1", ReachTask.DEFAULT_TARGET), new InferenceEngine(policy),
                new SafetyLayer(RobotModel.panda(), cfg, 1 / rateHz),
                ControlLoop.Config.of(rateHz, REACH_DT, seconds, cfg.staleStateMillis()), sink);
    }

    static Policy bundle(Path dir) throws java.io.IOException {
        TestBundles.mlp(dir, 20, 7, 256, REACH_DT, 7, 0.5f);
        return Policy.load(dir);
    }
}
