package org.armature.bridge;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What the ROS 1 and ROS 2 links ({@link Ros1Link}, {@link Ros2Link}) share: the joint map checked against the task,
 * the freshest state handed to the loop through {@link StateExchange}, the command slot that {@link #send} fills and
 * the publisher thread drains (no allocation, no network I/O on the loop thread; the newest command wins), the wait
 * for a ready robot in {@code connect}, the counters and the latency probe.
 */
abstract class RosLink<C extends RosLink.Config> implements RobotLink {

    /** What both ROS link configurations name: the task's joints, the command's joint order and its type. */
    interface Config {
        String[] jointNames();

        String[] commandJoints();

        String commandType();

        /** Index in {@link #jointNames} of each command joint. */
        default int[] commandOrder() {
            int[] order = new int[commandJoints().length];
            for (int i = 0; i < order.length; i++) {
                order[i] = List.of(jointNames()).indexOf(commandJoints()[i]);
            }
            return order;
        }
    }

    final C cfg;
    final int dof;
    final long connectTimeoutMillis;
    final int[] commandOrder;
    private final StateExchange exchange;
    private final long wallOffsetNanos;

    volatile boolean closed;
    volatile String fault;
    volatile String lastError;
    volatile long stateTid = -1;

    // command publication
    private final JointCommand pending;
    private long pendingSeq;
    Thread commandThread;

    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    final AtomicLong published = new AtomicLong();
    final AtomicLong statesReceived = new AtomicLong();

    // latency probe: (state stamp, local wall-clock receive time) of recent states
    private volatile LatencyProbe probe;

    RosLink(C cfg, int dof, long connectTimeoutMillis) {
        if (cfg.jointNames().length != dof) {
            throw new IllegalArgumentException("the joint map names " + cfg.jointNames().length + " joints "
                    + List.of(cfg.jointNames()) + " but the task has " + dof);
        }
        this.cfg = cfg;
        this.dof = dof;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.exchange = new StateExchange(dof, 0);
        this.commandOrder = cfg.commandOrder();
        this.pending = new JointCommand(dof);
        Instant now = Instant.now();
        this.wallOffsetNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
    }

    /** Local wall-clock time (ns since the epoch; ROS time on a robot without simulated time) without allocating. */
    long wallNanos() {
        return System.nanoTime() + wallOffsetNanos;
    }

    /**
     * A trajectory command's header stamp: the measurement time of the state it answers, so that with
     * time_from_start = its expiry a robot drops the trajectory once stamp + time_from_start has passed. Hold
     * commands (safe stop) are stamped now, so they are not dropped because the state that triggered the stop is old.
     */
    long trajectoryStamp(JointCommand c) {
        return c.mode == JointCommand.Mode.POSITION ? c.stateRobotTimeNanos : wallNanos();
    }

    /**
     * Waits in {@code connect} until a state has arrived and a command subscriber is there; a fault ends the wait at
     * once, the timeout with {@link #notReady()}.
     */
    RobotInfo awaitReady() throws IOException {
        long deadline = System.nanoTime() + connectTimeoutMillis * 1_000_000L;
        RobotState latest = new RobotState(dof, 0);
        while (System.nanoTime() < deadline) {
            if (fault != null) {
                throw new IOException(fault);
            }
            if (exchange.read(latest) && commandSubscribers() > 0) {
                return new RobotInfo(dof, 0, new SecureRandom().nextLong() | 1);
            }
            LockSupport.parkNanos(2_000_000);
        }
        throw new IOException(notReady());
    }

    /** Subscribers of the command topic connected (ROS 1) or matched (ROS 2) now. */
    abstract int commandSubscribers();

    /** Why the robot was not ready within the connect timeout. */
    abstract String notReady();

    /** Receiver side: hands a parsed state received at local monotonic time {@code receiveNanos} to the loop. */
    void received(RobotState s, long receiveNanos) {
        exchange.publish(s, receiveNanos);
        statesReceived.incrementAndGet();
        LatencyProbe p = probe;
        if (p != null) {
            p.record(s.robotTimeNanos, receiveNanos + wallOffsetNanos);
        }
    }

    // ------------------------------------------------------------------------------------------ command publisher

    @Override
    public void send(JointCommand command) {
        if (closed) {
            return;
        }
        synchronized (pending) {
            pending.copyFrom(command);
            pendingSeq++;
        }
        sent.incrementAndGet();
        LockSupport.unpark(commandThread);
    }

    void startCommandPublisher(String threadName) {
        commandThread = daemon(this::publishCommands, threadName);
        commandThread.start();
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void publishCommands() {
        JointCommand c = new JointCommand(dof);
        long seenSeq = 0;
        while (!closed) {
            long seq;
            synchronized (pending) {
                seq = pendingSeq;
                if (seq != seenSeq) {
                    c.copyFrom(pending);
                }
            }
            if (seq == seenSeq) {
                LockSupport.park(this);
                continue;
            }
            if (seq - seenSeq > 1) {
                count("commands_superseded", seq - seenSeq - 1);
            }
            seenSeq = seq;
            publish(c);
        }
    }

    /** Publisher thread: puts one command (positions in the task's joint order) on the command topic. */
    abstract void publish(JointCommand c);

    // --------------------------------------------------------------------------------------------- RobotLink

    @Override
    public boolean readLatest(RobotState out) {
        return exchange.read(out);
    }

    @Override
    public long receiverThreadId() {
        return stateTid;
    }

    /**
     * Keeps (header stamp, local wall-clock receive time) of the last {@code capacity} states, to measure
     * end-to-end latency against a peer on the same clock; call before {@link #connect}.
     */
    public void enableLatencyProbe(int capacity) {
        probe = new LatencyProbe(capacity);
    }

    /** The kept (header stamp, local wall-clock receive time in ns) pairs, oldest first; empty without a probe. */
    public long[][] latencyProbe() {
        LatencyProbe p = probe;
        return p == null ? new long[2][0] : p.pairs();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("commands_sent", sent.get());
        m.put("commands_published", published.get());
        m.put("states_received", statesReceived.get());
        peerCounts(m);
        new TreeMap<>(counters).forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Adds the link's peers now connected or matched to {@link #counters()}. */
    abstract void peerCounts(Map<String, Long> m);

    void count(String name) {
        count(name, 1);
    }

    void count(String name, long n) {
        counters.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(n);
    }

    @Override
    public String toString() {
        return cfg.toString();
    }
}
