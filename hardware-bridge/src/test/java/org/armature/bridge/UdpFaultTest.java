package org.armature.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.Set;

import org.armature.agents.Policy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fault of the UDP link, against the emulator on loopback: each ends in a safe stop that starts in the tick
 * that detected it, or in the packets being dropped and counted; the robot never receives an unsafe command.
 */
@org.junit.jupiter.api.Timeout(30)
class UdpFaultTest {

    static final double RATE = 250;
    static final Set<StopReason> TIMING_STOPS = Set.of(StopReason.STALE_STATE, StopReason.LINK_LOST);

    @TempDir
    Path tmp;
    Policy policy;
    RobotServer server;
    UdpRobotLink link;

    @BeforeEach
    void setUp() throws IOException {
        policy = Fixtures.bundle(tmp.resolve("b"));
    }

    @AfterEach
    void tearDown() {
        if (link != null) {
            link.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * A robot server whose robot-side watchdog waits 1 s: tests of the bridge's own fault handling must not end in
     * the robot's watchdog because the shared machine descheduled a thread (the watchdog's own test uses the default).
     */
    InetSocketAddress startServer(NetworkFaults faults, int port, byte[] key) throws IOException {
        return startServer(faults, port, key, 1000);
    }

    InetSocketAddress startServer(NetworkFaults faults, int port, byte[] key, double watchdogMillis)
            throws IOException {
        server = new RobotServer(Fixtures.reachRobot(3, watchdogMillis), new InetSocketAddress("127.0.0.1", port), key,
                faults);
        return server.start();
    }

    ControlLoop connect(InetSocketAddress at, double seconds, SafetyConfig safety, byte[] key) throws IOException {
        link = new UdpRobotLink(at, 7, 0, key, 2000);
        link.connect();
        return Fixtures.loop(link, policy, RATE, seconds, safety, null);
    }

    static ControlLoop.Result run(ControlLoop loop) throws InterruptedException {
        loop.start();
        ControlLoop.Result r = loop.await(20_000);
        assertNotNull(r, "the loop did not end");
        return r;
    }

    /** The safe stop began in the tick that detected the fault. */
    static void stoppedWithinOneTick(ControlLoop.Result r) {
        assertTrue(r.reason().isFault(), r.toString());
        assertEquals(r.stopDetectedTick(), r.firstStopCommandTick(), r.toString());
    }

    void noUnsafeCommands() {
        assertEquals(0, server.robot().unsafeCommands(), server.counters().toString());
    }

    @Test
    void cleanRunCompletesWithNothingDropped() throws Exception {
        InetSocketAddress at = startServer(NetworkFaults.NONE, 0, null);
        ControlLoop.Result r = run(connect(at, 1.0, Fixtures.stale(200), null));
        assertEquals(StopReason.COMPLETED, r.reason(), r.toString());
        assertTrue(server.robot().commandsAccepted() > 150, server.counters().toString());
        assertEquals(0, link.drops().total(), link.counters().toString());
        assertEquals(0, server.drops().total(), server.counters().toString());
        noUnsafeCommands();
    }

    @Test
    void hmacAuthenticatedSessionWorksAndAWrongKeyIsDropped() throws Exception {
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes();
        InetSocketAddress at = startServer(NetworkFaults.NONE, 0, key);
        ControlLoop.Result r = run(connect(at, 0.5, Fixtures.stale(200), key));
        assertEquals(StopReason.COMPLETED, r.reason(), r.toString());
        noUnsafeCommands();
        UdpRobotLink wrong = new UdpRobotLink(at, 7, 0, "fedcba9876543210fedcba9876543210".getBytes(), 300);
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, wrong::connect);
        assertTrue(e.getMessage().contains("no answer"), e.getMessage());
        assertTrue(server.drops().get(Protocol.Drop.HMAC) > 0, server.counters().toString());
    }

    @Test
    void shortDropBurstIsRiddenThroughLongOneStopsTheRobot() throws Exception {
        InetSocketAddress at = startServer(NetworkFaults.NONE, 0, null);
        ControlLoop loop = connect(at, 0, Fixtures.stale(150), null);
        loop.start();
        Thread.sleep(400);
        server.setFaults(NetworkFaults.NONE.withDrop(1.0)); // 40 ms burst: shorter than the staleness bound
        Thread.sleep(40);
        server.setFaults(NetworkFaults.NONE);
        Thread.sleep(300);
        assertTrue(loop.running(), "a 40 ms burst must not stop the loop");
        server.setFaults(NetworkFaults.NONE.withDrop(1.0)); // a long burst
        ControlLoop.Result r = loop.await(5000);
        assertNotNull(r);
        assertTrue(TIMING_STOPS.contains(r.reason()), r.toString());
        stoppedWithinOneTick(r);
        noUnsafeCommands();
    }

