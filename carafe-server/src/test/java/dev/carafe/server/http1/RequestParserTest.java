package dev.carafe.server.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parser on its own, for what the socket tests (FramingTest) cannot see directly: framing fields
 * are recognized in any letter case (the parser finds them by identity, so a spelling it failed to
 * map would silently lose a Transfer-Encoding), and each line's split and validation in one pass.
 */
class RequestParserTest {

    private static Http1Request parse(String head) throws ProtocolException {
        byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
        return RequestParser.parse(b, 0, b.length, 100);
    }

    private static int status(String head) {
        return assertThrows(ProtocolException.class, () -> parse(head)).status();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Transfer-Encoding", "transfer-encoding", "TRANSFER-ENCODING", "tRaNsFeR-eNcOdInG"})
    void transferEncodingInAnyCaseFramesTheBody(String name) throws Exception {
        Http1Request req = parse("POST / HTTP/1.1\r\nHost: x\r\n" + name + ": chunked\r\n\r\n");
        assertTrue(req.chunked);
        assertEquals(-1, req.contentLength);
        assertEquals(400, status("POST / HTTP/1.1\r\nHost: x\r\n" + name + ": chunked\r\ncontent-LENGTH: 5\r\n\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length", "content-length", "CONTENT-LENGTH"})
    void contentLengthInAnyCase(String name) throws Exception {
        assertEquals(5, parse("POST / HTTP/1.1\r\nHost: x\r\n" + name + ": 5\r\n\r\n").contentLength);
        assertEquals(400, status("POST / HTTP/1.1\r\nHost: x\r\n" + name + ": 5\r\nContent-Length: 5\r\n\r\n"));
    }

    @Test
    void hostExpectAndConnectionInAnyCase() throws Exception {
        assertEquals(400, status("GET / HTTP/1.1\r\nhost: a\r\nHOST: b\r\n\r\n"));
        assertEquals(400, status("GET / HTTP/1.1\r\nX-Host: a\r\n\r\n"));
        assertTrue(parse("POST / HTTP/1.1\r\nHost: x\r\nexpect: 100-Continue\r\nContent-Length: 1\r\n\r\n").expectContinue);
        assertEquals(417, status("GET / HTTP/1.1\r\nHost: x\r\nEXPECT: nothing\r\n\r\n"));
        assertFalse(parse("GET / HTTP/1.1\r\nHost: x\r\nconnection: keep-alive, CLOSE\r\n\r\n").keepAlive);
        assertTrue(parse("GET / HTTP/1.1\r\nHost: x\r\n\r\n").keepAlive);
        assertFalse(parse("GET / HTTP/1.0\r\n\r\n").keepAlive);
        assertTrue(parse("GET / HTTP/1.0\r\nCONNECTION: Keep-Alive\r\n\r\n").keepAlive);
    }

    @Test
    void splitsLinesAndTrimsOptionalWhitespace() throws Exception {
        Http1Request req = parse("GET /a/b?x=1 HTTP/1.1\r\nHost:x\r\nX-Empty:\r\nX-Pad: \t v a l \t \r\nX-Latin: caf\u00e9\r\n\r\n");
        assertEquals("GET", req.method);
        assertEquals("/a/b", req.path);
        assertEquals("x=1", req.query);
        assertEquals("x", req.headers.get("host"));
        assertEquals("", req.headers.get("X-Empty"));
        assertEquals("v a l", req.headers.get("X-Pad"));
        assertEquals("caf\u00e9", req.headers.get("X-Latin"));
        assertNull(req.headers.get("X-Missing"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n",        // bare CR in a value
        "GET / HTTP/1.1\r\nHost: x\r\nX: a\u007fb\r\n\r\n",    // DEL in a value
        "GET / HTTP/1.1\r\nHost: x\r\nX: a\u0000b\r\n\r\n",    // NUL in a value
        "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",        // obsolete line folding
        "GET / HTTP/1.1\r\nHost: x\r\nX : a\r\n\r\n",          // space before the colon
        "GET / HTTP/1.1\r\nHost: x\r\n: a\r\n\r\n",            // empty name
        "GET / HTTP/1.1\r\nHo\rst: x\r\n\r\n",                 // CR in a name
        "GET /a\rb HTTP/1.1\r\nHost: x\r\n\r\n",               // CR in the target
        "GET / HTTP/1.1\rX\r\nHost: x\r\n\r\n",                // bare CR after the version
        "GET / HTTP/1.1 \r\nHost: x\r\n\r\n",                  // space after the version
        "GET / HTTP/1.1\r\n\r\n",                              // no Host
    })
    void refusesMalformedLines(String head) {
        assertEquals(400, status(head));
    }

    @Test
    void countsHeaderFieldsAgainstTheLimit() throws Exception {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 99; i++) head.append("X-").append(i).append(": v\r\n");
        assertEquals(100, parse(head + "\r\n").headers.size());
        assertEquals(431, status(head + "X-100: v\r\n\r\n"));
    }
}
