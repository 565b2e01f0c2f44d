package org.armature.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.armature.agents.Policy;
import org.armature.envs.tasks.manipulation.PandaKinematics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Faults inside the bridge (stalls, NaN actions, limits, far starts, operator stop) on the in-process sim link. */
@Timeout(40)
class SafetyFaultTest {

    @TempDir
    Path tmp;

    /** Records every command the loop sends (test only: allocates). */
    static final class Recorder implements ControlLoop.CommandObserver {
        final List<long[]> ticks = new ArrayList<>();
        final List<double[]> positions = new ArrayList<>();
        final List<JointCommand.Mode> modes = new ArrayList<>();
        final List<Boolean> stopping = new ArrayList<>();

        @Override
        public synchronized void onCommand(long tick, long sentNanos, JointCommand c, boolean stop) {
            ticks.add(new long[]{tick, sentNanos});
            positions.add(c.positionsRad.clone());
            modes.add(c.mode);
            stopping.add(stop);
        }
    }

    @Test
    void aStallIsCountedWithoutCatchUpBurstAndKMissesInARowStop() throws Exception {
        Policy p = Fixtures.bundle(tmp.resolve("b"));
        double rate = 500;
        long period = 2_000_000L;
        try (SimLink link = new SimLink(Fixtures.reachRobot(4))) {
            link.connect();
            // k = 1000: a 5 ms stall (2-3 slots at 500 Hz) is counted but does not stop
            ControlLoop loop = Fixtures.loop(link, p, rate, 0, Fixtures.withMissedLimit(1000), null);
            Recorder rec = new Recorder();
            loop.setCommandObserver(rec);
            loop.start();
            Thread.sleep(600);
            long missedBefore = loop.missedSlots();
            long stallAt = System.nanoTime();
            loop.injectStall(5_000_000L);
            Thread.sleep(300);
            assertTrue(loop.running());
            long missed = loop.missedSlots() - missedBefore;
            assertTrue(missed >= 2, "missed " + missed);
            loop.requestStop();
            assertNotNull(loop.await(5000));
            // no burst: after the stall the commands follow the grid, never two in one slot
            synchronized (rec) {
                long prevTick = -1;
                for (long[] t : rec.ticks) {
                    if (t[1] > stallAt && prevTick >= 0) {
                        assertTrue(t[0] > prevTick, "two commands for one slot");
                    }
                    prevTick = t[0];
                }
                // a catch-up burst would replay the 2-3 slots the stall missed on top of the window's own: at most
                // one command per slot of the window (+1 for its edges), whatever else the shared machine delays
                long after = rec.ticks.stream().filter(t -> t[1] > stallAt && t[1] < stallAt + 15 * period).count();
                assertTrue(after <= 15 + 1, after + " commands in the 15 slots after the stall began, "
                        + missed + " slots missed");
            }
        }
        try (SimLink link = new SimLink(Fixtures.reachRobot(4))) {
            link.connect();
            // k = 2: the same stall stops the robot
            ControlLoop loop = Fixtures.loop(link, p, rate, 0, Fixtures.withMissedLimit(2), null);
            loop.start();
            Thread.sleep(600);
            if (!loop.running()) {
                // the shared machine already stalled the loop for 2 slots: that is the behaviour under test
                assertEquals(StopReason.MISSED_DEADLINES, loop.await(1000).reason());
                return;
            }
            loop.injectStall(5_000_000L);
            ControlLoop.Result r = loop.await(5000);
            assertNotNull(r);
            assertEquals(StopReason.MISSED_DEADLINES, r.reason());
            assertEquals(r.stopDetectedTick(), r.firstStopCommandTick());
            assertEquals(0, link.robot().unsafeCommands());
        }
    }

