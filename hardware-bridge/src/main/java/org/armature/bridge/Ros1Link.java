package org.armature.bridge;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A ROS 1 node in plain Java ({@code ros1://MASTER?state=...&command=...&joints=...}, {@link Ros1Config}): it
 * subscribes {@code sensor_msgs/JointState} on the state topic and publishes joint position targets as
 * {@code trajectory_msgs/JointTrajectory} or {@code std_msgs/Float64MultiArray} on the command topic.
 *
 * <p><b>Protocol.</b> The master's XML-RPC API registers the node as subscriber and publisher; the node serves the
 * slave API ({@code requestTopic}, {@code publisherUpdate}, {@code shutdown}, {@code getPid}, bus info) over
 * XML-RPC ({@link XmlRpc}: no DTDs or entities, capped sizes) and TCPROS ({@link Tcpros}) for the topics: the
 * subscriber asks the state publisher for a TCPROS endpoint, connects, exchanges connection headers and checks the
 * publisher's md5sum and type; the publisher side answers a subscriber whose md5sum or type differs with an
 * {@code error} header and drops it (md5 {@code *}, as {@code rostopic} sends, is accepted).
 *
 * <p><b>Failures.</b> A state connection that cannot be made is retried with exponential back-off (50 ms to 2 s) —
 * also for publishers that register after this node (the master's {@code publisherUpdate}). Once the control loop
 * runs, a closed state connection, or the last command subscriber leaving, is {@link Status#LOST}; a second
 * publisher on the state topic, or a {@code shutdown} request (e.g. another node started under this node's name),
 * is {@link Status#FAULT} — both start the safe stop, with the cause in {@link #statusDetail()}. Each state is
 * stamped with the local monotonic clock at receive, so a robot that goes silent trips the safety layer's
 * stale-state stop.
 *
 * <p><b>Threads.</b> {@link #send} copies the command into a slot and wakes the publisher thread (no allocation, no
 * network I/O on the loop thread; the newest command wins); the state thread parses into a scratch state and hands
 * it over through {@link StateExchange}.
 */
public final class Ros1Link extends RosLink<Ros1Config> {

    private static final long BACKOFF_MIN_NANOS = 50_000_000L;
    private static final long BACKOFF_MAX_NANOS = 2_000_000_000L;
    private static final int XMLRPC_TIMEOUT_MILLIS = 2000;
    private static final int MAX_JOINTS_PER_MESSAGE = 4096;

    private final String stateMd5 = RosMessages.JOINT_STATE_MD5;
    private final String commandMd5;
    private final byte[][] commandJointNames;

    private HttpServer slave;
    private ExecutorService slaveExecutor;
    private ServerSocket tcprosServer;
    private String slaveUri;

    // state subscription
    private final Object publisherMonitor = new Object();
    private volatile String statePublisher;
    private volatile Socket stateSocket;
    private volatile boolean stateConnected;
    private volatile boolean stateEverConnected;
    private volatile String stateLostDetail;
    private Thread stateThread;

    // command publication (publisher thread): the message is written into one preallocated buffer
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean subscriberEverConnected;
    private final boolean trajectory;
    private final double[] ordered;
    private final int size;
    private final ByteBuffer message;
    private long msgSeq;

    /** A connected subscriber of the command topic. */
    private record Subscriber(String callerId, Socket socket, OutputStream out) {
    }

    public Ros1Link(Ros1Config cfg, int dof, long connectTimeoutMillis) {
        super(cfg, dof, connectTimeoutMillis);
        this.commandMd5 = RosMessages.md5(cfg.commandType());
        this.commandJointNames = new byte[dof][];
        for (int i = 0; i < dof; i++) {
            commandJointNames[i] = cfg.commandJoints()[i].getBytes(StandardCharsets.UTF_8);
        }
        this.trajectory = cfg.commandType().equals(RosMessages.JOINT_TRAJECTORY);
        this.ordered = new double[dof];
        this.size = 4 + (trajectory ? RosMessages.jointTrajectorySize(commandJointNames)
                : RosMessages.float64MultiArraySize(dof));
        this.message = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    // ---------------------------------------------------------------------------------------------------- connect

    @Override
    public RobotInfo connect() throws IOException {
        try {
            InetAddress bind = InetAddress.getByName(cfg.advertisedHost());
            tcprosServer = new ServerSocket();
            tcprosServer.bind(new InetSocketAddress(bind, 0));
            Thread accept = daemon(this::acceptSubscribers, "armature-ros1-tcpros-accept");
            slaveExecutor = Executors.newFixedThreadPool(2, r -> daemon(r, "armature-ros1-xmlrpc"));
            slave = HttpServer.create(new InetSocketAddress(bind, 0), 16);
            slave.createContext("/", this::serveSlaveApi);
            slave.setExecutor(slaveExecutor);
            slave.start();
            slaveUri = "http://" + cfg.advertisedHost() + ":" + slave.getAddress().getPort() + "/";
            stateThread = daemon(this::subscribeState, "armature-ros1-state-subscriber");
            accept.start();
            startCommandPublisher("armature-ros1-command-publisher");
            stateThread.start();

            List<?> subs = masterCall("registerPublisher", cfg.commandTopic(), cfg.commandType(), slaveUri);
            List<?> pubs = masterCall("registerSubscriber", cfg.stateTopic(), RosMessages.JOINT_STATE, slaveUri);
            updatePublishers(pubs);
            return awaitReady();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    int commandSubscribers() {
        return subscribers.size();
    }

    @Override
    String notReady() {
        StringBuilder why = new StringBuilder("ROS 1 robot not ready within " + connectTimeoutMillis + " ms:");
        if (statesReceived.get() == 0) {
            why.append(" no ").append(RosMessages.JOINT_STATE).append(" on ").append(cfg.stateTopic())
                    .append(statePublisher == null ? " (no publisher registered at the master)"
                            : " from publisher " + statePublisher);
        }
        if (subscribers.isEmpty()) {
            why.append(statesReceived.get() == 0 ? ";" : "").append(" no subscriber on ")
                    .append(cfg.commandTopic()).append(" (").append(cfg.commandType()).append(") connected");
        }
        if (lastError != null) {
            why.append("; last error: ").append(lastError);
        }
        return why.toString();
    }

    private List<?> masterCall(String method, Object... args) throws IOException {
        Object[] params = new Object[args.length + 1];
        params[0] = cfg.nodeName();
        System.arraycopy(args, 0, params, 1, args.length);
        Object r;
        try {
            r = XmlRpc.call(cfg.masterUri(), XMLRPC_TIMEOUT_MILLIS, method, params);
        } catch (XmlRpc.XmlRpcException e) {
            throw new IOException("ROS master " + cfg.masterUri() + " " + method + ": " + e.getMessage());
        } catch (IOException e) {
            throw new IOException("cannot reach the ROS master at " + cfg.masterUri() + " (" + e.getMessage()
                    + "); is rosmaster/roscore running and the link's host:port its ROS_MASTER_URI?");
        }
        return resultValue(r, "ROS master " + method);
    }

    /** Checks an API result {@code [code, message, value]} (code 1 = success) and returns the value as a list. */
    private static List<?> resultValue(Object r, String what) throws IOException {
        if (!(r instanceof List<?> l) || l.size() != 3 || !(l.get(0) instanceof Integer code)) {
            throw new IOException(what + ": malformed answer " + clip(r));
        }
        if (code != 1) {
            throw new IOException(what + " failed: " + clip(l.get(1)));
        }
        if (!(l.get(2) instanceof List<?> v)) {
            throw new IOException(what + ": expected a list, got " + clip(l.get(2)));
        }
        return v;
    }

    private static String clip(Object o) {
        String s = String.valueOf(o);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    // ----------------------------------------------------------------------------------------------- slave API

    private void serveSlaveApi(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = ex.getRequestBody().readNBytes(XmlRpc.MAX_BODY_BYTES + 1);
            byte[] answer;
            if (body.length > XmlRpc.MAX_BODY_BYTES) {
                count("xmlrpc_refused");
                ex.sendResponseHeaders(413, -1);
                return;
            }
            try {
                XmlRpc.Call call = XmlRpc.parseRequest(body);
                answer = XmlRpc.response(dispatch(call));
            } catch (XmlRpc.XmlRpcException e) {
                count("xmlrpc_refused");
                answer = XmlRpc.fault(-1, e.getMessage());
            } catch (IllegalArgumentException e) {
                answer = XmlRpc.fault(-1, e.getMessage());
            }
            ex.getResponseHeaders().set("Content-Type", "text/xml");
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
        }
    }

    private Object dispatch(XmlRpc.Call c) {
        List<Object> p = c.params();
        String caller = !p.isEmpty() && p.get(0) instanceof String s ? s : "?";
        count("xmlrpc_calls");
        switch (c.method()) {
            case "getPid":
                return List.of(1, "", (int) ProcessHandle.current().pid());
            case "getMasterUri":
                return List.of(1, "", cfg.masterUri());
            case "getSubscriptions":
                return List.of(1, "", List.of(List.of(cfg.stateTopic(), RosMessages.JOINT_STATE)));
            case "getPublications":
                return List.of(1, "", List.of(List.of(cfg.commandTopic(), cfg.commandType())));
            case "getBusStats":
                return List.of(1, "", List.of(List.of(), List.of(), List.of()));
            case "getBusInfo": {
                List<Object> info = new ArrayList<>();
                int id = 0;
                String pub = statePublisher;
                if (stateConnected && pub != null) {
                    info.add(List.of(id++, pub, "i", "TCPROS", cfg.stateTopic(), true));
                }
                for (Subscriber s : subscribers) {
                    info.add(List.of(id++, s.callerId(), "o", "TCPROS", cfg.commandTopic(), true));
                }
                return List.of(1, "", info);
            }
            case "paramUpdate":
                return List.of(1, "", 0);
            case "shutdown": {
                String msg = p.size() > 1 ? String.valueOf(p.get(1)) : "";
                fault = "ROS node " + cfg.nodeName() + " was asked to shut down by " + caller
                        + (msg.isEmpty() ? "" : " (" + clip(msg) + ")");
                return List.of(1, "", 0);
            }
            case "publisherUpdate": {
                if (p.size() != 3 || !(p.get(1) instanceof String topic) || !(p.get(2) instanceof List<?> pubs)) {
                    return List.of(-1, "publisherUpdate(caller_id, topic, publishers)", 0);
                }
                if (topic.equals(cfg.stateTopic())) {
                    updatePublishers(pubs);
                }
                return List.of(1, "", 0);
            }
            case "requestTopic": {
                if (p.size() != 3 || !(p.get(1) instanceof String topic) || !(p.get(2) instanceof List<?> protos)) {
                    return List.of(-1, "requestTopic(caller_id, topic, protocols)", List.of());
                }
                if (!topic.equals(cfg.commandTopic())) {
                    return List.of(-1, cfg.nodeName() + " does not publish " + topic, List.of());
                }
                for (Object proto : protos) {
                    if (proto instanceof List<?> l && !l.isEmpty() && "TCPROS".equals(l.get(0))) {
                        return List.of(1, "ready on " + cfg.advertisedHost() + ":" + tcprosServer.getLocalPort(),
                                List.of("TCPROS", cfg.advertisedHost(), tcprosServer.getLocalPort()));
                    }
                }
                return List.of(0, "no supported protocol (only TCPROS)", List.of());
            }
            default:
                throw new IllegalArgumentException("unknown method " + c.method());
        }
    }

    /** The state topic's publishers as the master lists them: more than one is a fault. */
    private void updatePublishers(List<?> uris) {
        LinkedHashSet<String> set = new LinkedHashSet<>();
        for (Object o : uris) {
            if (o instanceof String s) {
                set.add(s);
            }
        }
        synchronized (publisherMonitor) {
            if (set.size() > 1) {
                fault = "a second publisher appeared on the state topic " + cfg.stateTopic() + ": " + set
                        + " (two sources of robot state are never merged)";
                statePublisher = null;
            } else {
                String next = set.isEmpty() ? null : set.iterator().next();
                if (!Objects.equals(next, statePublisher)) {
                    statePublisher = next;
                    Socket s = stateSocket;
                    if (s != null && next != null) {
                        closeQuietly(s); // a new publisher replaced the old one: reconnect
                    }
                }
            }
            publisherMonitor.notifyAll();
        }
    }

    // ------------------------------------------------------------------------------------------ state subscriber

    private void subscribeState() {
        stateTid = ControlLoop.currentNativeThreadId();
        byte[] buf = new byte[cfg.maxMessageBytes()];
        ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        RobotState scratch = new RobotState(dof, 0);
        RosMessages.JointStateParser parser = new RosMessages.JointStateParser(cfg.jointNames(),
                MAX_JOINTS_PER_MESSAGE);
        long backoff = BACKOFF_MIN_NANOS;
        while (!closed) {
            String pub;
            synchronized (publisherMonitor) {
                pub = statePublisher;
                if (pub == null) {
                    try {
                        publisherMonitor.wait(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
            }
            Socket s = null;
            try {
                InetSocketAddress at = requestTcpros(pub);
                s = new Socket();
                s.connect(at, XMLRPC_TIMEOUT_MILLIS);
                s.setTcpNoDelay(true);
                s.setSoTimeout(XMLRPC_TIMEOUT_MILLIS);
                OutputStream out = s.getOutputStream();
                Map<String, String> h = new LinkedHashMap<>();
                h.put("callerid", cfg.nodeName());
                h.put("topic", cfg.stateTopic());
                h.put("md5sum", stateMd5);
                h.put("type", RosMessages.JOINT_STATE);
                h.put("message_definition", RosMessages.fullDefinition(RosMessages.JOINT_STATE));
                h.put("tcp_nodelay", "1");
                out.write(Tcpros.encodeHeader(h));
                out.flush();
                InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
                Map<String, String> reply = Tcpros.readHeader(in, Tcpros.MAX_HEADER_BYTES);
                if (reply.containsKey("error")) {
                    String err = reply.get("error");
                    String lower = err.toLowerCase(java.util.Locale.ROOT);
                    // rospy: "topic types do not match: [A] vs. [B]"; roscpp: "... datatype/md5sum [A/x], but our
                    // version has [B/y] ..."
                    boolean md5 = lower.contains("md5") || lower.contains("type");
                    count(md5 ? "md5_mismatch" : "handshake_errors");
                    throw new IOException((md5 ? "md5 mismatch: " : "") + "state publisher " + pub + " on "
                            + cfg.stateTopic() + " refused our " + RosMessages.JOINT_STATE + " (md5 " + stateMd5
                            + "): " + clip(err));
                }
                String md5 = reply.get("md5sum");
                String type = reply.get("type");
                if (!stateMd5.equals(md5) || !RosMessages.JOINT_STATE.equals(type)) {
                    count("md5_mismatch");
                    throw new IOException("md5 mismatch: state publisher " + pub + " sends " + type + " (md5 " + md5
                            + ") on " + cfg.stateTopic() + ", expected " + RosMessages.JOINT_STATE + " (md5 "
                            + stateMd5 + ")");
                }
                s.setSoTimeout(0); // silence is judged by the control loop's staleness check, not here
                stateSocket = s;
                if (closed || !pub.equals(statePublisher)) {
                    continue;
                }
                stateConnected = true;
                stateEverConnected = true;
                count("state_connections");
                backoff = BACKOFF_MIN_NANOS;
                while (!closed) {
                    int len = Tcpros.readLength(in, buf.length, "state message");
                    if (in.readNBytes(buf, 0, len) != len) {
                        throw new IOException("state connection closed inside a message");
                    }
                    long now = System.nanoTime();
                    bb.clear().limit(len);
                    try {
                        parser.parse(bb, scratch);
                    } catch (RosMessages.MalformedMessageException e) {
                        count("dropped_" + e.reason);
                        lastError = e.getMessage();
                        continue;
                    }
                    received(scratch, now);
                }
            } catch (Tcpros.OversizedException e) {
                count("dropped_oversized");
                lastError = "state publisher " + pub + ": " + e.getMessage();
            } catch (IOException e) {
                if (!closed) {
                    lastError = e.getMessage() == null ? e.toString() : e.getMessage();
                }
            } finally {
                if (stateConnected) {
                    stateLostDetail = "the state connection to " + pub + " on " + cfg.stateTopic() + " closed"
                            + (lastError != null ? " (" + lastError + ")" : "");
                }
                stateConnected = false;
                stateSocket = null;
                if (s != null) {
                    closeQuietly(s);
                }
            }
            if (closed || fault != null) {
                return; // after a fault (e.g. another node took this node's name) this node stops reconnecting
            }
            count("state_reconnect_waits");
            synchronized (publisherMonitor) {
                try {
                    publisherMonitor.wait(Math.max(1, backoff / 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
            backoff = Math.min(BACKOFF_MAX_NANOS, backoff * 2);
        }
    }

    /** Asks the publisher's slave API for a TCPROS endpoint of the state topic. */
    private InetSocketAddress requestTcpros(String publisherUri) throws IOException {
        Object r;
        try {
            r = XmlRpc.call(publisherUri, XMLRPC_TIMEOUT_MILLIS, "requestTopic", cfg.nodeName(), cfg.stateTopic(),
                    List.of(List.of("TCPROS")));
        } catch (IOException e) {
            throw new IOException("requestTopic at state publisher " + publisherUri + ": " + e.getMessage());
        }
        List<?> v = resultValue(r, "requestTopic at " + publisherUri);
        if (v.size() != 3 || !"TCPROS".equals(v.get(0)) || !(v.get(1) instanceof String host)
                || !(v.get(2) instanceof Integer port) || port < 1 || port > 65535) {
            throw new IOException("requestTopic at " + publisherUri + ": unexpected protocol parameters " + clip(v));
        }
        return new InetSocketAddress(host, port);
    }

    // ------------------------------------------------------------------------------------------ command publisher

    private void acceptSubscribers() {
        while (!closed) {
            Socket s;
            try {
                s = tcprosServer.accept();
            } catch (IOException e) {
                return;
            }
            daemon(() -> serveSubscriber(s), "armature-ros1-subscriber").start();
        }
    }

    private void serveSubscriber(Socket s) {
        Subscriber sub = null;
        try {
            s.setSoTimeout(XMLRPC_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            Map<String, String> h = Tcpros.readHeader(in, Tcpros.MAX_HEADER_BYTES);
            String caller = h.getOrDefault("callerid", "?");
            String error = null;
            if (!cfg.commandTopic().equals(h.get("topic"))) {
                error = "topic [" + h.get("topic") + "] is not published here (only " + cfg.commandTopic() + ")";
            } else if (!"*".equals(h.get("md5sum")) && !commandMd5.equals(h.get("md5sum"))
                    || h.containsKey("type") && !"*".equals(h.get("type")) && !cfg.commandType().equals(h.get("type"))) {
                count("md5_mismatch");
                error = "Client [" + caller + "] wants topic [" + cfg.commandTopic() + "] to have datatype/md5sum ["
                        + h.get("type") + "/" + h.get("md5sum") + "], but our version has [" + cfg.commandType()
                        + "/" + commandMd5 + "]. Dropping connection.";
            }
            if (error != null) {
                lastError = "command subscriber " + caller + ": " + error;
                out.write(Tcpros.encodeHeader(Map.of("error", error)));
                out.flush();
                return;
            }
            Map<String, String> reply = new LinkedHashMap<>();
            reply.put("callerid", cfg.nodeName());
            reply.put("topic", cfg.commandTopic());
            reply.put("md5sum", commandMd5);
            reply.put("type", cfg.commandType());
            reply.put("message_definition", RosMessages.fullDefinition(cfg.commandType()));
            reply.put("latching", "0");
            out.write(Tcpros.encodeHeader(reply));
            out.flush();
            s.setSoTimeout(0);
            sub = new Subscriber(caller, s, out);
            subscribers.add(sub);
            subscriberEverConnected = true;
            count("command_subscriber_connections");
            // a subscriber sends nothing after its header: block until it goes away
            while (in.read() >= 0) {
                // ignore anything it sends
            }
        } catch (Tcpros.OversizedException e) {
            count("dropped_oversized");
            lastError = "command subscriber: " + e.getMessage();
        } catch (IOException e) {
            if (!closed && sub == null) {
                lastError = "command subscriber handshake: " + e.getMessage();
            }
        } finally {
            if (sub != null) {
                subscribers.remove(sub);
            }
            closeQuietly(s);
        }
    }

    @Override
    void publish(JointCommand c) {
        for (int i = 0; i < dof; i++) {
            ordered[i] = c.positionsRad[commandOrder[i]];
        }
        message.clear();
        message.putInt(size - 4);
        if (trajectory) {
            RosMessages.writeJointTrajectory(message, ++msgSeq, trajectoryStamp(c), commandJointNames, ordered,
                    c.expiryMicros * 1000L);
        } else {
            RosMessages.writeFloat64MultiArray(message, ordered, dof);
        }
        boolean any = false;
        for (Subscriber sub : subscribers) {
            try {
                sub.out().write(message.array(), 0, size);
                any = true;
            } catch (IOException e) {
                subscribers.remove(sub);
                closeQuietly(sub.socket());
                if (!closed) {
                    lastError = "command subscriber " + sub.callerId() + ": " + e.getMessage();
                }
            }
        }
        if (any) {
            published.incrementAndGet();
        }
    }

    // --------------------------------------------------------------------------------------------- RobotLink

    @Override
    public Status status() {
        if (fault != null) {
            return Status.FAULT;
        }
        if (closed || stateEverConnected && !stateConnected || subscriberEverConnected && subscribers.isEmpty()) {
            return Status.LOST;
        }
        return Status.OK;
    }

    @Override
    public String statusDetail() {
        if (fault != null) {
            return fault;
        }
        if (stateEverConnected && !stateConnected) {
            return stateLostDetail != null ? stateLostDetail : "the state connection closed";
        }
        if (subscriberEverConnected && subscribers.isEmpty()) {
            return "no subscriber left on the command topic " + cfg.commandTopic()
                    + (lastError != null ? " (" + lastError + ")" : "");
        }
        return lastError;
    }

    @Override
    void peerCounts(Map<String, Long> m) {
        m.put("command_subscribers", (long) subscribers.size());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (slaveUri != null) {
            try {
                XmlRpc.call(cfg.masterUri(), 500, "unregisterSubscriber", cfg.nodeName(), cfg.stateTopic(), slaveUri);
                XmlRpc.call(cfg.masterUri(), 500, "unregisterPublisher", cfg.nodeName(), cfg.commandTopic(),
                        slaveUri);
            } catch (IOException ignored) {
                // the master is gone: nothing to unregister from
            }
        }
        Socket s = stateSocket;
        if (s != null) {
            closeQuietly(s);
        }
        for (Subscriber sub : subscribers) {
            closeQuietly(sub.socket());
        }
        subscribers.clear();
        if (tcprosServer != null) {
            closeQuietly(tcprosServer);
        }
        if (slave != null) {
            slave.stop(0);
        }
        if (slaveExecutor != null) {
            slaveExecutor.shutdownNow();
        }
        synchronized (publisherMonitor) {
            publisherMonitor.notifyAll();
        }
        if (commandThread != null) {
            LockSupport.unpark(commandThread);
        }
    }

    private static void closeQuietly(Closeable s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