    @Test
    void latencySpikeBeyondTheBoundStops() throws Exception {
        InetSocketAddress at = startServer(NetworkFaults.NONE, 0, null);
        ControlLoop loop = connect(at, 0, Fixtures.stale(100), null);
        loop.start();
        Thread.sleep(400);
        assertTrue(loop.running());
        server.setFaults(NetworkFaults.NONE.withLatency(300, 0));
        ControlLoop.Result r = loop.await(5000);
        assertNotNull(r);
        assertTrue(TIMING_STOPS.contains(r.reason()), r.toString());
        stoppedWithinOneTick(r);
        noUnsafeCommands();
    }

    @Test
    void frozenServerStops() throws Exception {
        InetSocketAddress at = startServer(NetworkFaults.NONE, 0, null);
        ControlLoop loop = connect(at, 0, Fixtures.stale(100), null);
        loop.start();
        Thread.sleep(400);
        server.freeze();
        ControlLoop.Result r = loop.await(5000);
        assertNotNull(r);
        assertTrue(TIMING_STOPS.contains(r.reason()), r.toString());
        stoppedWithinOneTick(r);
        noUnsafeCommands();
    }

    @Test
    void killedServerStops() throws Exception {
        InetSocketAddress at = startServer(new NetworkFaults(0, 0, 0, 0, 0, 0, 0.5, 1), 0, null);
        ControlLoop.Result r = run(connect(at, 0, Fixtures.stale(100), null));
        assertTrue(server.crashed());
        assertTrue(TIMING_STOPS.contains(r.reason()), r.toString());
        stoppedWithinOneTick(r);
        noUnsafeCommands();
    }

    @Test
    void restartedServerIsANewSessionAndStops() throws Exception {
        InetSocketAddress at = startServer(NetworkFaults.NONE, 0, null);
        // staleness is generous here so that the restart itself is what stops the loop
        ControlLoop loop = connect(at, 0, Fixtures.stale(5000), null);
        loop.start();
        Thread.sleep(400);
        long oldSession = server.session();
        SimulatedRobot first = server.robot();
        server.crash();
        assertEquals(0, first.unsafeCommands());
        startServer(NetworkFaults.NONE, at.getPort(), null);
        ControlLoop.Result r = loop.await(10_000);
        assertNotNull(r);
        assertEquals(StopReason.SESSION_CHANGED, r.reason(), r.toString());
        stoppedWithinOneTick(r);
        assertTrue(server.drops().get(Protocol.Drop.WRONG_SESSION) > 0, server.counters().toString());
        assertTrue(server.session() == 0 || server.session() != oldSession);
        assertEquals(0, server.robot().commandsAccepted(), "the new server must not execute old-session commands");
    }

    @Test
    void frozenBridgeIsStoppedByTheRobotsWatchdog() throws Exception {
        InetSocketAddress at = startServer(NetworkFaults.NONE, 0, null, SimulatedRobot.DEFAULT_WATCHDOG_MILLIS);
        ControlLoop loop = connect(at, 0, Fixtures.stale(5000), null);
        loop.start();
        Thread.sleep(400);
        loop.injectStall(400_000_000L); // the bridge's JVM pauses for 400 ms
        long t0 = System.nanoTime();
        while (!server.robot().watchdogStopped() && System.nanoTime() - t0 < 2_000_000_000L) {
            Thread.sleep(5);
        }
        assertTrue(server.robot().watchdogStopped(), "the robot-side watchdog did not stop the robot");
        assertEquals(JointCommand.Mode.HOLD, server.robot().activeMode());
        ControlLoop.Result r = loop.await(5000);
        assertNotNull(r);
        assertTrue(r.reason() == StopReason.ROBOT_STOPPED || r.reason() == StopReason.MISSED_DEADLINES,
                r.toString());
        noUnsafeCommands();
    }

    @Test
    void corruptedPacketsAreDroppedAndCounted() throws Exception {
        InetSocketAddress at = startServer(NetworkFaults.NONE.withCorrupt(0.2), 0, null);
        ControlLoop.Result r = run(connect(at, 1.0, Fixtures.stale(200), null));
        assertEquals(StopReason.COMPLETED, r.reason(), r.toString());
        long bad = link.drops().get(Protocol.Drop.CRC) + link.drops().get(Protocol.Drop.MALFORMED)
                + link.drops().get(Protocol.Drop.VERSION);
        long badServer = server.drops().get(Protocol.Drop.CRC) + server.drops().get(Protocol.Drop.MALFORMED)
                + server.drops().get(Protocol.Drop.VERSION);
        assertTrue(bad > 0 && badServer > 0, link.counters() + " " + server.counters());
        noUnsafeCommands();
    }