    @Test
    void nanPolicyOutputStopsInTheSameTickAndDeceleratesWithinLimits() throws Exception {
        Policy p = TestPolicies.nanAfter(20, 7, 20);
        try (SimLink link = new SimLink(Fixtures.reachRobot(5))) {
            link.connect();
            ControlLoop loop = Fixtures.loop(link, p, 500, 0, Fixtures.tolerant(), null);
            Recorder rec = new Recorder();
            loop.setCommandObserver(rec);
            loop.start();
            ControlLoop.Result r = loop.await(10_000);
            assertNotNull(r);
            assertEquals(StopReason.NON_FINITE_ACTION, r.reason());
            assertEquals(r.stopDetectedTick(), r.firstStopCommandTick());
            assertEquals(0, link.robot().unsafeCommands(), link.counters().toString());
            SafetyConfig cfg = loop.safety().config();
            double dt = 1 / 500.0;
            synchronized (rec) {
                // every command finite; deceleration within the acceleration limits; ends in a hold
                double[] vPrev = new double[7];
                for (int k = 1; k < rec.positions.size(); k++) {
                    for (int i = 0; i < 7; i++) {
                        double q = rec.positions.get(k)[i];
                        assertTrue(Double.isFinite(q));
                        double v = (q - rec.positions.get(k - 1)[i]) / dt;
                        if (rec.stopping.get(k)) {
                            assertTrue(Math.abs(v - vPrev[i]) <= cfg.accelerationLimitRadPerSec2()[i] * dt * 1.0001
                                    + 1e-9, "deceleration beyond the limit at tick " + k);
                        }
                        vPrev[i] = v;
                    }
                }
                assertEquals(JointCommand.Mode.HOLD, rec.modes.get(rec.modes.size() - 1));
            }
            assertEquals(JointCommand.Mode.HOLD, link.robot().activeMode());
        }
    }

    @Test
    void commandsBeyondLimitsAreClippedAndCounted() throws Exception {
        // every joint pushed up at full speed against limits 0.03 rad above the start pose
        Policy p = TestPolicies.constant(20, filled(7, 1f));
        try (SimLink link = new SimLink(Fixtures.reachRobot(6))) {
            link.connect();
            RobotState s = new RobotState(7, 0);
            while (!link.readLatest(s)) {
                Thread.sleep(5);
            }
            double[] lo = new double[7];
            double[] hi = new double[7];
            for (int i = 0; i < 7; i++) {
                lo[i] = PandaKinematics.Q_LOWER[i];
                hi[i] = Math.min(PandaKinematics.Q_UPPER[i], s.positionsRad[i] + 0.03);
            }
            SafetyConfig tight = new SafetyConfig(lo, hi, null, null, null, null, null, null, 0.0, 1000.0, 2000.0,
                    1_000_000, 0.1, null, null);
            ControlLoop loop = Fixtures.loop(link, p, 500, 1.0, tight, null);
            loop.start();
            ControlLoop.Result r = loop.await(10_000);
            assertEquals(StopReason.COMPLETED, r.reason(), r.toString());
            assertTrue(loop.safety().clippedPosition() > 100, "position clips " + loop.safety().clippedPosition());
            link.robot().state(s);
            for (int i = 0; i < 7; i++) {
                assertTrue(s.positionsRad[i] <= hi[i] + 0.02, "joint " + i + " went to " + s.positionsRad[i]);
            }
            assertEquals(0, link.robot().unsafeCommands());
        }
    }

