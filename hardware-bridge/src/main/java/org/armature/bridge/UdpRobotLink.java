package org.armature.bridge;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bridge's side of the UDP robot protocol ({@code udp://HOST:PORT}). {@link #connect} sends HELLO until the
 * server answers WELCOME with the session id; a receiver thread then validates every datagram (framing, version,
 * size, CRC, HMAC, source address, session, sequence) and keeps the freshest state, stamped with the local
 * monotonic clock at receive. A REJECT naming another session means the server restarted. Packets that fail a
 * check are dropped and counted per reason.
 */
public final class UdpRobotLink implements RobotLink {

    /** The receiver sends a heartbeat when no command was sent for this long (keeps the session while idle). */
    static final long HEARTBEAT_NANOS = 100_000_000L;

    private final InetSocketAddress server;
    private final int dof;
    private final int objects;
    private final byte[] key;
    private final long connectTimeoutMillis;
    private DatagramChannel channel;
    private final Protocol sendCodec;
    private final ByteBuffer sendBuf = ByteBuffer.allocate(Protocol.MAX_DATAGRAM);
    private long sendSeq;
    private volatile long session;
    private final StateExchange exchange;
    private volatile long receiverTid = -1;
    private Thread receiver;
    private volatile boolean closed;
    private volatile boolean sessionChanged;
    private volatile boolean failed;
    private volatile long lastSendNanos;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong statesReceived = new AtomicLong();
    private final AtomicLong rejects = new AtomicLong();
    private final Protocol.DropCounters drops = new Protocol.DropCounters();

    public UdpRobotLink(InetSocketAddress server, int dof, int objects, byte[] key, long connectTimeoutMillis) {
        this.server = server;
        this.dof = dof;
        this.objects = objects;
        this.key = key == null ? null : key.clone();
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.sendCodec = new Protocol(key);
        this.exchange = new StateExchange(dof, objects);
    }

    /** Parses {@code udp://HOST:PORT}. */
    public static InetSocketAddress parse(String uri) {
        String rest = uri.substring("udp://".length());
        int colon = rest.lastIndexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            throw new IllegalArgumentException("link '" + uri + "' must be udp://HOST:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(rest.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("link '" + uri + "': port must be a number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("link '" + uri + "': port must be 1-65535");
        }
        return new InetSocketAddress(rest.substring(0, colon), port);
    }

