package org.armature.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The XML-RPC codec: round trips, the shapes other implementations send, and hostile or broken documents. */
class XmlRpcTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void requestsAndResponsesRoundTripEveryType() throws Exception {
        Map<String, Object> struct = new LinkedHashMap<>();
        struct.put("faultless", true);
        struct.put("nested", List.of(1, "x"));
        List<Object> params = List.of(7, -3, true, "a<b>&\"c\" ü", 0.25, List.of(List.of("TCPROS")), struct,
                new byte[]{1, 2, 3});
        XmlRpc.Call c = XmlRpc.parseRequest(XmlRpc.request("requestTopic", params.toArray()));
        assertEquals("requestTopic", c.method());
        assertEquals(params.subList(0, 7), c.params().subList(0, 7));
        assertArrayEquals(new byte[]{1, 2, 3}, (byte[]) c.params().get(7));
        Object r = XmlRpc.parseResponse(XmlRpc.response(List.of(1, "ready", List.of("TCPROS", "127.0.0.1", 4000))));
        assertEquals(List.of(1, "ready", List.of("TCPROS", "127.0.0.1", 4000)), r);
    }

    @Test
    void readsWhatPythonsXmlrpcAndRosmasterSend() throws Exception {
        // untyped strings, i4, whitespace between elements, an empty params list, a nil
        String doc = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n"
                + "<value><i4>1</i4></value>\n<value>Registered [/x] as subscriber</value>\n"
                + "<value><array><data>\n<value><string>http://127.0.0.1:4321/</string></value>\n</data></array>"
                + "</value>\n<value><nil/></value>\n</data></array></value>\n</param>\n</params>\n</methodResponse>\n";
        assertEquals(java.util.Arrays.asList(1, "Registered [/x] as subscriber", List.of("http://127.0.0.1:4321/"),
                null), XmlRpc.parseResponse(b(doc)));
        XmlRpc.Call c = XmlRpc.parseRequest(b("<?xml version=\"1.0\"?><methodCall><methodName>getPid"
                + "</methodName></methodCall>"));
        assertEquals("getPid", c.method());
        assertEquals(List.of(), c.params());
    }

    @Test
    void faultsAreThrownWithTheirMessage() {
        XmlRpc.XmlRpcException e = assertThrows(XmlRpc.XmlRpcException.class,
                () -> XmlRpc.parseResponse(XmlRpc.fault(-1, "unknown method frobnicate")));
        assertTrue(e.getMessage().contains("unknown method frobnicate"), e.getMessage());
    }

    @Test
    void externalEntitiesAndDoctypesAreRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<methodCall><methodName>&x;</methodName></methodCall>";
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;"
                + "&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
                + "<methodCall><methodName>&c;</methodName></methodCall>";
        String dtdOnly = "<?xml version=\"1.0\"?><!DOCTYPE methodCall SYSTEM \"http://127.0.0.1:1/evil.dtd\">"
                + "<methodCall><methodName>getPid</methodName></methodCall>";
        for (String doc : List.of(xxe, laughs, dtdOnly)) {
            XmlRpc.XmlRpcException e = assertThrows(XmlRpc.XmlRpcException.class, () -> XmlRpc.parseRequest(b(doc)));
            assertTrue(!e.getMessage().contains("root:"), e.getMessage());
        }
    }

    @Test
    void limitsOnSizeDepthAndCountHold() {
        byte[] big = new byte[XmlRpc.MAX_BODY_BYTES + 1];
        assertThrows(XmlRpc.XmlRpcException.class, () -> XmlRpc.parseResponse(big));
        StringBuilder deep = new StringBuilder("<methodResponse><params><param><value>");
        for (int i = 0; i < 40; i++) {
            deep.append("<array><data><value>");
        }
        deep.append("<int>1</int>");
        for (int i = 0; i < 40; i++) {
            deep.append("</value></data></array>");
        }
        deep.append("</value></param></params></methodResponse>");
        XmlRpc.XmlRpcException e = assertThrows(XmlRpc.XmlRpcException.class,
                () -> XmlRpc.parseResponse(b(deep.toString())));
        assertTrue(e.getMessage().contains("deeper"), e.getMessage());
        StringBuilder many = new StringBuilder("<methodResponse><params><param><value><array><data>");
        for (int i = 0; i < XmlRpc.MAX_VALUES + 1; i++) {
            many.append("<value/>");
        }
        many.append("</data></array></value></param></params></methodResponse>");
        assertThrows(XmlRpc.XmlRpcException.class, () -> XmlRpc.parseResponse(b(many.toString())));
    }

    @Test
    void malformedDocumentsFailCleanly() {
        List<String> bad = List.of("", "<", "not xml", "<methodResponse>", "<methodCall><methodName>x</methodName>",
                "<methodResponse><params><param><value><int>x</int></value></param></params></methodResponse>",
                "<methodResponse><params><param><value><double>1e</double></value></param></params></methodResponse>",
                "<methodResponse><params><param><value><boolean>2</boolean></value></param></params></methodResponse>",
                "<methodResponse><params><param><value><bogus/></value></param></params></methodResponse>",
                "<methodResponse><params><param><value><int>1</int></value></param></params></methodResponse><x/>",
                "<methodResponse><params><param><value>a<int>1</int></value></param></params></methodResponse>",
                "<methodResponse><params><param><value><struct><member><value><int>1</int></value></member>"
                        + "</struct></value></param></params></methodResponse>");
        for (String doc : bad) {
            assertThrows(XmlRpc.XmlRpcException.class, () -> XmlRpc.parseResponse(b(doc)), doc);
        }
    }

    @Test
    void randomMutationsOnlyEverGiveXmlRpcExceptions() {
        byte[] good = XmlRpc.response(List.of(1, "ready", List.of("TCPROS", "127.0.0.1", 4000, 0.5, true)));
        Random rnd = new Random(22);
        int parsed = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] m = good.clone();
            int edits = 1 + rnd.nextInt(4);
            for (int k = 0; k < edits; k++) {
                m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
            }
            if (rnd.nextBoolean()) {
                m = java.util.Arrays.copyOf(m, rnd.nextInt(m.length));
            }
            try {
                XmlRpc.parseResponse(m);
                parsed++;
            } catch (XmlRpc.XmlRpcException expected) {
                // the only failure allowed
            }
        }
        assertTrue(parsed < 3000);
    }
}
