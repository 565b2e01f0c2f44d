package org.armature.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.armature.agents.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlLoopTest {

    @TempDir
    Path tmp;

    @Test
    void runsTwoRatesAgainstTheSimulatedArmAndStopsWhenDone() throws Exception {
        Policy p = Fixtures.bundle(tmp.resolve("b"));
        try (SimLink link = new SimLink(Fixtures.reachRobot(1))) {
            link.connect();
            ControlLoop loop = Fixtures.loop(link, p, 500, 1.0, SafetyConfig.empty(), null);
            loop.start();
            ControlLoop.Result r = loop.await(10_000);
            assertEquals(StopReason.COMPLETED, r.reason());
            // 1 s at 40 Hz decisions, 500 Hz commands
            assertTrue(Math.abs(r.decisions() - 40) <= 1, "decisions " + r.decisions());
            assertTrue(r.ticks() >= 500, "ticks " + r.ticks());
            assertEquals(0, link.robot().unsafeCommands());
            assertTrue(link.robot().commandsAccepted() >= 400, link.counters().toString());
            assertEquals(JointCommand.Mode.HOLD, link.robot().activeMode());
        }
    }

    @Test
    void theLoopThreadAllocatesNothingOver10000Ticks() throws Exception {
        Policy p = Fixtures.bundle(tmp.resolve("b"));
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        AtomicLong before = new AtomicLong(-1);
        AtomicLong after = new AtomicLong(-1);
        // the first few thousand ticks run while the JIT compiles the loop (on-stack replacement can materialise
        // scalar-replaced objects once); measure the steady state after that
        long from = 8000;
        long to = from + 10_000;
        try (SimLink link = new SimLink(Fixtures.reachRobot(2))) {
            link.connect();
            // 5 kHz so that 18,000 ticks take 3.6 s; misses are tolerated here (this test is about allocation)
            ControlLoop loop = Fixtures.loop(link, p, 5000, 0, Fixtures.withMissedLimit(1_000_000), null);
            loop.setCommandObserver((tick, sent, cmd, stopping) -> {
                if (before.get() < 0 && tick >= from) {
                    before.set(mx.getCurrentThreadAllocatedBytes());
                } else if (after.get() < 0 && tick >= to) {
                    after.set(mx.getCurrentThreadAllocatedBytes());
                }
            });
            loop.start();
            long deadline = System.currentTimeMillis() + 20_000;
            while (after.get() < 0 && System.currentTimeMillis() < deadline && loop.running()) {
                Thread.sleep(20);
            }
            loop.requestStop();
            ControlLoop.Result r = loop.await(5000);
            assertTrue(after.get() >= 0, "the loop did not reach tick " + to + ": " + r);
            assertTrue(loop.ticks() - loop.missedSlots() >= 10_000);
            assertEquals(0, after.get() - before.get(), "bytes allocated by the loop thread in 10,000 ticks");
        }
    }
}
