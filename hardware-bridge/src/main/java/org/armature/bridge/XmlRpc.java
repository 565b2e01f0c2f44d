package org.armature.bridge;

import java.io.StringReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * XML-RPC as ROS 1 uses it (the master and slave APIs): requests and responses over HTTP POST, values {@code int}/
 * {@code i4}, {@code boolean}, {@code string} (also untyped), {@code double}, {@code array}, {@code struct},
 * {@code base64} and {@code nil}.
 *
 * <p>Hardened like any network parser: documents are parsed with the JDK's StAX parser with DTDs and external
 * entities switched off, and any {@code <!DOCTYPE>} is refused (no entity expansion at all, so neither XXE nor
 * "billion laughs"); bodies are capped at {@link #MAX_BODY_BYTES}, values nest at most {@link #MAX_DEPTH} deep and a
 * document holds at most {@link #MAX_VALUES} values. Java types: Integer, Boolean, String, Double, List, Map, byte[],
 * null.
 */
public final class XmlRpc {

    public static final int MAX_BODY_BYTES = 1 << 20;
    public static final int MAX_DEPTH = 16;
    public static final int MAX_VALUES = 100_000;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private static final XMLInputFactory FACTORY = newFactory();

    private XmlRpc() {
    }

    /** A malformed, oversized or refused document, or an XML-RPC fault. */
    public static final class XmlRpcException extends IOException {
        public XmlRpcException(String message) {
            super(message);
        }
    }

    /** A parsed method call. */
    public record Call(String method, List<Object> params) {
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    // ---- encoding

    public static byte[] request(String method, Object... params) {
        StringBuilder b = new StringBuilder(256);
        b.append("<?xml version=\"1.0\"?>\n<methodCall><methodName>");
        escape(method, b);
        b.append("</methodName><params>");
        for (Object p : params) {
            b.append("<param>");
            value(p, b, 0);
            b.append("</param>");
        }
        b.append("</params></methodCall>\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] response(Object result) {
        StringBuilder b = new StringBuilder(256);
        b.append("<?xml version=\"1.0\"?>\n<methodResponse><params><param>");
        value(result, b, 0);
        b.append("</param></params></methodResponse>\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] fault(int code, String message) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("faultCode", code);
        f.put("faultString", message);
        StringBuilder b = new StringBuilder(256);
        b.append("<?xml version=\"1.0\"?>\n<methodResponse><fault>");
        value(f, b, 0);
        b.append("</fault></methodResponse>\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void value(Object v, StringBuilder b, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("XML-RPC value nested deeper than " + MAX_DEPTH);
        }
        b.append("<value>");
        if (v == null) {
            b.append("<nil/>");
        } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            b.append("<int>").append(((Number) v).intValue()).append("</int>");
        } else if (v instanceof Long l) {
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("XML-RPC int out of range: " + l);
            }
            b.append("<int>").append(l).append("</int>");
        } else if (v instanceof Boolean x) {
            b.append("<boolean>").append(x ? '1' : '0').append("</boolean>");
        } else if (v instanceof Double || v instanceof Float) {
            b.append("<double>").append(((Number) v).doubleValue()).append("</double>");
        } else if (v instanceof String s) {
            b.append("<string>");
            escape(s, b);
            b.append("</string>");
        } else if (v instanceof byte[] bytes) {
            b.append("<base64>").append(Base64.getEncoder().encodeToString(bytes)).append("</base64>");
        } else if (v instanceof List<?> list) {
            b.append("<array><data>");
            for (Object o : list) {
                value(o, b, depth + 1);
            }
            b.append("</data></array>");
        } else if (v instanceof Map<?, ?> map) {
            b.append("<struct>");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                b.append("<member><name>");
                escape(String.valueOf(e.getKey()), b);
                b.append("</name>");
                value(e.getValue(), b, depth + 1);
                b.append("</member>");
            }
            b.append("</struct>");
        } else {
            throw new IllegalArgumentException("no XML-RPC type for " + v.getClass().getName());
        }
        b.append("</value>");
    }

    private static void escape(String s, StringBuilder b) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
    }

    // ---- parsing

    public static Call parseRequest(byte[] body) throws XmlRpcException {
        try (Parser p = new Parser(body)) {
            p.start("methodCall");
            p.start("methodName");
            String method = p.text();
            List<Object> params = new ArrayList<>();
            if (p.nextStartOrEnd() && p.name().equals("params")) {
                while (p.nextStartOrEnd()) {
                    p.expectName("param");
                    p.start("value");
                    params.add(p.valueBody(1));
                    p.end("param");
                }
                p.expectEnd("params");
                p.end("methodCall");
            } else {
                p.expectEnd("methodCall");
            }
            p.finish();
            return new Call(method.trim(), params);
        }
    }

    /** The single result of a response; a fault is thrown as {@link XmlRpcException}. */
    public static Object parseResponse(byte[] body) throws XmlRpcException {
        try (Parser p = new Parser(body)) {
            p.start("methodResponse");
            p.nextStart();
            Object result;
            if (p.name().equals("fault")) {
                p.start("value");
                Object f = p.valueBody(1);
                p.end("fault");
                p.end("methodResponse");
                p.finish();
                String msg = f instanceof Map<?, ?> m ? m.get("faultCode") + ": " + m.get("faultString")
                        : String.valueOf(f);
                throw new XmlRpcException("XML-RPC fault " + msg);
            }
            p.expectName("params");
            p.start("param");
            p.start("value");
            result = p.valueBody(1);
            p.end("param");
            p.end("params");
            p.end("methodResponse");
            p.finish();
            return result;
        }
    }

    /** Pull parser over one document with the limits above. */
    private static final class Parser implements AutoCloseable {
        private final XMLStreamReader r;
        private int values;

        Parser(byte[] body) throws XmlRpcException {
            if (body.length > MAX_BODY_BYTES) {
                throw new XmlRpcException("XML-RPC body of " + body.length + " bytes exceeds " + MAX_BODY_BYTES);
            }
            // decoded here, strictly: the JDK parser's own decoder prints "[Fatal Error]" lines to stderr on bad
            // bytes, which a peer must not be able to trigger
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            } catch (CharacterCodingException e) {
                throw new XmlRpcException("malformed XML-RPC: not UTF-8");
            }
            try {
                r = FACTORY.createXMLStreamReader(new StringReader(text));
            } catch (XMLStreamException e) {
                throw new XmlRpcException("malformed XML-RPC: " + e.getMessage());
            }
        }

        String name() {
            return r.getLocalName();
        }

        /** The next parse event; a document that ends early or does not parse is malformed. */
        private int next() throws XmlRpcException {
            try {
                if (r.hasNext()) {
                    return r.next();
                }
            } catch (XMLStreamException e) {
                throw new XmlRpcException("malformed XML-RPC: " + e.getMessage());
            }
            throw new XmlRpcException("malformed XML-RPC: truncated document");
        }

        /** Advances to the next start or end element; true for a start. Text between elements must be blank. */
        boolean nextStartOrEnd() throws XmlRpcException {
            while (true) {
                int ev = next();
                switch (ev) {
                    case XMLStreamConstants.START_ELEMENT:
                        return true;
                    case XMLStreamConstants.END_ELEMENT:
                        return false;
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.SPACE:
                        if (!r.isWhiteSpace()) {
                            throw new XmlRpcException("malformed XML-RPC: unexpected text '"
                                    + clip(r.getText()) + "'");
                        }
                        break;
                    case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION:
                        break;
                    default:
                        throw refused(ev);
                }
            }
        }

        void nextStart() throws XmlRpcException {
            if (!nextStartOrEnd()) {
                throw new XmlRpcException("malformed XML-RPC: unexpected </" + name() + ">");
            }
        }

        void start(String name) throws XmlRpcException {
            nextStart();
            expectName(name);
        }

        void end(String name) throws XmlRpcException {
            if (nextStartOrEnd()) {
                throw new XmlRpcException("malformed XML-RPC: unexpected <" + name() + ">, expected </" + name
                        + ">");
            }
            expectName(name);
        }

        void expectEnd(String name) throws XmlRpcException {
            if (r.getEventType() != XMLStreamConstants.END_ELEMENT) {
                throw new XmlRpcException("malformed XML-RPC: expected </" + name + ">");
            }
            expectName(name);
        }

        void expectName(String name) throws XmlRpcException {
            if (!name.equals(r.getLocalName())) {
                throw new XmlRpcException("malformed XML-RPC: expected <" + name + ">, got <" + r.getLocalName()
                        + ">");
            }
        }

        /** Text content up to the end of the current element (which must hold no child elements). */
        String text() throws XmlRpcException {
            StringBuilder b = new StringBuilder();
            while (true) {
                int ev = next();
                switch (ev) {
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.SPACE, XMLStreamConstants.CDATA:
                        b.append(r.getText());
                        break;
                    case XMLStreamConstants.END_ELEMENT:
                        return b.toString();
                    case XMLStreamConstants.COMMENT:
                        break;
                    case XMLStreamConstants.START_ELEMENT:
                        throw new XmlRpcException("malformed XML-RPC: unexpected <" + r.getLocalName()
                                + "> in text");
                    default:
                        throw refused(ev);
                }
            }
        }

        /** Parses after {@code <value>} up to and including {@code </value>}. */
        Object valueBody(int depth) throws XmlRpcException {
            if (depth > MAX_DEPTH) {
                throw new XmlRpcException("XML-RPC values nested deeper than " + MAX_DEPTH);
            }
            if (++values > MAX_VALUES) {
                throw new XmlRpcException("XML-RPC document holds more than " + MAX_VALUES + " values");
            }
            // either text (an untyped string) then </value>, or one typed element
            StringBuilder untyped = new StringBuilder();
            while (true) {
                int ev = next();
                if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.SPACE
                        || ev == XMLStreamConstants.CDATA) {
                    untyped.append(r.getText());
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    return untyped.toString();
                } else if (ev == XMLStreamConstants.START_ELEMENT) {
                    if (!untyped.toString().isBlank()) {
                        throw new XmlRpcException("malformed XML-RPC: text before <" + r.getLocalName() + ">");
                    }
                    Object v = typed(r.getLocalName(), depth);
                    end("value");
                    return v;
                } else if (ev != XMLStreamConstants.COMMENT) {
                    throw refused(ev);
                }
            }
        }

        private Object typed(String type, int depth) throws XmlRpcException {
            switch (type) {
                case "int", "i4": {
                    String t = text().trim();
                    try {
                        return Integer.parseInt(t);
                    } catch (NumberFormatException e) {
                        throw new XmlRpcException("malformed XML-RPC: bad <" + type + "> '" + clip(t) + "'");
                    }
                }
                case "boolean": {
                    String t = text().trim();
                    if (t.equals("1") || t.equalsIgnoreCase("true")) {
                        return Boolean.TRUE;
                    }
                    if (t.equals("0") || t.equalsIgnoreCase("false")) {
                        return Boolean.FALSE;
                    }
                    throw new XmlRpcException("malformed XML-RPC: bad <boolean> '" + clip(t) + "'");
                }
                case "double": {
                    String t = text().trim();
                    try {
                        return Double.parseDouble(t);
                    } catch (NumberFormatException e) {
                        throw new XmlRpcException("malformed XML-RPC: bad <double> '" + clip(t) + "'");
                    }
                }
                case "string":
                    return text();
                case "base64":
                    try {
                        return Base64.getMimeDecoder().decode(text().trim());
                    } catch (IllegalArgumentException e) {
                        throw new XmlRpcException("malformed XML-RPC: bad <base64>");
                    }
                case "nil":
                    text();
                    return null;
                case "array": {
                    start("data");
                    List<Object> out = new ArrayList<>();
                    while (nextStartOrEnd()) {
                        expectName("value");
                        out.add(valueBody(depth + 1));
                    }
                    expectEnd("data");
                    end("array");
                    return out;
                }
                case "struct": {
                    Map<String, Object> out = new LinkedHashMap<>();
                    while (nextStartOrEnd()) {
                        expectName("member");
                        start("name");
                        String key = text();
                        start("value");
                        out.put(key, valueBody(depth + 1));
                        end("member");
                    }
                    expectEnd("struct");
                    return out;
                }
                default:
                    throw new XmlRpcException("malformed XML-RPC: unknown type <" + clip(type) + ">");
            }
        }

        void finish() throws XmlRpcException {
            try {
                while (r.hasNext()) {
                    int ev = r.next();
                    if (ev == XMLStreamConstants.START_ELEMENT || ev == XMLStreamConstants.DTD
                            || ev == XMLStreamConstants.ENTITY_REFERENCE
                            || ev == XMLStreamConstants.CHARACTERS && !r.isWhiteSpace()) {
                        throw new XmlRpcException("malformed XML-RPC: content after the document element");
                    }
                }
            } catch (XMLStreamException e) {
                throw new XmlRpcException("malformed XML-RPC: " + e.getMessage());
            }
        }

        private static XmlRpcException refused(int event) {
            return switch (event) {
                case XMLStreamConstants.DTD -> new XmlRpcException("refused XML-RPC: a DOCTYPE is not allowed");
                case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION ->
                        new XmlRpcException("refused XML-RPC: entity references are not allowed");
                default -> new XmlRpcException("malformed XML-RPC: unexpected XML event " + event);
            };
        }

        @Override
        public void close() {
            try {
                r.close();
            } catch (XMLStreamException ignored) {
                // nothing to release
            }
        }
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    // ---- HTTP transport (client)

    /**
     * Calls {@code method} on the XML-RPC server at {@code uri} (http://HOST:PORT/...) over one HTTP/1.1 connection
     * (closed afterwards), with a connect and read timeout; the response is capped at {@link #MAX_BODY_BYTES}.
     */
    public static Object call(String uri, int timeoutMillis, String method, Object... params) throws IOException {
        URI u;
        try {
            u = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new IOException("bad XML-RPC URI '" + uri + "'");
        }
        if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null || u.getPort() <= 0) {
            throw new IOException("bad XML-RPC URI '" + uri + "' (expected http://HOST:PORT/)");
        }
        byte[] body = request(method, params);
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort()
                    + "\r\nUser-Agent: armature-ros1\r\nContent-Type: text/xml\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return parseResponse(readHttpResponse(new java.io.BufferedInputStream(s.getInputStream()), uri));
        }
    }

    static byte[] readHttpResponse(InputStream in, String from) throws IOException {
        String header = readHead(in, from);
        String[] lines = header.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("XML-RPC server " + from + " sent no HTTP response");
        }
        if (!status[1].equals("200")) {
            throw new IOException("XML-RPC server " + from + " answered HTTP " + lines[0].substring(
                    status[0].length()).trim());
        }
        long length = -1;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            int c = l.indexOf(':');
            if (c <= 0) {
                continue;
            }
            String k = l.substring(0, c).trim().toLowerCase(Locale.ROOT);
            String v = l.substring(c + 1).trim();
            if (k.equals("content-length")) {
                try {
                    length = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new IOException("XML-RPC server " + from + ": bad Content-Length '" + clip(v) + "'");
                }
            } else if (k.equals("transfer-encoding") && !v.equalsIgnoreCase("identity")) {
                throw new IOException("XML-RPC server " + from + ": unsupported Transfer-Encoding " + clip(v));
            }
        }
        if (length > MAX_BODY_BYTES) {
            throw new XmlRpcException("XML-RPC response from " + from + " of " + length + " bytes exceeds "
                    + MAX_BODY_BYTES);
        }
        if (length >= 0) {
            byte[] body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new IOException("XML-RPC response from " + from + " truncated");
            }
            return body;
        }
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new XmlRpcException("XML-RPC response from " + from + " exceeds " + MAX_BODY_BYTES + " bytes");
        }
        return body;
    }

    private static String readHead(InputStream in, String from) throws IOException {
        byte[] buf = new byte[MAX_HEADER_BYTES];
        int n = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("XML-RPC server " + from + " closed the connection before answering");
            }
            if (n == buf.length) {
                throw new IOException("XML-RPC server " + from + ": HTTP header exceeds " + MAX_HEADER_BYTES
                        + " bytes");
            }
            buf[n++] = (byte) c;
            if (n >= 4 && buf[n - 4] == '\r' && buf[n - 3] == '\n' && buf[n - 2] == '\r' && buf[n - 1] == '\n') {
                return new String(buf, 0, n - 4, StandardCharsets.ISO_8859_1);
            }
        }
    }
}
