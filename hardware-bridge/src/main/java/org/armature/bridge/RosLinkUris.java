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
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the ROS 1 and ROS 2 link URIs share ({@link Ros1Config}, {@link Ros2Config}): the {@code key=value&...}
 * query with a fixed set of keys, the joint map ({@code joints=map.json} or {@code joints=j1,j2,...}), the
 * command type's spellings and ROS names. Command types are returned as the ROS 1 names ({@link RosMessages#JOINT_TRAJECTORY},
 * {@link RosMessages#FLOAT64_MULTI_ARRAY}), which the ROS 2 link maps to its DDS types.
 */
final class RosLinkUris {

    private static final Pattern NAME = Pattern.compile("/?[A-Za-z][A-Za-z0-9_]*(/[A-Za-z][A-Za-z0-9_]*)*");

    private RosLinkUris() {
    }

    /** The joint map: the task's joints by ROS name, the command's order, the command type or null. */
    record JointMap(String[] joints, String[] commandJoints, String commandType) {
    }

    /** Cuts {@code SCHEME AUTHORITY?QUERY} into the authority (the master or the domain) and the query. */
    static String[] split(String uri, String scheme) {
        if (!uri.startsWith(scheme)) {
            throw new IllegalArgumentException("link '" + uri + "' must start with " + scheme);
        }
        String rest = uri.substring(scheme.length());
        int q = rest.indexOf('?');
        return q < 0 ? new String[]{rest, ""} : new String[]{rest.substring(0, q), rest.substring(q + 1)};
    }

    /** The query's parameters ({@link #query}); the command topic and the joints are required. */
    static Map<String, String> params(String uri, String query, Set<String> keys) {
        Map<String, String> p = query(uri, query, keys);
        if (!p.containsKey("command")) {
            throw new IllegalArgumentException("link '" + uri + "': give the command topic (command=/arm/command)");
        }
        if (!p.containsKey("joints")) {
            throw new IllegalArgumentException("link '" + uri + "': give the joints (joints=map.json or "
                    + "joints=j1,j2,...)");
        }
        return p;
    }

    /**
     * The joint map the {@code joints} parameter names ({@link #jointMap(String, Path)}), with the command joints
     * defaulting to the joints and the {@code type} parameter, when given, over the map's command type.
     */
    static JointMap jointMap(Map<String, String> params, Path baseDir) throws IOException {
        JointMap map = jointMap(params.get("joints"), baseDir);
        return new JointMap(map.joints(), map.commandJoints() == null ? map.joints() : map.commandJoints(),
                params.getOrDefault("type", map.commandType()));
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
     * The {@code joints} parameter (command joints null unless the file gives them): a JSON file (fields {@code joints}, {@code commandJoints}, {@code commandType};
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
     * returns the ROS 1 name; null (none given) is JointTrajectory.
     */
    static String commandType(String t) {
        if (t == null) {
            return RosMessages.JOINT_TRAJECTORY;
        }
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

    static void checkName(String n, String what) {
        if (n == null || !NAME.matcher(n).matches()) {
            throw new IllegalArgumentException(what + " '" + n + "' is not a ROS name (/a/b_c)");
        }
    }

    /** Resolves a relative name against the root namespace (the links' names are global). */
    static String global(String n) {
        return n.startsWith("/") ? n : "/" + n;
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
