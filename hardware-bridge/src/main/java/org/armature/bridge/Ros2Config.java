package org.armature.bridge;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A ROS 2 link's configuration, from
 * {@code ros2://DOMAIN?state=/joint_states&command=/arm/command&joints=map.json} (see the module README): the DDS
 * domain (ROS_DOMAIN_ID), the topics as ROS names, the command type, the joints by ROS name (and the order the
 * command expects), the state reader's reliability and this participant's name.
 *
 * <p>ROS 2 maps a topic {@code /a/b} to the DDS topic {@code rt/a/b} ({@link #ddsTopic}) and a message type
 * {@code pkg/msg/Type} to the DDS type {@code pkg::msg::dds_::Type_}; both are what rmw implementations put on the
 * wire, so a DDS program that uses them talks to ROS 2 nodes.
 *
 * @param domainId       DDS domain, 0-232 (ROS_DOMAIN_ID; default 0)
 * @param stateTopic     sensor_msgs/msg/JointState topic, ROS name (default /joint_states)
 * @param commandTopic   the command topic, ROS name
 * @param commandType    {@link RosMessages#JOINT_TRAJECTORY} (default) or {@link RosMessages#FLOAT64_MULTI_ARRAY}
 * @param jointNames     ROS joint names of the task's joints, in the task's order (state is picked by name)
 * @param commandJoints  ROS joint names in the order of the command's array; each one of jointNames
 * @param stateReliable  false (default): the state reader is BEST_EFFORT, which matches BEST_EFFORT and RELIABLE
 *                       publishers; true: RELIABLE, which a BEST_EFFORT publisher never matches
 * @param nodeName       the DDS participant's name (default armature_bridge)
 */
public record Ros2Config(int domainId, String stateTopic, String commandTopic, String commandType,
                         String[] jointNames, String[] commandJoints, boolean stateReliable, String nodeName)
        implements RosLink.Config {

    public static final String SCHEME = "ros2://";
    /** ROS 2's prefix of DDS topic names for ROS topics ({@code rt/joint_states} for {@code /joint_states}). */
    public static final String TOPIC_PREFIX = "rt";
    private static final Pattern NODE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Set<String> KEYS = Set.of("state", "command", "joints", "type", "state_qos", "node");

    public Ros2Config {
        if (domainId < 0 || domainId > 232) {
            throw new IllegalArgumentException("DDS domain must be 0-232 (ROS_DOMAIN_ID), got " + domainId);
        }
        RosLinkUris.checkName(stateTopic, "state topic");
        RosLinkUris.checkName(commandTopic, "command topic");
        if (nodeName == null || !NODE.matcher(nodeName).matches()) {
            throw new IllegalArgumentException("node name '" + nodeName + "' is not a ROS 2 node name (a_b1)");
        }
        if (!commandType.equals(RosMessages.JOINT_TRAJECTORY) && !commandType.equals(RosMessages.FLOAT64_MULTI_ARRAY)) {
            throw new IllegalArgumentException("command type must be JointTrajectory or Float64MultiArray, got '"
                    + commandType + "'");
        }
        RosLinkUris.checkJoints(jointNames, commandJoints);
    }

    /** The DDS topic ROS 2 uses for a ROS topic name: {@code /a/b} and {@code a/b} -> {@code rt/a/b}. */
    public static String ddsTopic(String rosName) {
        return TOPIC_PREFIX + RosLinkUris.global(rosName);
    }

    public String stateDdsTopic() {
        return ddsTopic(stateTopic);
    }

    public String commandDdsTopic() {
        return ddsTopic(commandTopic);
    }

    /** The DDS type name of the command ({@code trajectory_msgs::msg::dds_::JointTrajectory_}, ...). */
    public String commandDdsType() {
        return ddsType(commandType);
    }

    /** ROS 2's DDS type name for a ROS 1 style name {@code pkg/Type}: {@code pkg::msg::dds_::Type_}. */
    public static String ddsType(String rosType) {
        int slash = rosType.indexOf('/');
        return rosType.substring(0, slash) + "::msg::dds_::" + rosType.substring(slash + 1) + "_";
    }

    /**
     * Parses {@code ros2://DOMAIN?key=value&...}; an empty DOMAIN takes {@code ROS_DOMAIN_ID} from {@code env}, else
     * 0. {@code joints} is a JSON file or a comma-separated list (as for ROS 1), {@code type} is
     * {@code JointTrajectory} or {@code Float64MultiArray}, {@code state_qos} is {@code best_effort} (default) or
     * {@code reliable}; relative paths resolve against {@code baseDir}.
     */
    public static Ros2Config parse(String uri, Path baseDir, Map<String, String> env) throws IOException {
        String[] authorityAndQuery = RosLinkUris.split(uri, SCHEME);
        String authority = authorityAndQuery[0];
        if (authority.endsWith("/")) {
            authority = authority.substring(0, authority.length() - 1);
        }
        String domain = authority.isEmpty() ? env.getOrDefault("ROS_DOMAIN_ID", "0") : authority;
        int domainId;
        try {
            domainId = Integer.parseInt(domain.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("link '" + uri + "' must be ros2://DOMAIN_ID?state=...&command=...&"
                    + "joints=... (DOMAIN_ID a number, 0-232; '" + domain + "' is not)");
        }
        Map<String, String> p = RosLinkUris.params(uri, authorityAndQuery[1], KEYS);
        RosLinkUris.JointMap map = RosLinkUris.jointMap(p, baseDir);
        String qos = p.getOrDefault("state_qos", "best_effort").toLowerCase(Locale.ROOT);
        if (!qos.equals("best_effort") && !qos.equals("reliable")) {
            throw new IllegalArgumentException("link '" + uri + "': state_qos must be best_effort or reliable, got '"
                    + qos + "'");
        }
        return new Ros2Config(domainId, RosLinkUris.global(p.getOrDefault("state", "/joint_states")),
                RosLinkUris.global(p.get("command")), RosLinkUris.commandType(map.commandType()), map.joints(),
                map.commandJoints(), qos.equals("reliable"), p.getOrDefault("node", "armature_bridge"));
    }

    @Override
    public String toString() {
        return "ros2 domain " + domainId + " state " + stateDdsTopic() + " (" + ddsType(RosMessages.JOINT_STATE) + ", "
                + (stateReliable ? "RELIABLE" : "BEST_EFFORT") + ") command " + commandDdsTopic() + " ("
                + commandDdsType() + ", RELIABLE) joints " + List.of(jointNames) + " node " + nodeName;
    }
}
