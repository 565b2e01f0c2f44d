package org.armature.bridge;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A ROS 1 link's configuration, from
 * {@code ros1://MASTER_HOST:MASTER_PORT?state=/joint_states&command=/arm/command&joints=map.json} (see the module
 * README): the master, topics, command type, the task's joints by ROS name (and the order the command topic
 * expects), this node's name and advertised address, and the message size cap.
 *
 * @param masterUri       http://HOST:PORT/ of the ROS master
 * @param stateTopic      sensor_msgs/JointState topic (default /joint_states)
 * @param commandTopic    the command topic
 * @param commandType     {@link RosMessages#JOINT_TRAJECTORY} (default) or {@link RosMessages#FLOAT64_MULTI_ARRAY}
 * @param jointNames      ROS joint names of the task's joints, in the task's order (state is picked by name)
 * @param commandJoints   ROS joint names in the order of the command's array (JointTrajectory's joint_names;
 *                        Float64MultiArray's data order: the controller's joint order); each one of jointNames
 * @param nodeName        this node's global name (default /armature_bridge)
 * @param advertisedHost  the address this node's XML-RPC and TCPROS servers bind and advertise (ROS_IP)
 * @param maxMessageBytes cap on a received message's length
 */
public record Ros1Config(String masterUri, String stateTopic, String commandTopic, String commandType,
                         String[] jointNames, String[] commandJoints, String nodeName, String advertisedHost,
                         int maxMessageBytes) implements RosLink.Config {

    public static final String SCHEME = "ros1://";
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;
    private static final Set<String> KEYS = Set.of("state", "command", "joints", "type", "node", "ip",
            "max_message_bytes");

    public Ros1Config {
        RosLinkUris.checkName(stateTopic, "state topic");
        RosLinkUris.checkName(commandTopic, "command topic");
        RosLinkUris.checkName(nodeName, "node name");
        if (!commandType.equals(RosMessages.JOINT_TRAJECTORY) && !commandType.equals(RosMessages.FLOAT64_MULTI_ARRAY)) {
            throw new IllegalArgumentException("command type must be " + RosMessages.JOINT_TRAJECTORY + " or "
                    + RosMessages.FLOAT64_MULTI_ARRAY + ", got '" + commandType + "'");
        }
        RosLinkUris.checkJoints(jointNames, commandJoints);
        if (maxMessageBytes < 64 || maxMessageBytes > (64 << 20)) {
            throw new IllegalArgumentException("max_message_bytes must be between 64 and 64 MiB, got "
                    + maxMessageBytes);
        }
    }

    /**
     * Parses {@code ros1://HOST:PORT?key=value&...}. {@code joints} is a JSON file (see the README) or a
     * comma-separated list of names; {@code type} is {@code JointTrajectory} or {@code Float64MultiArray} (or the
     * full type name); relative paths resolve against {@code baseDir}. {@code env} supplies ROS_IP / ROS_HOSTNAME.
     */
    public static Ros1Config parse(String uri, Path baseDir, Map<String, String> env) throws IOException {
        String[] authorityAndQuery = RosLinkUris.split(uri, SCHEME);
        String authority = authorityAndQuery[0];
        int colon = authority.lastIndexOf(':');
        String host = colon > 0 ? authority.substring(0, colon) : authority;
        int port = 11311;
        if (colon > 0) {
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("link '" + uri + "': master port must be a number");
            }
        }
        if (host.isEmpty() || port < 1 || port > 65535 || host.contains("/")) {
            throw new IllegalArgumentException("link '" + uri + "' must be ros1://MASTER_HOST:PORT?state=...&"
                    + "command=...&joints=...");
        }
        Map<String, String> p = RosLinkUris.params(uri, authorityAndQuery[1], KEYS);
        RosLinkUris.JointMap map = RosLinkUris.jointMap(p, baseDir);
        String ip = p.getOrDefault("ip", env.getOrDefault("ROS_IP", env.get("ROS_HOSTNAME")));
        if (ip == null || ip.isEmpty()) {
            ip = isLoopback(host) ? "127.0.0.1" : java.net.InetAddress.getLocalHost().getHostAddress();
        }
        int max = DEFAULT_MAX_MESSAGE_BYTES;
        if (p.containsKey("max_message_bytes")) {
            try {
                max = Integer.parseInt(p.get("max_message_bytes"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("link '" + uri + "': max_message_bytes must be a number");
            }
        }
        return new Ros1Config("http://" + host + ":" + port + "/",
                RosLinkUris.global(p.getOrDefault("state", "/joint_states")), RosLinkUris.global(p.get("command")),
                RosLinkUris.commandType(map.commandType()), map.joints(), map.commandJoints(),
                RosLinkUris.global(p.getOrDefault("node", "/armature_bridge")), ip, max);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    @Override
    public String toString() {
        return "ros1 master " + masterUri + " state " + stateTopic + " command " + commandTopic + " ("
                + commandType + ") joints " + List.of(jointNames) + " node " + nodeName + " at " + advertisedHost;
    }
}