    @Test
    void aFarFirstActionIsRampedWithoutAJump() throws Exception {
        // a task whose targets are absolute and 1 rad away from where the arm starts
        ReachTask reach = new ReachTask("Reach-v1", ReachTask.DEFAULT_TARGET);
        DeploymentTask far = new DeploymentTask() {
            public String envId() {
                return reach.envId();
            }

            public int observationDim() {
                return reach.observationDim();
            }

            public int actionDim() {
                return reach.actionDim();
            }

            public int dof() {
                return reach.dof();
            }

            public void observation(RobotState state, float[] out) {
                reach.observation(state, out);
            }

            public void actionFor(RobotState state, double[] targets, float[] out) {
                reach.actionFor(state, targets, out);
            }

            @Override
            public void jointTargets(RobotState state, float[] action, double[] out) {
                for (int i = 0; i < 7; i++) {
                    out[i] = Math.max(PandaKinematics.Q_LOWER[i], Math.min(PandaKinematics.Q_UPPER[i],
                            PandaKinematics.Q_HOME[i] + (i == 3 ? 0.6 : 0.8)));
                }
            }
        };
        Policy p = TestPolicies.constant(20, filled(7, 0f));
        try (SimLink link = new SimLink(Fixtures.reachRobot(7))) {
            link.connect();
            ControlLoop loop = Fixtures.loop(link, far, p, 500, 0.5, Fixtures.tolerant(), null, 0);
            Recorder rec = new Recorder();
            loop.setCommandObserver(rec);
            RobotState s = new RobotState(7, 0);
            while (!link.readLatest(s)) {
                Thread.sleep(5);
            }
            loop.start();
            ControlLoop.Result r = loop.await(10_000);
            assertEquals(StopReason.COMPLETED, r.reason());
            SafetyConfig cfg = loop.safety().config();
            synchronized (rec) {
                double[] first = rec.positions.get(0);
                for (int i = 0; i < 7; i++) {
                    assertTrue(Math.abs(first[i] - s.positionsRad[i]) < 0.01, "first command jumps on joint " + i);
                }
                for (int k = 1; k < rec.positions.size(); k++) {
                    for (int i = 0; i < 7; i++) {
                        double step = Math.abs(rec.positions.get(k)[i] - rec.positions.get(k - 1)[i]);
                        assertTrue(step <= cfg.maxStepRadPerTick()[i] + 1e-12, "step " + step + " at " + k);
                    }
                }
            }
            assertTrue(loop.safety().softStartTicks() > 0);
            assertEquals(0, link.robot().unsafeCommands());
        }
    }

    @Test
    void operatorStopIsASafeStop() throws Exception {
        Policy p = Fixtures.bundle(tmp.resolve("b"));
        try (SimLink link = new SimLink(Fixtures.reachRobot(8))) {
            link.connect();
            ControlLoop loop = Fixtures.loop(link, p, 500, 0, Fixtures.tolerant(), null);
            loop.start();
            Thread.sleep(500);
            loop.requestStop();
            ControlLoop.Result r = loop.await(5000);
            assertEquals(StopReason.OPERATOR_STOP, r.reason());
            assertEquals(r.stopDetectedTick(), r.firstStopCommandTick());
            assertEquals(JointCommand.Mode.HOLD, link.robot().activeMode());
            assertEquals(0, link.robot().unsafeCommands());
        }
    }

