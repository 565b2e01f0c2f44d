package org.armature.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** ROS 1 message codecs and TCPROS framing, with garbage input. */
class RosMessagesTest {

    private static final String[] JOINTS = {"j1", "j2", "j3"};

    /** A sensor_msgs/JointState serialized as ROS 1 does. */
    static byte[] jointState(long seq, long secs, long nsecs, String[] names, double[] pos, double[] vel,
                             double[] eff) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) seq).putInt((int) secs).putInt((int) nsecs);
        putString(b, "base");
        b.putInt(names.length);
        for (String n : names) {
            putString(b, n);
        }
        for (double[] a : new double[][]{pos, vel, eff}) {
            b.putInt(a.length);
            for (double v : a) {
                b.putDouble(v);
            }
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] x = s.getBytes(StandardCharsets.UTF_8);
        b.putInt(x.length).put(x);
    }

    private static ByteBuffer le(byte[] m) {
        return ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void md5SumsAreRecomputedFromTheDefinitions() throws Exception {
        Map<String, String> defs = new LinkedHashMap<>();
        defs.put("std_msgs/Header", RosMessages.HEADER_DEF);
        defs.put("std_msgs/MultiArrayDimension", RosMessages.MULTI_ARRAY_DIMENSION_DEF);
        defs.put("std_msgs/MultiArrayLayout", RosMessages.MULTI_ARRAY_LAYOUT_DEF);
        defs.put("trajectory_msgs/JointTrajectoryPoint", RosMessages.JOINT_TRAJECTORY_POINT_DEF);
        defs.put(RosMessages.JOINT_STATE, RosMessages.JOINT_STATE_DEF);
        defs.put(RosMessages.FLOAT64_MULTI_ARRAY, RosMessages.FLOAT64_MULTI_ARRAY_DEF);
        defs.put(RosMessages.JOINT_TRAJECTORY, RosMessages.JOINT_TRAJECTORY_DEF);
        assertEquals("2176decaecbce78abc3b96ef049fabed", md5(defs, "std_msgs/Header"));
        assertEquals(RosMessages.JOINT_STATE_MD5, md5(defs, RosMessages.JOINT_STATE));
        assertEquals(RosMessages.FLOAT64_MULTI_ARRAY_MD5, md5(defs, RosMessages.FLOAT64_MULTI_ARRAY));
        assertEquals(RosMessages.JOINT_TRAJECTORY_MD5, md5(defs, RosMessages.JOINT_TRAJECTORY));
    }

    private static final Set<String> BUILTIN = Set.of("bool", "int8", "uint8", "int16", "uint16", "int32", "uint32",
            "int64", "uint64", "float32", "float64", "string", "time", "duration", "byte", "char");

    /** ROS 1's md5: fields as "type name", message-typed fields as "md5(type) name", joined by newlines. */
    private static String md5(Map<String, String> defs, String type) throws Exception {
        StringBuilder text = new StringBuilder();
        String pkg = type.substring(0, type.indexOf('/'));
        for (String line : defs.get(type).split("\n")) {
            String[] f = line.trim().split("\\s+");
            String t = f[0];
            String base = t.replace("[]", "");
            if (!BUILTIN.contains(base)) {
                String full = base.equals("Header") ? "std_msgs/Header" : base.contains("/") ? base : pkg + "/" + base;
                t = md5(defs, full);
            }
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(t).append(' ').append(f[1]);
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void jointStatePicksJointsByNameWhateverTheOrderAndExtras() throws Exception {
        RosMessages.JointStateParser p = new RosMessages.JointStateParser(JOINTS, 64);
        RobotState s = new RobotState(3, 0);
        p.parse(le(jointState(9, 100, 5, new String[]{"finger", "j3", "j1", "j2"}, new double[]{9, 3, 1, 2},
                new double[]{-9, -3, -1, -2}, new double[]{90, 30, 10, 20})), s);
        assertArrayEquals(new double[]{1, 2, 3}, s.positionsRad);
        assertArrayEquals(new double[]{-1, -2, -3}, s.velocitiesRadPerSec);
        assertArrayEquals(new double[]{10, 20, 30}, s.effortsNm);
        assertEquals(100_000_000_005L, s.robotTimeNanos);
        assertEquals(9, s.sequence);
        // the order changes between messages; velocity and effort may be empty
        p.parse(le(jointState(10, 101, 0, new String[]{"j2", "j1", "j3"}, new double[]{5, 4, 6}, new double[0],
                new double[0])), s);
        assertArrayEquals(new double[]{4, 5, 6}, s.positionsRad);
        assertArrayEquals(new double[]{0, 0, 0}, s.velocitiesRadPerSec);
    }

    @Test
    void brokenJointStatesAreRefusedWithAReason() {
        RosMessages.JointStateParser p = new RosMessages.JointStateParser(JOINTS, 64);
        RobotState s = new RobotState(3, 0);
        double[] three = {1, 2, 3};
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("missing_joint", jointState(1, 1, 0, new String[]{"j1", "j2", "x"}, three, three, three));
        cases.put("malformed:count", jointState(1, 1, 0, JOINTS, new double[]{1, 2}, three, three));
        cases.put("malformed:velocity", jointState(1, 1, 0, JOINTS, three, new double[]{1}, three));
        cases.put("malformed:nsecs", jointState(1, 1, 1_000_000_000, JOINTS, three, three, three));
        byte[] trailing = jointState(1, 1, 0, JOINTS, three, three, three);
        cases.put("malformed:trailing", java.util.Arrays.copyOf(trailing, trailing.length + 1));
        byte[] many = jointState(1, 1, 0, JOINTS, three, three, three);
        le(many).putInt(16 + 4, 1 << 30); // the name count: a billion joints
        cases.put("malformed:joint count", many);
        byte[] longName = jointState(1, 1, 0, JOINTS, three, three, three);
        le(longName).putInt(16 + 4 + 4, 0x7fffffff); // first name's length
        cases.put("malformed:name length", longName);
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            RosMessages.MalformedMessageException e = assertThrows(RosMessages.MalformedMessageException.class,
                    () -> p.parse(le(c.getValue()), s), c.getKey());
            assertEquals(c.getKey().split(":")[0], e.reason, c.getKey() + ": " + e.getMessage());
        }
        byte[] good = jointState(1, 1, 0, JOINTS, three, three, three);
        for (int len = 0; len < good.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(good, len);
            assertThrows(RosMessages.MalformedMessageException.class, () -> p.parse(le(cut), s), "cut at " + len);
        }
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButMalformed() {
        RosMessages.JointStateParser p = new RosMessages.JointStateParser(JOINTS, 64);
        RobotState s = new RobotState(3, 0);
        Random rnd = new Random(1);
        byte[] good = jointState(1, 1, 0, JOINTS, new double[]{1, 2, 3}, new double[]{1, 2, 3},
                new double[]{1, 2, 3});
        int ok = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] m;
            if (i % 2 == 0) {
                m = new byte[rnd.nextInt(200)];
                rnd.nextBytes(m);
            } else {
                m = good.clone();
                for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
                    m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                }
            }
            try {
                p.parse(le(m), s);
                ok++;
            } catch (RosMessages.MalformedMessageException expected) {
                // the only failure allowed
            }
        }
        assertTrue(ok > 0 && ok < 20_000, "some mutations keep a valid message (values only), most do not: " + ok);
    }

    @Test
    void commandsSerializeAsRosDoes() {
        ByteBuffer b = ByteBuffer.allocate(RosMessages.float64MultiArraySize(2)).order(ByteOrder.LITTLE_ENDIAN);
        RosMessages.writeFloat64MultiArray(b, new double[]{0.5, -1}, 2);
        assertEquals(b.capacity(), b.position());
        ByteBuffer e = ByteBuffer.allocate(b.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        e.putInt(1).putInt(6).put("joints".getBytes(StandardCharsets.US_ASCII)).putInt(2).putInt(2).putInt(0)
                .putInt(2).putDouble(0.5).putDouble(-1);
        assertArrayEquals(e.array(), b.array());

        byte[][] names = {"a".getBytes(StandardCharsets.UTF_8), "bc".getBytes(StandardCharsets.UTF_8)};
        ByteBuffer t = ByteBuffer.allocate(RosMessages.jointTrajectorySize(names)).order(ByteOrder.LITTLE_ENDIAN);
        RosMessages.writeJointTrajectory(t, 7, 12_000_000_034L, names, new double[]{1, 2}, 1_500_000_000L);
        assertEquals(t.capacity(), t.position());
        ByteBuffer x = ByteBuffer.allocate(t.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        x.putInt(7).putInt(12).putInt(34).putInt(0) // header
                .putInt(2).putInt(1).put((byte) 'a').putInt(2).put("bc".getBytes(StandardCharsets.UTF_8))
                .putInt(1).putInt(2).putDouble(1).putDouble(2).putInt(0).putInt(0).putInt(0)
                .putInt(1).putInt(500_000_000);
        assertArrayEquals(x.array(), t.array());
    }

    @Test
    void connectionHeadersRoundTripAndBrokenOnesFail() throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("callerid", "/n");
        h.put("md5sum", RosMessages.JOINT_STATE_MD5);
        h.put("message_definition", "a=b\nc");
        byte[] enc = Tcpros.encodeHeader(h);
        assertEquals(h, Tcpros.readHeader(new ByteArrayInputStream(enc), 1024));
        assertThrows(Tcpros.OversizedException.class, () -> Tcpros.readHeader(new ByteArrayInputStream(enc), 10));
        byte[] huge = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThrows(Tcpros.OversizedException.class, () -> Tcpros.readHeader(new ByteArrayInputStream(huge),
                Tcpros.MAX_HEADER_BYTES));
        assertThrows(IOException.class, () -> Tcpros.readHeader(new ByteArrayInputStream(
                java.util.Arrays.copyOf(enc, enc.length - 1)), 1024));
        for (byte[] bad : List.of(new byte[]{1, 0, 0, 0}, new byte[]{(byte) 200, 0, 0, 0, 1},
                new byte[]{3, 0, 0, 0, 'a', 'b', 'c'}, new byte[]{1, 0, 0, 0, '='})) {
            assertThrows(IOException.class, () -> Tcpros.parseHeaderFields(bad));
        }
        Random rnd = new Random(3);
        for (int i = 0; i < 5000; i++) {
            byte[] m = new byte[rnd.nextInt(64)];
            rnd.nextBytes(m);
            try {
                Tcpros.parseHeaderFields(m);
            } catch (IOException expected) {
                // the only failure allowed
            }
        }
    }
}
