package org.armature.bridge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The three ROS 1 messages the link speaks, serialized as ROS 1 does (little-endian; strings and variable arrays
 * prefixed with a u32 count; {@code time} = u32 secs + u32 nsecs, {@code duration} = i32 secs + i32 nsecs):
 * {@code sensor_msgs/JointState} in, {@code std_msgs/Float64MultiArray} or {@code trajectory_msgs/JointTrajectory}
 * out. MD5 sums are ROS's (the md5 of each type's canonical definition text, as {@code rosmsg md5} prints);
 * {@code RosMessagesTest} recomputes them from the definitions below.
 *
 * <p>The JointState parser maps joints by name, not by position (a real driver's order may change and it publishes
 * extra joints such as fingers), checks every count against the bytes left before reading, and allocates nothing
 * once its scratch arrays have grown to the message's joint count.
 */
public final class RosMessages {

    public static final String JOINT_STATE = "sensor_msgs/JointState";
    public static final String JOINT_STATE_MD5 = "3066dcd76a6cfaef579bd0f34173e9fd";
    public static final String FLOAT64_MULTI_ARRAY = "std_msgs/Float64MultiArray";
    public static final String FLOAT64_MULTI_ARRAY_MD5 = "4b7d974086d4060e7db4613a7e6c3ba4";
    public static final String JOINT_TRAJECTORY = "trajectory_msgs/JointTrajectory";
    public static final String JOINT_TRAJECTORY_MD5 = "65b4f94a94d1ed67169da35a02f33d3f";

    private static final String SEPARATOR = "\n================================================================"
            + "================\n";
    static final String HEADER_DEF = "uint32 seq\ntime stamp\nstring frame_id\n";
    static final String JOINT_STATE_DEF = "Header header\nstring[] name\nfloat64[] position\nfloat64[] velocity\n"
            + "float64[] effort\n";
    static final String MULTI_ARRAY_LAYOUT_DEF = "MultiArrayDimension[] dim\nuint32 data_offset\n";
    static final String MULTI_ARRAY_DIMENSION_DEF = "string label\nuint32 size\nuint32 stride\n";
    static final String FLOAT64_MULTI_ARRAY_DEF = "MultiArrayLayout layout\nfloat64[] data\n";
    static final String JOINT_TRAJECTORY_DEF = "Header header\nstring[] joint_names\nJointTrajectoryPoint[] points\n";
    static final String JOINT_TRAJECTORY_POINT_DEF = "float64[] positions\nfloat64[] velocities\n"
            + "float64[] accelerations\nfloat64[] effort\nduration time_from_start\n";

    /** The {@code message_definition} connection-header field (the definition with its dependencies). */
    public static String fullDefinition(String type) {
        return switch (type) {
            case JOINT_STATE -> JOINT_STATE_DEF + SEPARATOR + "MSG: std_msgs/Header\n" + HEADER_DEF;
            case FLOAT64_MULTI_ARRAY -> FLOAT64_MULTI_ARRAY_DEF + SEPARATOR + "MSG: std_msgs/MultiArrayLayout\n"
                    + MULTI_ARRAY_LAYOUT_DEF + SEPARATOR + "MSG: std_msgs/MultiArrayDimension\n"
                    + MULTI_ARRAY_DIMENSION_DEF;
            case JOINT_TRAJECTORY -> JOINT_TRAJECTORY_DEF + SEPARATOR + "MSG: std_msgs/Header\n" + HEADER_DEF
                    + SEPARATOR + "MSG: trajectory_msgs/JointTrajectoryPoint\n" + JOINT_TRAJECTORY_POINT_DEF;
            default -> throw new IllegalArgumentException("unsupported message type " + type);
        };
    }

    public static String md5(String type) {
        return switch (type) {
            case JOINT_STATE -> JOINT_STATE_MD5;
            case FLOAT64_MULTI_ARRAY -> FLOAT64_MULTI_ARRAY_MD5;
            case JOINT_TRAJECTORY -> JOINT_TRAJECTORY_MD5;
            default -> throw new IllegalArgumentException("unsupported message type " + type);
        };
    }