    @Override
    public RobotInfo connect() throws IOException {
        if (server.isUnresolved()) {
            throw new IOException("cannot resolve robot host " + server.getHostString());
        }
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress(server.getAddress().isLoopbackAddress()
                ? server.getAddress() : null, 0));
        channel.configureBlocking(false);
        long nonce = new SecureRandom().nextLong();
        ByteBuffer in = ByteBuffer.allocate(Protocol.MAX_DATAGRAM + 1);
        Protocol codec = new Protocol(key);
        long deadline = System.nanoTime() + connectTimeoutMillis * 1_000_000L;
        long nextHello = 0;
        while (System.nanoTime() < deadline) {
            if (System.nanoTime() >= nextHello) {
                codec.header(sendBuf, Protocol.HELLO, 0, ++sendSeq, System.nanoTime());
                sendBuf.putLong(nonce);
                codec.seal(sendBuf);
                channel.send(sendBuf, server);
                nextHello = System.nanoTime() + 100_000_000L;
            }
            in.clear();
            SocketAddress from = channel.receive(in);
            if (from == null) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                continue;
            }
            int len = in.position();
            Protocol.Drop d = codec.check(in, len);
            if (d == null && !server.equals(from)) {
                d = Protocol.Drop.FOREIGN_ADDRESS;
            }
            if (d != null) {
                drops.add(d);
                continue;
            }
            if (Protocol.type(in) == Protocol.REJECT) {
                rejects.incrementAndGet();
                if ((in.get(Protocol.HEADER) & 0xff) == Protocol.REJECT_BUSY) {
                    channel.close();
                    throw new IOException("robot server " + server + " is serving another client");
                }
                continue;
            }
            if (Protocol.type(in) != Protocol.WELCOME || Protocol.payloadLength(in) != 16
                    || in.getLong(Protocol.HEADER) != nonce) {
                continue; // states of an earlier session still in flight, or an answer to an older HELLO
            }
            int rdof = in.getShort(Protocol.HEADER + 8) & 0xffff;
            int robjects = in.getShort(Protocol.HEADER + 10) & 0xffff;
            if (rdof != dof || robjects != objects) {
                channel.close();
                throw new IOException("robot at " + server + " has " + rdof + " joints and " + robjects
                        + " objects; the task needs " + dof + " and " + objects);
            }
            session = Protocol.session(in);
            channel.configureBlocking(true);
            receiver = new Thread(this::receive, "armature-udp-receiver");
            receiver.setDaemon(true);
            receiver.start();
            return new RobotInfo(rdof, robjects, session);
        }
        channel.close();
        throw new IOException("no answer from robot server " + server.getHostString() + ":" + server.getPort()
                + " within " + connectTimeoutMillis + " ms (is `armature emulator` running"
                + (key != null ? " with the same --key-file" : "") + "?)");
    }

    private void receive() {
        receiverTid = ControlLoop.currentNativeThreadId();
        Protocol codec = new Protocol(key);
        ByteBuffer in = ByteBuffer.allocate(Protocol.MAX_DATAGRAM + 1);
        RobotState scratch = new RobotState(dof, objects);
        ByteBuffer hb = ByteBuffer.allocate(Protocol.MAX_DATAGRAM);
        Protocol hbCodec = new Protocol(key);
        long lastSeq = 0;
        Thread hbThread = new Thread(() -> {
            while (!closed) {
                java.util.concurrent.locks.LockSupport.parkNanos(HEARTBEAT_NANOS / 2);
                if (System.nanoTime() - lastSendNanos > HEARTBEAT_NANOS && !closed) {
                    synchronized (sendBuf) {
                        hbCodec.header(hb, Protocol.HEARTBEAT, session, ++sendSeq, System.nanoTime());
                        hbCodec.seal(hb);
                        try {
                            channel.send(hb, server);
                        } catch (IOException e) {
                            failed = !closed;
                        }
                    }
                }
            }
        }, "armature-udp-heartbeat");
        hbThread.setDaemon(true);
        hbThread.start();
        while (!closed) {
            in.clear();
            SocketAddress from;
            try {
                from = channel.receive(in);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    failed = true;
                }
                return;
            }
            long now = System.nanoTime();
            int len = in.position();
            Protocol.Drop d = codec.check(in, len);
            if (d == null && !server.equals(from)) {
                d = Protocol.Drop.FOREIGN_ADDRESS;
            }
            if (d == null) {
                int type = Protocol.type(in);
                long s = Protocol.session(in);
                if (type == Protocol.REJECT) {
                    rejects.incrementAndGet();
                    if (s != session) {
                        sessionChanged = true;
                    }
                    continue;
                }
                if (type != Protocol.STATE) {
                    d = type == Protocol.WELCOME ? Protocol.Drop.OLD_SEQUENCE : Protocol.Drop.UNEXPECTED_TYPE;
                } else if (s != session) {
                    d = Protocol.Drop.WRONG_SESSION;
                } else if (Protocol.sequence(in) <= lastSeq) {
                    d = Protocol.Drop.OLD_SEQUENCE;
                } else if (!Protocol.getState(in, scratch)) {
                    d = Protocol.Drop.MALFORMED;
                }
            }
            if (d != null) {
                drops.add(d);
                continue;
            }
            lastSeq = Protocol.sequence(in);
            exchange.publish(scratch, now);
            statesReceived.incrementAndGet();
        }
    }

    @Override
    public boolean readLatest(RobotState out) {
        return exchange.read(out);
    }

    @Override
    public long receiverThreadId() {
        return receiverTid;
    }

    @Override
    public void send(JointCommand command) {
        if (closed) {
            return;
        }
        synchronized (sendBuf) {
            sendCodec.header(sendBuf, Protocol.COMMAND, session, ++sendSeq, System.nanoTime());
            Protocol.putCommand(sendBuf, command);
            sendCodec.seal(sendBuf);
            try {
                channel.send(sendBuf, server);
                sent.incrementAndGet();
            } catch (IOException e) {
                failed = !closed;
            }
        }
        lastSendNanos = System.nanoTime();
    }

    @Override
    public Status status() {
        if (sessionChanged) {
            return Status.SESSION_CHANGED;
        }
        return failed || closed ? Status.LOST : Status.OK;
    }

    public long sessionId() {
        return session;
    }

    public Protocol.DropCounters drops() {
        return drops;
    }

    /** Local address of this link's socket (tests send foreign packets to it). */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("commands_sent", sent.get());
        m.put("states_received", statesReceived.get());
        m.put("rejects_received", rejects.get());
        drops.into(m);
        return m;
    }

    @Override
    public void close() {
        closed = true;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
