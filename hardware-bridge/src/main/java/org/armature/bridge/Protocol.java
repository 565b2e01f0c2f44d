package org.armature.bridge;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The UDP robot protocol, version 1 (byte layout in hardware-bridge/README.md). All integers big-endian, floats
 * IEEE 754 binary64.
 *
 * <pre>
 * off  size  field
 *   0     2  magic 0x41 0x52 ("AR")
 *   2     1  version (1)
 *   3     1  type (1 HELLO, 2 WELCOME, 3 STATE, 4 COMMAND, 5 HEARTBEAT, 6 REJECT)
 *   4     1  flags (bit 0: an HMAC-SHA256 trailer follows the CRC)
 *   5     1  reserved (0)
 *   6     2  payload length P
 *   8     8  session id (0 in HELLO)
 *  16     8  sequence number (per sender and session, starts at 1, strictly increasing)
 *  24     8  sender timestamp (ns, the sender's monotonic clock)
 *  32     P  payload
 *  32+P   4  CRC-32 (IEEE 802.3, as zlib's crc32) of bytes [0, 32+P)
 *  36+P  32  HMAC-SHA256(key, bytes [0, 36+P)), only when flag bit 0 is set
 * </pre>
 *
 * A codec instance holds scratch state and is used by one thread.
 */
public final class Protocol {

    public static final int MAGIC = 0x4152;
    public static final int VERSION = 1;
    public static final int HEADER = 32;
    public static final int CRC = 4;
    public static final int HMAC = 32;
    public static final int MAX_DATAGRAM = 1024;

    public static final int HELLO = 1;
    public static final int WELCOME = 2;
    public static final int STATE = 3;
    public static final int COMMAND = 4;
    public static final int HEARTBEAT = 5;
    public static final int REJECT = 6;

    public static final int FLAG_HMAC = 1;
    public static final int STATE_FLAG_STOPPED = 1;
    public static final int STATE_FLAG_REWARD = 2;
    public static final int REJECT_UNKNOWN_SESSION = 1;
    public static final int REJECT_BUSY = 2;

    /** Why a received datagram was dropped; counted per reason. */
    public enum Drop {
        MALFORMED, VERSION, OVERSIZED, CRC, HMAC, FOREIGN_ADDRESS, WRONG_SESSION, OLD_SEQUENCE, EXPIRED,
        UNEXPECTED_TYPE;

        public String key() {
            return "dropped_" + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Per-reason drop counters (thread-safe). */
    public static final class DropCounters {
        private final AtomicLongArray counts = new AtomicLongArray(Drop.values().length);

        public void add(Drop d) {
            counts.incrementAndGet(d.ordinal());
        }

        public long get(Drop d) {
            return counts.get(d.ordinal());
        }

        public long total() {
            long t = 0;
            for (int i = 0; i < counts.length(); i++) {
                t += counts.get(i);
            }
            return t;
        }

        public void into(java.util.Map<String, Long> m) {
            for (Drop d : Drop.values()) {
                m.put(d.key(), get(d));
            }
        }
    }

    private final CRC32 crc = new CRC32();
    private final Mac mac;
    private final byte[] macOut;

    /** {@code key}: the shared HMAC key, or null for CRC only. */
    public Protocol(byte[] key) {
        if (key != null) {
            if (key.length < 16) {
                throw new IllegalArgumentException("the HMAC key must have at least 16 bytes, got " + key.length);
            }
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage(), e);
            }
            macOut = new byte[HMAC];
        } else {
            mac = null;
            macOut = null;
        }
    }

    /** Writes the header; the payload follows at {@link #HEADER}. */
    public void header(ByteBuffer b, int type, long session, long sequence, long timestampNanos) {
        b.clear();
        b.putShort((short) MAGIC).put((byte) VERSION).put((byte) type).put((byte) (mac != null ? FLAG_HMAC : 0))
                .put((byte) 0).putShort((short) 0).putLong(session).putLong(sequence).putLong(timestampNanos);
    }

    /** Closes a packet whose payload ends at the buffer's position: length, CRC, HMAC; flips it for sending. */
    public void seal(ByteBuffer b) {
        int end = b.position();
        b.putShort(6, (short) (end - HEADER));
        byte[] a = b.array();
        crc.reset();
        crc.update(a, 0, end);
        b.putInt((int) crc.getValue());
        if (mac != null) {
            mac.update(a, 0, end + CRC);
            try {
                mac.doFinal(macOut, 0);
            } catch (javax.crypto.ShortBufferException e) {
                throw new IllegalStateException(e);
            }
            b.put(macOut);
        }
        b.flip();
    }

    /**
     * Checks framing, version, size, CRC and HMAC of a received datagram of {@code len} bytes in {@code b}'s array;
     * returns null when valid (then the header fields can be read with the static accessors).
     */
    public Drop check(ByteBuffer b, int len) {
        if (len > MAX_DATAGRAM) {
            return Drop.OVERSIZED;
        }
        if (len < HEADER + CRC || (b.getShort(0) & 0xffff) != MAGIC) {
            return Drop.MALFORMED;
        }
        if ((b.get(2) & 0xff) != VERSION) {
            return Drop.VERSION;
        }
        int payload = b.getShort(6) & 0xffff;
        boolean hasMac = (b.get(4) & FLAG_HMAC) != 0;
        int expected = HEADER + payload + CRC + (hasMac ? HMAC : 0);
        if (expected != len) {
            return Drop.MALFORMED;
        }
        byte[] a = b.array();
        crc.reset();
        crc.update(a, 0, HEADER + payload);
        if ((int) crc.getValue() != b.getInt(HEADER + payload)) {
            return Drop.CRC;
        }
        if (mac != null) {
            if (!hasMac) {
                return Drop.HMAC;
            }
            mac.update(a, 0, HEADER + payload + CRC);
            try {
                mac.doFinal(macOut, 0);
            } catch (javax.crypto.ShortBufferException e) {
                throw new IllegalStateException(e);
            }
            int off = HEADER + payload + CRC;
            int diff = 0;
            for (int i = 0; i < HMAC; i++) {
                diff |= macOut[i] ^ a[off + i];
            }
            if (diff != 0) {
                return Drop.HMAC;
            }
        }
        return null;
    }

    public static int type(ByteBuffer b) {
        return b.get(3) & 0xff;
    }

    public static int payloadLength(ByteBuffer b) {
        return b.getShort(6) & 0xffff;
    }

    public static long session(ByteBuffer b) {
        return b.getLong(8);
    }

    public static long sequence(ByteBuffer b) {
        return b.getLong(16);
    }

    public static long timestamp(ByteBuffer b) {
        return b.getLong(24);
    }

    // ------------------------------------------------------------------------------------------------ payloads

    /** STATE payload from a robot state. */
    public static void putState(ByteBuffer b, RobotState s) {
        int dof = s.dof();
        int objects = s.objectCount();
        int flags = (s.robotStopped ? STATE_FLAG_STOPPED : 0) | (Double.isNaN(s.reward) ? 0 : STATE_FLAG_REWARD);
        b.putShort((short) flags).putShort((short) dof).putShort((short) objects).putShort((short) 0);
        for (int i = 0; i < dof; i++) {
            b.putDouble(s.positionsRad[i]);
        }
        for (int i = 0; i < dof; i++) {
            b.putDouble(s.velocitiesRadPerSec[i]);
        }
        for (int i = 0; i < dof; i++) {
            b.putDouble(s.effortsNm[i]);
        }
        for (int i = 0; i < objects * RobotState.POSE_SIZE; i++) {
            b.putDouble(s.objectPoses[i]);
        }
        b.putDouble(Double.isNaN(s.reward) ? 0 : s.reward);
    }

    /** Reads a STATE payload into {@code out}; false when its sizes do not match. */
    public static boolean getState(ByteBuffer b, RobotState out) {
        int payload = payloadLength(b);
        int flags = b.getShort(HEADER) & 0xffff;
        int dof = b.getShort(HEADER + 2) & 0xffff;
        int objects = b.getShort(HEADER + 4) & 0xffff;
        if (dof != out.dof() || objects != out.objectCount()
                || payload != 8 + 8 * (3 * dof + objects * RobotState.POSE_SIZE + 1)) {
            return false;
        }
        int o = HEADER + 8;
        for (int i = 0; i < dof; i++, o += 8) {
            out.positionsRad[i] = b.getDouble(o);
        }
        for (int i = 0; i < dof; i++, o += 8) {
            out.velocitiesRadPerSec[i] = b.getDouble(o);
        }
        for (int i = 0; i < dof; i++, o += 8) {
            out.effortsNm[i] = b.getDouble(o);
        }
        for (int i = 0; i < objects * RobotState.POSE_SIZE; i++, o += 8) {
            out.objectPoses[i] = b.getDouble(o);
        }
        double r = b.getDouble(o);
        out.reward = (flags & STATE_FLAG_REWARD) != 0 ? r : Double.NaN;
        out.robotStopped = (flags & STATE_FLAG_STOPPED) != 0;
        out.robotTimeNanos = timestamp(b);
        out.sequence = sequence(b);
        return true;
    }

    /** COMMAND payload. */
    public static void putCommand(ByteBuffer b, JointCommand c) {
        int dof = c.dof();
        b.put((byte) c.mode.ordinal()).put((byte) 0).putShort((short) dof).putInt(c.expiryMicros)
                .putLong(c.stateRobotTimeNanos).putLong(c.tick).putInt(c.periodMicros).putInt(0);
        for (int i = 0; i < dof; i++) {
            b.putDouble(c.positionsRad[i]);
        }
    }

    /** Reads a COMMAND payload into {@code out}; false when malformed. */
    public static boolean getCommand(ByteBuffer b, JointCommand out) {
        int payload = payloadLength(b);
        JointCommand.Mode mode = JointCommand.Mode.of(b.get(HEADER) & 0xff);
        int dof = b.getShort(HEADER + 2) & 0xffff;
        if (mode == null || dof != out.dof() || payload != 32 + 8 * dof) {
            return false;
        }
        out.mode = mode;
        out.expiryMicros = b.getInt(HEADER + 4);
        out.stateRobotTimeNanos = b.getLong(HEADER + 8);
        out.tick = b.getLong(HEADER + 16);
        out.periodMicros = b.getInt(HEADER + 24);
        int o = HEADER + 32;
        for (int i = 0; i < dof; i++, o += 8) {
            out.positionsRad[i] = b.getDouble(o);
        }
        return out.expiryMicros >= 0 && out.periodMicros > 0;
    }
}
