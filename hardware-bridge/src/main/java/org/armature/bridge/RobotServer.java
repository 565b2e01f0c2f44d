package org.armature.bridge;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The robot's side of the UDP protocol, serving a {@link SimulatedRobot} ({@code armature emulator}): answers HELLO
 * with a fresh random session id, streams a STATE after every physics step to the session's client, validates
 * every datagram (framing, version, size, CRC, HMAC, source address, session, sequence), passes commands to the
 * robot (which drops expired ones, runs the watchdog and counts unsafe commands), answers a packet of an unknown
 * session with REJECT (so a bridge learns that the server restarted), and injects {@link NetworkFaults}.
 *
 * <p>One client at a time: a HELLO from another address is refused while the current client is active (it sent
 * something within {@link #CLIENT_IDLE_NANOS}).
 */
public final class RobotServer implements AutoCloseable {

    static final long CLIENT_IDLE_NANOS = 2_000_000_000L;
    /** A reordered datagram is held back this long (plus the latency): behind the next 240 Hz state or 100 Hz+ command. */
    static final double REORDER_HOLD_MILLIS = 10;

    private final SimulatedRobot robot;
    private final InetSocketAddress bind;
    private final byte[] key;
    private volatile NetworkFaults faults;
    private DatagramChannel channel;
    private final SecureRandom random = new SecureRandom();
    private final SplittableRandom faultRng;
    private final Protocol.DropCounters drops = new Protocol.DropCounters();
    private final AtomicLong statesSent = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong injectedDrops = new AtomicLong();
    private final AtomicLong injectedCorruptions = new AtomicLong();
    private final AtomicLong injectedReorders = new AtomicLong();

    private volatile long session;
    private volatile InetSocketAddress client;
    private volatile long clientLastSeenNanos;
    private long lastClientSeq;
    private long sendSeq;
    private final Protocol stateCodec;
    private final ByteBuffer stateBuf = ByteBuffer.allocate(Protocol.MAX_DATAGRAM);
    private final PriorityQueue<Delayed> delayed = new PriorityQueue<>();
    private long delayedOrder;
    private volatile boolean frozen;
    private volatile boolean crashed;
    private volatile boolean closed;
    private long startNanos;
    private Thread receiver;
    private Thread sender;

    private record Delayed(long releaseNanos, long order, byte[] data, SocketAddress to, boolean incoming)
            implements Comparable<Delayed> {
        @Override
        public int compareTo(Delayed o) {
            int c = Long.compare(releaseNanos, o.releaseNanos);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    public RobotServer(SimulatedRobot robot, InetSocketAddress bind, byte[] key, NetworkFaults faults) {
        this.robot = robot;
        this.bind = bind;
        this.key = key == null ? null : key.clone();
        this.faults = faults;
        this.faultRng = new SplittableRandom(faults.seed());
        this.stateCodec = new Protocol(key);
        this.rx = new Protocol(key);
    }

    /** Starts the robot and the server threads; returns the bound address. */
    public InetSocketAddress start() throws IOException {
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.bind(bind);
        robot.setListener(this::onState);
        robot.start();
        startNanos = System.nanoTime();
        receiver = new Thread(this::receive, "armature-emulator-receiver");
        receiver.setDaemon(true);
        receiver.start();
        sender = new Thread(this::releaseDelayed, "armature-emulator-faults");
        sender.setDaemon(true);
        sender.start();
        return (InetSocketAddress) channel.getLocalAddress();
    }

    public SimulatedRobot robot() {
        return robot;
    }

    /** Changes the injected network faults while running (drop bursts, latency spikes). */
    public void setFaults(NetworkFaults f) {
        faults = f;
    }

    /** Fault injection: the server stops answering from now on. */
    public void freeze() {
        frozen = true;
    }

    /** Fault injection: the server dies now (socket closed, robot thread stopped). */
    public void crash() {
        crashed = true;
        close();
    }

    public boolean crashed() {
        return crashed;
    }

    private void checkScheduledFaults() {
        double t = (System.nanoTime() - startNanos) / 1e9;
        if (faults.freezeAfterSeconds() > 0 && t >= faults.freezeAfterSeconds() && !frozen) {
            frozen = true;
        }
        if (faults.crashAfterSeconds() > 0 && t >= faults.crashAfterSeconds() && !crashed) {
            crash();
        }
    }

    private void onState(RobotState s) {
        checkScheduledFaults();
        InetSocketAddress c = client;
        if (c == null || frozen || closed) {
            return;
        }
        if (System.nanoTime() - clientLastSeenNanos > CLIENT_IDLE_NANOS) {
            client = null; // the client went away: stop streaming
            return;
        }
        stateCodec.header(stateBuf, Protocol.STATE, session, ++sendSeq, s.robotTimeNanos);
        Protocol.putState(stateBuf, s);
        stateCodec.seal(stateBuf);
        emit(stateBuf, c);
        statesSent.incrementAndGet();
    }

    /** Sends through the fault injector. */
    private void emit(ByteBuffer b, SocketAddress to) {
        if (!faults.any()) {
            sendNow(b, to);
            return;
        }
        byte[] data = new byte[b.remaining()];
        b.get(data);
        inject(data, to, false);
    }

    private void inject(byte[] data, SocketAddress to, boolean incoming) {
        synchronized (delayed) {
            if (faultRng.nextDouble() < faults.dropProbability()) {
                injectedDrops.incrementAndGet();
                return;
            }
            if (faultRng.nextDouble() < faults.corruptProbability()) {
                int i = faultRng.nextInt(data.length);
                data[i] ^= (byte) (1 << faultRng.nextInt(8));
                injectedCorruptions.incrementAndGet();
            }
            double ms = faults.latencyMillis();
            if (faults.jitterMillis() > 0) {
                ms += faultRng.nextDouble(-faults.jitterMillis(), faults.jitterMillis());
            }
            if (faultRng.nextDouble() < faults.reorderProbability()) {
                ms += REORDER_HOLD_MILLIS + faults.latencyMillis();
                injectedReorders.incrementAndGet();
            }
            long release = System.nanoTime() + (long) (Math.max(0, ms) * 1e6);
            delayed.add(new Delayed(release, delayedOrder++, data, to, incoming));
            delayed.notifyAll();
        }
    }

    private void releaseDelayed() {
        ByteBuffer b = ByteBuffer.allocate(Protocol.MAX_DATAGRAM + 1);
        while (!closed) {
            Delayed d;
            synchronized (delayed) {
                d = delayed.peek();
                long now = System.nanoTime();
                if (d == null || d.releaseNanos() > now) {
                    try {
                        long wait = d == null ? 5_000_000L : d.releaseNanos() - now;
                        delayed.wait(wait / 1_000_000L, (int) (wait % 1_000_000L));
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                delayed.poll();
            }
            if (d.incoming()) {
                b.clear();
                b.put(d.data());
                handle(b, d.data().length, d.to());
            } else {
                sendNow(ByteBuffer.wrap(d.data()), d.to());
            }
        }
    }

    private void sendNow(ByteBuffer b, SocketAddress to) {
        synchronized (sendLock) {
            if (closed) {
                return;
            }
            try {
                channel.send(b, to);
            } catch (IOException e) {
                // the client's port may be gone; UDP has no connection to lose
            }
        }
    }

    private volatile long receiverTid = -1;

    /** Linux thread ids of the robot's physics thread and the server's receiver thread (-1 when unknown). */
    public long[] threadIds() {
        return new long[]{robot.threadId(), receiverTid};
    }

    private void receive() {
        receiverTid = ControlLoop.currentNativeThreadId();
        ByteBuffer in = ByteBuffer.allocate(Protocol.MAX_DATAGRAM + 1);
        while (!closed) {
            in.clear();
            SocketAddress from;
            try {
                from = channel.receive(in);
            } catch (IOException e) {
                return;
            }
            checkScheduledFaults();
            if (frozen || from == null) {
                continue;
            }
            int len = in.position();
            if (faults.any()) {
                byte[] data = new byte[len];
                System.arraycopy(in.array(), 0, data, 0, len);
                inject(data, from, true);
            } else {
                handle(in, len, from);
            }
        }
    }

    private final Protocol rx;
    private JointCommand cmd;
    // lock order: handleLock -> robot -> sendLock (the robot thread calls onState holding the robot's lock)
    private final Object handleLock = new Object();
    private final Object sendLock = new Object();
    private final ByteBuffer reply = ByteBuffer.allocate(Protocol.MAX_DATAGRAM);

    /** Validates and handles one datagram (receiver or fault thread; serialised). */
    private void handle(ByteBuffer in, int len, SocketAddress fromAddr) {
        synchronized (handleLock) {
            handleLocked(in, len, fromAddr);
        }
    }

    private void handleLocked(ByteBuffer in, int len, SocketAddress fromAddr) {
        if (frozen || closed) {
            return;
        }
        Protocol.Drop d = rx.check(in, len);
        if (d != null) {
            drops.add(d);
            return;
        }
        InetSocketAddress from = (InetSocketAddress) fromAddr;
        int type = Protocol.type(in);
        long now = System.nanoTime();
        if (type == Protocol.HELLO) {
            if (Protocol.payloadLength(in) != 8) {
                drops.add(Protocol.Drop.MALFORMED);
                return;
            }
            InetSocketAddress c = client;
            if (c != null && !c.equals(from) && now - clientLastSeenNanos < CLIENT_IDLE_NANOS) {
                drops.add(Protocol.Drop.FOREIGN_ADDRESS);
                sendReject(from, Protocol.REJECT_BUSY);
                return;
            }
            long nonce = in.getLong(Protocol.HEADER);
            long s;
            do {
                s = random.nextLong();
            } while (s == 0);
            session = s;
            client = from;
            clientLastSeenNanos = now;
            lastClientSeq = Protocol.sequence(in);
            sendSeq = 0;
            sessions.incrementAndGet();
            robot.newSession();
            rx.header(reply, Protocol.WELCOME, session, ++sendSeq, now);
            reply.putLong(nonce).putShort((short) robot.dof()).putShort((short) 0)
                    .putInt((int) SimulatedRobot.DEFAULT_WATCHDOG_MILLIS);
            rx.seal(reply);
            emit(reply, from);
            return;
        }
        InetSocketAddress c = client;
        if (c == null || Protocol.session(in) != session) {
            drops.add(Protocol.Drop.WRONG_SESSION);
            sendReject(from, Protocol.REJECT_UNKNOWN_SESSION);
            return;
        }
        if (!c.equals(from)) {
            drops.add(Protocol.Drop.FOREIGN_ADDRESS);
            return;
        }
        if (Protocol.sequence(in) <= lastClientSeq) {
            drops.add(Protocol.Drop.OLD_SEQUENCE);
            return;
        }
        if (type == Protocol.HEARTBEAT) {
            lastClientSeq = Protocol.sequence(in);
            clientLastSeenNanos = now;
            return;
        }
        if (type != Protocol.COMMAND) {
            drops.add(Protocol.Drop.UNEXPECTED_TYPE);
            return;
        }
        if (cmd == null) {
            cmd = new JointCommand(robot.dof());
        }
        if (!Protocol.getCommand(in, cmd)) {
            drops.add(Protocol.Drop.MALFORMED);
            return;
        }
        lastClientSeq = Protocol.sequence(in);
        clientLastSeenNanos = now;
        if (!robot.command(cmd, now)) {
            drops.add(Protocol.Drop.EXPIRED);
        }
    }

    private void sendReject(InetSocketAddress to, int reason) {
        rx.header(reply, Protocol.REJECT, session, ++sendSeq, System.nanoTime());
        reply.put((byte) reason).put((byte) 0).putShort((short) 0);
        rx.seal(reply);
        emit(reply, to);
    }

    public long session() {
        return session;
    }

    public Protocol.DropCounters drops() {
        return drops;
    }

    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("sessions", sessions.get());
        m.put("states_sent", statesSent.get());
        m.put("commands_received", robot.commandsReceived());
        m.put("commands_accepted", robot.commandsAccepted());
        m.put("commands_expired", robot.commandsExpired());
        m.put("unsafe_commands", robot.unsafeCommands());
        m.put("watchdog_stops", robot.watchdogStops());
        m.put("injected_drops", injectedDrops.get());
        m.put("injected_corruptions", injectedCorruptions.get());
        m.put("injected_reorders", injectedReorders.get());
        drops.into(m);
        return m;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (sendLock) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // closing
            }
        }
        synchronized (delayed) {
            delayed.notifyAll();
        }
        robot.close();
    }
}