    @Test
    void oversizedAndForeignPacketsAreDroppedAndCounted() throws Exception {
        InetSocketAddress at = startServer(NetworkFaults.NONE, 0, null);
        ControlLoop loop = connect(at, 1.0, Fixtures.stale(200), null);
        loop.start();
        Thread.sleep(300);
        try (DatagramChannel rogue = DatagramChannel.open(StandardProtocolFamily.INET)) {
            rogue.bind(new InetSocketAddress("127.0.0.1", 0));
            Protocol codec = new Protocol(null);
            ByteBuffer b = ByteBuffer.allocate(Protocol.MAX_DATAGRAM);
            // a well-formed command of the right session, from the wrong address: jumps the arm by 1 rad
            JointCommand evil = new JointCommand(7);
            java.util.Arrays.fill(evil.positionsRad, 1.0);
            evil.periodMicros = 4000;
            evil.expiryMicros = Integer.MAX_VALUE;
            codec.header(b, Protocol.COMMAND, server.session(), Long.MAX_VALUE / 2, System.nanoTime());
            Protocol.putCommand(b, evil);
            codec.seal(b);
            rogue.send(b, at);
            // a well-formed state of the right session to the bridge, from the wrong address
            RobotState fake = new RobotState(7, 0);
            codec.header(b, Protocol.STATE, link.sessionId(), Long.MAX_VALUE / 2, System.nanoTime());
            Protocol.putState(b, fake);
            codec.seal(b);
            rogue.send(b, link.localAddress());
            ByteBuffer big = ByteBuffer.allocate(1500);
            rogue.send(big, at);
            big.clear();
            rogue.send(big, link.localAddress());
        }
        ControlLoop.Result r = loop.await(5000);
        assertEquals(StopReason.COMPLETED, r.reason(), r.toString());
        assertEquals(1, server.drops().get(Protocol.Drop.FOREIGN_ADDRESS), server.counters().toString());
        assertEquals(1, link.drops().get(Protocol.Drop.FOREIGN_ADDRESS), link.counters().toString());
        assertEquals(1, server.drops().get(Protocol.Drop.OVERSIZED), server.counters().toString());
        assertEquals(1, link.drops().get(Protocol.Drop.OVERSIZED), link.counters().toString());
        noUnsafeCommands();
    }

    @Test
    void replayedPacketsAreDroppedAndCounted() throws Exception {
        InetSocketAddress at = startServer(NetworkFaults.NONE, 0, null);
        try (UdpProxy proxy = new UdpProxy(at)) {
            ControlLoop loop = connect(proxy.address(), 1.0, Fixtures.stale(200), null);
            loop.start();
            Thread.sleep(300);
            for (int i = 0; i < 5; i++) {
                proxy.replay();
                Thread.sleep(20);
            }
            ControlLoop.Result r = loop.await(5000);
            assertEquals(StopReason.COMPLETED, r.reason(), r.toString());
        }
        assertTrue(server.drops().get(Protocol.Drop.OLD_SEQUENCE) >= 5, server.counters().toString());
        assertTrue(link.drops().get(Protocol.Drop.OLD_SEQUENCE) >= 5, link.counters().toString());
        noUnsafeCommands();
    }

    @Test
    void outOfOrderPacketsAreDroppedAndCounted() throws Exception {
        InetSocketAddress at = startServer(NetworkFaults.NONE.withReorder(0.2), 0, null);
        ControlLoop.Result r = run(connect(at, 1.0, Fixtures.stale(200), null));
        assertEquals(StopReason.COMPLETED, r.reason(), r.toString());
        assertTrue(server.drops().get(Protocol.Drop.OLD_SEQUENCE) > 0, server.counters().toString());
        assertTrue(link.drops().get(Protocol.Drop.OLD_SEQUENCE) > 0, link.counters().toString());
        noUnsafeCommands();
    }

    @Test
    void expiredCommandsAreDroppedByTheRobot() throws Exception {
        // 30 ms each way, commands valid for 20 ms after the state they answer: every command arrives expired
        InetSocketAddress at = startServer(NetworkFaults.NONE.withLatency(30, 0), 0, null);
        link = new UdpRobotLink(at, 7, 0, null, 2000);
        link.connect();
        ControlLoop loop = Fixtures.loop(link, new ReachTask("Reach-v1", ReachTask.DEFAULT_TARGET), policy, RATE,
                0.6, Fixtures.stale(500), null, 20);
        ControlLoop.Result r = run(loop);
        assertEquals(StopReason.COMPLETED, r.reason(), r.toString());
        assertTrue(server.drops().get(Protocol.Drop.EXPIRED) > 50, server.counters().toString());
        assertEquals(server.robot().commandsReceived() - server.robot().commandsExpired(),
                server.robot().commandsAccepted());
        noUnsafeCommands();
    }
}