    @Test
    void safetyConfigFillsDefaultsAndRejectsBadFiles() throws Exception {
        SafetyConfig d = SafetyConfig.defaults(RobotModel.panda(), 0.001, 0.025);
        assertEquals(0.002175, d.maxStepRadPerTick()[0], 1e-12);
        assertEquals(75.0, d.staleStateMillis(), 1e-9); // 3 decision periods of 25 ms, above the 50 ms floor
        assertEquals("hold", d.stopMode());
        Path f = tmp.resolve("s.json");
        java.nio.file.Files.writeString(f, "{\"velocityLimitRadPerSec\": [1, 2]}");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SafetyConfig.load(f).resolve(RobotModel.panda(), 0.001, 0.025));
        assertTrue(e.getMessage().contains("velocityLimitRadPerSec has 2 values, expected 7"), e.getMessage());
        java.nio.file.Files.writeString(f, "{\"maxStepRad\": 1}");
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SafetyConfig.load(f));
        assertTrue(e.getMessage().contains("maxStepRad"), e.getMessage());
        java.nio.file.Files.writeString(f, d.toJson());
        assertEquals(d.toJson(), SafetyConfig.load(f).resolve(RobotModel.panda(), 0.001, 0.025).toJson());
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void policyExceptionNonFiniteStateAndStateBeyondLimitsAreSafeStops() throws Exception {
        // a policy that throws on its 10th decision after reset (warm-up ends with reset)
        Policy throwing = new Policy() {
            int calls = -1_000_000_000;

            @Override
            public float[] act(float[] observation) {
                return new float[7];
            }

            @Override
            public void act(float[] observation, float[] out) {
                if (++calls == 10) {
                    throw new IllegalStateException("injected");
                }
                java.util.Arrays.fill(out, 0f);
            }

            @Override
            public void reset(long seed) {
                calls = 0;
            }

            @Override
            public int observationDim() {
                return 20;
            }

            @Override
            public int actionDim() {
                return 7;
            }
        };
        try (SimLink link = new SimLink(Fixtures.reachRobot(11))) {
            link.connect();
            ControlLoop loop = Fixtures.loop(link, throwing, 500, 0, Fixtures.tolerant(), null);
            loop.start();
            ControlLoop.Result r = loop.await(10_000);
            assertEquals(StopReason.POLICY_ERROR, r.reason());
            assertEquals(9, r.decisions());
            assertEquals(r.stopDetectedTick(), r.firstStopCommandTick());
            assertEquals(0, link.robot().unsafeCommands());
        }
        // a policy that fails during warm-up: the loop ends before sending anything
        try (SimLink link = new SimLink(Fixtures.reachRobot(11))) {
            link.connect();
            Policy broken = new Policy() {
                public float[] act(float[] o) {
                    throw new IllegalStateException("broken bundle");
                }

                public int observationDim() {
                    return 20;
                }

                public int actionDim() {
                    return 7;
                }
            };
            ControlLoop loop = Fixtures.loop(link, broken, 500, 0, Fixtures.tolerant(), null);
            loop.start();
            ControlLoop.Result r = loop.await(10_000);
            assertEquals(StopReason.POLICY_ERROR, r.reason());
            assertEquals(0, r.ticks());
            assertTrue(loop.failure().getMessage().contains("broken bundle"));
            assertEquals(0, link.robot().commandsReceived());
        }
        // a link whose states turn NaN after 0.3 s (a broken encoder)
        try (SimLink inner = new SimLink(Fixtures.reachRobot(12))) {
            inner.connect();
            long t0 = System.nanoTime();
            RobotLink nanAfter = new RobotLink() {
                public RobotInfo connect() {
                    return new RobotInfo(7, 0, 1);
                }

                public boolean readLatest(RobotState out) {
                    boolean ok = inner.readLatest(out);
                    if (ok && System.nanoTime() - t0 > 300_000_000L) {
                        out.velocitiesRadPerSec[2] = Double.NaN;
                    }
                    return ok;
                }

                public void send(JointCommand c) {
                    inner.send(c);
                }

                public Status status() {
                    return inner.status();
                }

                public java.util.Map<String, Long> counters() {
                    return inner.counters();
                }

                public void close() {
                }
            };
            ControlLoop loop = Fixtures.loop(nanAfter, TestPolicies.constant(20, new float[7]), 500, 0,
                    Fixtures.tolerant(), null);
            loop.start();
            ControlLoop.Result r = loop.await(10_000);
            assertEquals(StopReason.NON_FINITE_STATE, r.reason());
            assertEquals(r.stopDetectedTick(), r.firstStopCommandTick());
            assertEquals(0, inner.robot().unsafeCommands());
        }
        // limits that the measured pose is already beyond (by more than the margin)
        try (SimLink link = new SimLink(Fixtures.reachRobot(13))) {
            link.connect();
            RobotState s = new RobotState(7, 0);
            while (!link.readLatest(s)) {
                Thread.sleep(5);
            }
            double[] lo = PandaKinematics.Q_LOWER.clone();
            double[] hi = PandaKinematics.Q_UPPER.clone();
            hi[0] = s.positionsRad[0] - 0.2;
            lo[0] = Math.min(lo[0], hi[0] - 0.1);
            SafetyConfig bad = new SafetyConfig(lo, hi, null, null, null, null, null, null, null, 1000.0, 2000.0,
                    1_000_000, null, null, null);
            ControlLoop loop = Fixtures.loop(link, TestPolicies.constant(20, new float[7]), 500, 0, bad, null);
            loop.start();
            ControlLoop.Result r = loop.await(10_000);
            assertEquals(StopReason.STATE_LIMIT, r.reason());
            assertEquals(r.stopDetectedTick(), r.firstStopCommandTick());
        }
    }
}
