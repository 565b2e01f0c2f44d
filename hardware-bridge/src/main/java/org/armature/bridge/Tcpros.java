package org.armature.bridge;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TCPROS framing (ROS 1's topic transport): a connection header — a little-endian u32 length, then fields, each a
 * u32 length and {@code key=value} bytes — exchanged by subscriber and publisher, then messages, each a u32 length
 * and the serialized message. Every length read from the wire is checked against a cap before anything is
 * allocated or read.
 */
public final class Tcpros {

    /** Connection headers are a few hundred bytes plus the message definition (a few kB). */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    private Tcpros() {
    }

    /** Encodes a connection header (with its leading length). */
    public static byte[] encodeHeader(Map<String, String> fields) {
        int total = 0;
        byte[][] encoded = new byte[fields.size()][];
        int i = 0;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().indexOf('=') >= 0) {
                throw new IllegalArgumentException("bad TCPROS header key '" + e.getKey() + "'");
            }
            encoded[i] = (e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8);
            total += 4 + encoded[i].length;
            i++;
        }
        ByteBuffer b = ByteBuffer.allocate(4 + total).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(total);
        for (byte[] f : encoded) {
            b.putInt(f.length);
            b.put(f);
        }
        return b.array();
    }

    /** Reads one connection header from {@code in}; lengths are capped at {@code maxBytes}. */
    public static Map<String, String> readHeader(InputStream in, int maxBytes) throws IOException {
        int len = readLength(in, maxBytes, "connection header");
        byte[] b = in.readNBytes(len);
        if (b.length != len) {
            throw new EOFException("connection closed inside the TCPROS connection header");
        }
        return parseHeaderFields(b);
    }

    /** Parses the fields of a connection header (without its leading length). */
    public static Map<String, String> parseHeaderFields(byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, String> out = new LinkedHashMap<>();
        while (buf.hasRemaining()) {
            if (buf.remaining() < 4) {
                throw new IOException("malformed TCPROS header: " + buf.remaining() + " stray bytes at the end");
            }
            int n = buf.getInt();
            if (n < 0 || n > buf.remaining()) {
                throw new IOException("malformed TCPROS header: field length " + Integer.toUnsignedString(n)
                        + " beyond the header's " + buf.remaining() + " remaining bytes");
            }
            String field = new String(b, buf.position(), n, StandardCharsets.UTF_8);
            buf.position(buf.position() + n);
            int eq = field.indexOf('=');
            if (eq <= 0) {
                throw new IOException("malformed TCPROS header: field without key=value");
            }
            out.put(field.substring(0, eq), field.substring(eq + 1));
        }
        return out;
    }

    /** Reads a little-endian u32 length and checks it against {@code max}. */
    public static int readLength(InputStream in, int max, String what) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        int b2 = in.read();
        int b3 = in.read();
        if ((b0 | b1 | b2 | b3) < 0) {
            throw new EOFException("connection closed");
        }
        long len = (b0 & 0xffL) | (b1 & 0xffL) << 8 | (b2 & 0xffL) << 16 | (b3 & 0xffL) << 24;
        if (len > max) {
            throw new OversizedException(what + " of " + len + " bytes exceeds the cap of " + max + " bytes");
        }
        return (int) len;
    }

    /** A length on the wire beyond its cap. */
    public static final class OversizedException extends IOException {
        public OversizedException(String message) {
            super(message);
        }
    }
}