    private RosMessages() {
    }

    /** A message that does not parse; {@link #reason} is a counter name. */
    public static final class MalformedMessageException extends Exception {
        public final String reason;

        MalformedMessageException(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    /**
     * Parses {@code sensor_msgs/JointState} into a {@link RobotState}, picking the configured joints by name.
     * Not thread-safe (scratch state); one per receiver thread.
     */
    public static final class JointStateParser {
        private final byte[][] wanted;
        private final int[] lastIndex;
        private int[] nameOffset = new int[16];
        private int[] nameLength = new int[16];
        private final int[] found;
        private final int maxJoints;

        /**
         * @param jointNames the names of the task's joints, in the task's order
         * @param maxJoints  the most joints a message may carry (caps the scratch arrays)
         */
        public JointStateParser(String[] jointNames, int maxJoints) {
            wanted = new byte[jointNames.length][];
            for (int i = 0; i < jointNames.length; i++) {
                wanted[i] = jointNames[i].getBytes(StandardCharsets.UTF_8);
            }
            lastIndex = new int[jointNames.length];
            found = new int[jointNames.length];
            this.maxJoints = maxJoints;
        }

        /**
         * Parses the message in {@code b} (position to limit, little-endian) into {@code out}: positions,
         * velocities and efforts of the configured joints (velocity and effort 0 where the message leaves those
         * arrays empty, as JointState allows), {@code robotTimeNanos} = header stamp in ns, {@code sequence} =
         * header seq.
         */
        public void parse(ByteBuffer b, RobotState out) throws MalformedMessageException {
            long seq = u32(b);
            long secs = u32(b);
            long nsecs = u32(b);
            if (nsecs >= 1_000_000_000L) {
                throw malformed("malformed", "header stamp nsecs " + nsecs + " >= 1e9");
            }
            skipString(b);
            long n = u32(b);
            if (n > maxJoints) {
                throw malformed("malformed", "JointState with " + n + " joints exceeds the cap of " + maxJoints);
            }
            int count = (int) n;
            if (count > nameOffset.length) {
                nameOffset = new int[count];
                nameLength = new int[count];
            }
            for (int i = 0; i < count; i++) {
                long len = u32(b);
                if (len > b.remaining()) {
                    throw malformed("malformed", "joint name length " + len + " beyond the message");
                }
                nameOffset[i] = b.position();
                nameLength[i] = (int) len;
                b.position(b.position() + (int) len);
            }
            for (int j = 0; j < wanted.length; j++) {
                int idx = find(b, j, count);
                if (idx < 0) {
                    throw malformed("missing_joint", "JointState lacks joint '"
                            + new String(wanted[j], StandardCharsets.UTF_8) + "'");
                }
                found[j] = idx;
            }
            readArray(b, count, out.positionsRad, "position", false);
            readArray(b, count, out.velocitiesRadPerSec, "velocity", true);
            readArray(b, count, out.effortsNm, "effort", true);
            if (b.hasRemaining()) {
                throw malformed("malformed", b.remaining() + " bytes after the JointState");
            }
            out.robotTimeNanos = secs * 1_000_000_000L + nsecs;
            out.sequence = seq;
            out.robotStopped = false;
            out.reward = Double.NaN;
        }

        private int find(ByteBuffer b, int j, int count) {
            int guess = lastIndex[j];
            if (guess < count && nameEquals(b, guess, wanted[j])) {
                return guess;
            }
            for (int i = 0; i < count; i++) {
                if (nameEquals(b, i, wanted[j])) {
                    lastIndex[j] = i;
                    return i;
                }
            }
            return -1;
        }

        private boolean nameEquals(ByteBuffer b, int i, byte[] name) {
            if (nameLength[i] != name.length) {
                return false;
            }
            int off = nameOffset[i];
            for (int k = 0; k < name.length; k++) {
                if (b.get(off + k) != name[k]) {
                    return false;
                }
            }
            return true;
        }

        private void readArray(ByteBuffer b, int count, double[] dst, String field, boolean optional)
                throws MalformedMessageException {
            long n = u32(b);
            if (n == 0 && optional) {
                java.util.Arrays.fill(dst, 0);
                return;
            }
            if (n != count) {
                throw malformed("malformed", "JointState has " + count + " names but " + n + " " + field
                        + " values");
            }
            if (n * 8 > b.remaining()) {
                throw malformed("malformed", "JointState " + field + " array beyond the message");
            }
            int base = b.position();
            for (int j = 0; j < dst.length; j++) {
                dst[j] = b.getDouble(base + 8 * found[j]);
            }
            b.position(base + (int) n * 8);
        }

        private static long u32(ByteBuffer b) throws MalformedMessageException {
            if (b.remaining() < 4) {
                throw malformed("malformed", "JointState truncated");
            }
            return b.getInt() & 0xffffffffL;
        }

        private static void skipString(ByteBuffer b) throws MalformedMessageException {
            long len = u32(b);
            if (len > b.remaining()) {
                throw malformed("malformed", "string length " + len + " beyond the message");
            }
            b.position(b.position() + (int) len);
        }

        private static MalformedMessageException malformed(String reason, String message) {
            return new MalformedMessageException(reason, message);
        }
    }

    /**
     * Writes a {@code std_msgs/Float64MultiArray} with one dimension (label {@code joints}, size = stride = n) and
     * {@code data} = the first {@code n} values of {@code positions}. {@code out} is little-endian; position after.
     */
    public static void writeFloat64MultiArray(ByteBuffer out, double[] positions, int n) {
        out.putInt(1);
        putString(out, JOINTS_LABEL);
        out.putInt(n);
        out.putInt(n);
        out.putInt(0); // data_offset
        out.putInt(n);
        for (int i = 0; i < n; i++) {
            out.putDouble(positions[i]);
        }
    }

    private static final byte[] JOINTS_LABEL = "joints".getBytes(StandardCharsets.US_ASCII);

    /**
     * Writes a {@code trajectory_msgs/JointTrajectory} with one point: {@code joint_names}, the positions (no
     * velocities, accelerations or efforts) and {@code time_from_start}; header seq and stamp as given, empty
     * frame_id.
     */
    public static void writeJointTrajectory(ByteBuffer out, long seq, long stampNanos, byte[][] jointNames,
                                            double[] positions, long timeFromStartNanos) {
        out.putInt((int) seq);
        putTime(out, stampNanos);
        out.putInt(0); // frame_id
        out.putInt(jointNames.length);
        for (byte[] name : jointNames) {
            putString(out, name);
        }
        out.putInt(1); // one point
        out.putInt(jointNames.length);
        for (int i = 0; i < jointNames.length; i++) {
            out.putDouble(positions[i]);
        }
        out.putInt(0); // velocities
        out.putInt(0); // accelerations
        out.putInt(0); // effort
        putTime(out, timeFromStartNanos);
    }

    /** Bytes a {@link #writeJointTrajectory} message takes. */
    public static int jointTrajectorySize(byte[][] jointNames) {
        int n = 4 + 8 + 4 + 4 + 4 + 4 + 8 * jointNames.length + 4 + 4 + 4 + 8;
        for (byte[] name : jointNames) {
            n += 4 + name.length;
        }
        return n;
    }

    /** Bytes a {@link #writeFloat64MultiArray} message takes. */
    public static int float64MultiArraySize(int n) {
        return 4 + 4 + JOINTS_LABEL.length + 4 + 4 + 4 + 4 + 8 * n;
    }

    private static void putTime(ByteBuffer out, long nanos) {
        out.putInt((int) Math.floorDiv(nanos, 1_000_000_000L));
        out.putInt((int) Math.floorMod(nanos, 1_000_000_000L));
    }

    private static void putString(ByteBuffer out, byte[] s) {
        out.putInt(s.length);
        out.put(s);
    }
}
