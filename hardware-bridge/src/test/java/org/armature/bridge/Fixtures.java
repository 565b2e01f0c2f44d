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
        return reachRobot(seed, SimulatedRobot.DEFAULT_WATCHDOG_MILLIS);
    }

    static SimulatedRobot reachRobot(long seed, double watchdogMillis) {
        return new SimulatedRobot(() -> Envs.make("Reach-v1"), seed, RobotModel.panda(), watchdogMillis);
    }

    static SafetyConfig safety(double rateHz, SafetyConfig overrides) {
        return overrides.resolve(RobotModel.panda(), 1 / rateHz, REACH_DT);
    }

    /** A safety config with everything default except the missed-deadline limit. */
    static SafetyConfig withMissedLimit(int k) {
        return new SafetyConfig(null, null, null, null, null, null, null, null, null, 1000.0, 2000.0, k, null, null,
                null);
    }

    /**
     * Defaults, except that timing faults are tolerated far beyond the defaults: tests that are not about timing
     * must not stop because the shared CI machine descheduled a thread for a few tens of milliseconds.
     */
    static SafetyConfig tolerant() {
        return new SafetyConfig(null, null, null, null, null, null, null, null, null, 1000.0, 2000.0, 1_000_000, null,
                null, null);
    }

    static ControlLoop loop(RobotLink link, Policy policy, double rateHz, double seconds, SafetyConfig overrides,
                            DecisionSink sink) {
        return loop(link, new ReachTask("Reach-v1", ReachTask.DEFAULT_TARGET), policy, rateHz, seconds, overrides,
                sink, 0);
    }

    static ControlLoop loop(RobotLink link, DeploymentTask task, Policy policy, double rateHz, double seconds,
                            SafetyConfig overrides, DecisionSink sink, double expiryMillis) {
        SafetyConfig cfg = safety(rateHz, overrides);
        return new ControlLoop(link, task, new InferenceEngine(policy),
                new SafetyLayer(RobotModel.panda(), cfg, 1 / rateHz),
                ControlLoop.Config.of(rateHz, REACH_DT, seconds,
                        expiryMillis > 0 ? expiryMillis : cfg.staleStateMillis()), sink);
    }

    /** Defaults with the staleness bound and the missed-deadline limit given. */
    static SafetyConfig stale(double staleMillis) {
        return new SafetyConfig(null, null, null, null, null, null, null, null, null, staleMillis, 2000.0, 1_000_000,
                null, null, null);
    }

    static Policy bundle(Path dir) throws java.io.IOException {
        TestBundles.mlp(dir, 20, 7, 256, REACH_DT, 7, 0.5f);
        return Policy.load(dir);
    }
}
