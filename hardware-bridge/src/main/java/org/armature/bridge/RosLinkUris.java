package org.armature.bridge;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the ROS 1 and ROS 2 link URIs share ({@link Ros1Config}, {@link Ros2Config}): the {@code key=value&...}
 * query with a fixed set of keys, the joint map ({@code joints=map.json} or {@code joints=j1,j2,...}) and the
 * command type's spellings. Command types are returned as the ROS 1 names ({@link RosMessages#JOINT_TRAJECTORY},
 * {@link RosMessages#FLOAT64_MULTI_ARRAY}), which the ROS 2 link maps to its DDS types.
 */
final class RosLinkUris {

    private RosLinkUris() {
    }

    /** The joint map: the task's joints by ROS name, the command's order (null = joints), the command type or null. */
    record JointMap(String[] joints, String[] commandJoints, String commandType) {
    }

    /** Splits {@code k=v&k2=v2} (URL-decoded values); unknown keys and parameters without '=' are errors. */
    static Map<String, String> query(String uri, String query, Set<String> keys) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String kv : query.split("&")) {
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("link '" + uri + "': parameter '" + kv + "' is not key=value");
            }
            String k = kv.substring(0, eq);
            if (!keys.contains(k)) {
                throw new IllegalArgumentException("link '" + uri + "': unknown parameter '" + k + "'; known: "
                        + new TreeSet<>(keys));
            }
            p.put(k, URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return p;
    }

    /**
     * The {@code joints} parameter: a JSON file (fields {@code joints}, {@code commandJoints}, {@code commandType};
     * relative to {@code baseDir}) when it ends in {@code .json}, else a comma-separated list of names.
     */
    static JointMap jointMap(String spec, Path baseDir) throws IOException {
        if (!spec.endsWith(".json")) {
            return new JointMap(spec.split(","), null, null);
        }
        Path f = baseDir.resolve(spec);
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(f.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(f + ": malformed joint map (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new IOException("cannot read joint map " + f + ": " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IOException(f + ": a joint map is a JSON object with \"joints\"");
        }
        for (java.util.Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!Set.of("joints", "commandJoints", "commandType").contains(field)) {
                throw new IOException(f + ": unknown field '" + field + "' (known: joints, commandJoints, "
                        + "commandType)");
            }
        }
        return new JointMap(names(n.get("joints"), f + ": \"joints\""),
                n.has("commandJoints") ? names(n.get("commandJoints"), f + ": \"commandJoints\"") : null,
                n.has("commandType") ? n.get("commandType").asText() : null);
    }

    /**
     * A command type as written in a URI or joint map: {@code JointTrajectory}, {@code Float64MultiArray}, the ROS 1
     * names ({@code trajectory_msgs/JointTrajectory}) or the ROS 2 names ({@code trajectory_msgs/msg/JointTrajectory});
     * returns the ROS 1 name.
     */
    static String commandType(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "jointtrajectory", "trajectory_msgs/jointtrajectory", "trajectory_msgs/msg/jointtrajectory" ->
                    RosMessages.JOINT_TRAJECTORY;
            case "float64multiarray", "std_msgs/float64multiarray", "std_msgs/msg/float64multiarray" ->
                    RosMessages.FLOAT64_MULTI_ARRAY;
            default -> throw new IllegalArgumentException("command type must be JointTrajectory or "
                    + "Float64MultiArray, got '" + t + "'");
        };
    }

    /** Checks the joint lists: non-empty, no repeats, commandJoints the same set as jointNames. */
    static void checkJoints(String[] jointNames, String[] commandJoints) {
        if (jointNames.length == 0) {
            throw new IllegalArgumentException("no joints configured");
        }
        List<String> js = List.of(jointNames);
        if (Set.copyOf(js).size() != js.size()) {
            throw new IllegalArgumentException("joint names repeat: " + js);
        }
        if (commandJoints.length != jointNames.length || !Set.of(commandJoints).equals(Set.copyOf(js))) {
            throw new IllegalArgumentException("commandJoints " + List.of(commandJoints)
                    + " must name the same joints as joints " + js);
        }
    }

    /** Index in {@code jointNames} of each command joint. */
    static int[] commandOrder(String[] jointNames, String[] commandJoints) {
        int[] order = new int[commandJoints.length];
        for (int i = 0; i < commandJoints.length; i++) {
            order[i] = List.of(jointNames).indexOf(commandJoints[i]);
        }
        return order;
    }

    private static String[] names(JsonNode n, String what) throws IOException {
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw new IOException(what + " must be a non-empty array of joint names");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual() || e.asText().isEmpty()) {
                throw new IOException(what + " must hold joint names (strings), got " + e);
            }
            out.add(e.asText());
        }
        return out.toArray(String[]::new);
    }
}
