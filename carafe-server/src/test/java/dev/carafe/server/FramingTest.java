package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Strict framing: every message a lenient parser might frame differently is answered with an
 * error and the connection is closed, so the valid request sent right behind it in the same write
 * is never read as a request (request smuggling).
 */
class FramingTest {
    private static final AtomicInteger handled = new AtomicInteger();
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(TestServers.config().headerTimeout(java.time.Duration.ofSeconds(5)), (req, res) -> {
            handled.incrementAndGet();
            byte[] body = req.body().readAllBytes(); // so that chunked framing errors surface
            res.send("ok " + req.path() + " " + body.length);
        });
    }

    @AfterAll
    static void stop() {
        server.stop(java.time.Duration.ofSeconds(1));
    }

    @BeforeEach
    void reset() {
        handled.set(0);
    }

    private void rejected(String bad, int status) throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.assertRejected(bad, status);
        }
    }

    @Test
    void validRequestsPassTheSameServer() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    + "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3;name=value;flag\r\nabc\r\n2; q = \"a;b\\\"c\" ;x\r\nde\r\n0\r\nTrailer-One: 1\r\nTrailer-Two: two\r\n\r\n"
                    + "GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok /a 5", c.read().body);
            assertEquals("ok /b 5", c.read().body);
            RawClient.Resp last = c.read();
            assertEquals("ok /c 0", last.body);
            assertEquals(null, last.header("Connection"));
            assertEquals(false, c.closedWithin(100));
        }
    }

    @Test
    void absoluteFormAndAsteriskTargets() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET http://example.com/abs?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n"
                    + "GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n"
                    + "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok /abs 0", c.read().body);
            assertEquals("ok / 0", c.read().body);
            assertEquals("ok * 0", c.read().body);
        }
        rejected("GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        rejected("GET http:///nohost HTTP/1.1\r\nHost: x\r\n\r\n", 400);
    }

    @Test
    void nonAsciiBytesInTarget() throws Exception {
        rejected("GET /caf\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n", 400);
    }

    @Test
    void oversizedChunkExtensionAndTrailers() throws Exception {
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;" + "e".repeat(5000)
                + "\r\nhello\r\n0\r\n\r\n", 400);
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
                + "X-Trailer: t\r\n".repeat(2000) + "\r\n", 431);
    }

    @Test
    void contentLengthAndTransferEncodingTogether() throws Exception {
        rejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+5", "-1", "0x5", "1 0", "5,5", "5, 5", "99999999999999999999", "9223372036854775808",
            "", "5.0", "٥"})
    void invalidContentLength(String value) throws Exception {
        rejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + value + "\r\n\r\nhello", 400);
    }

    @Test
    void severalContentLengths() throws Exception {
        rejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400);
        rejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "chunked, gzip|400", "gzip|400", "identity|400", "chunked, chunked|400", "chunked,|400", ",chunked|400",
        "gzip, chunked|501", "deflate, chunked|501", "x-custom, chunked|501",
    })
    void transferEncodingMustEndInChunked(String codings, int status) throws Exception {
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + codings + "\r\n\r\n0\r\n\r\n", status);
    }

    @Test
    void transferEncodingSplitOverTwoFields() throws Exception {
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n", 400);
    }

    @Test
    void transferEncodingInHttp10() throws Exception {
        rejected("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
    }

    @Test
    void obsFold() throws Exception {
        rejected("GET / HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n", 400);
        rejected("GET / HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n\tb\r\n\r\n", 400);
        rejected("GET / HTTP/1.1\r\n Host: x\r\n\r\n", 400);
    }

    @Test
    void whitespaceBeforeColon() throws Exception {
        rejected("GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400);
        rejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length\t: 5\r\n\r\nhello", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {": empty", "Bad Name: x", "Bad\"Quote: x", "Bad(Paren): x", "Bad/Slash: x", "NoColon",
            "Ünicode: x", "Bad\u0000Nul: x"})
    void invalidFieldNames(String field) throws Exception {
        rejected("GET / HTTP/1.1\r\nHost: x\r\n" + field + "\r\n\r\n", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\r", "\u0001", "\u0008", "\u000b", "\u000c", "\u001b", "\u007f"})
    void controlCharactersInFieldValues(String control) throws Exception {
        rejected("GET / HTTP/1.1\r\nHost: x\r\nX-Value: a" + control + "b\r\n\r\n", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\r", "\u0001", "\t", "\u007f", "#frag"})
    void controlCharactersInTarget(String control) throws Exception {
        rejected("GET /a" + control + "b HTTP/1.1\r\nHost: x\r\n\r\n", 400);
    }

    @Test
    void bareLf() throws Exception {
        rejected("GET / HTTP/1.1\nHost: x\r\n\r\n", 400);
        rejected("GET / HTTP/1.1\r\nHost: x\nX: y\r\n\r\n", 400);
        rejected("GET / HTTP/1.1\r\nHost: x\r\n\n", 400);
        rejected("\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", 400);
    }

    @Test
    void bareCrInRequestLine() throws Exception {
        rejected("GET / HTTP/1.1\rHost: x\r\n\r\n", 400);
    }

    @Test
    void hostMissingOrRepeated() throws Exception {
        rejected("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400);
        rejected("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
        rejected("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400);
    }

    @Test
    void http10WithoutHostIsServed() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /old HTTP/1.0\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals(200, r.status);
            assertEquals("ok /old 0", r.body);
            assertTrue(c.closedWithin(2000));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/3.0", "HTTP/2"})
    void laterMajorVersionsGet505(String version) throws Exception {
        rejected("GET / " + version + "\r\nHost: x\r\n\r\n", 505);
    }

    @Test
    void http2RequestLineThatIsNotTheExactPrefaceGets505() throws Exception {
        // The exact preface switches to HTTP/2 (Http2LifecycleTest); anything else claiming HTTP/2 is refused.
        rejected("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", 505);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.x", "HTTP/1", "HTTP/1.1.1", "http/1.1", "HTTP/11", "HTTP/1.10", "HTTX/1.1", "",
            "HTTP/1.1 ", "HTTP/ 1.1"})
    void garbageVersionsGet400(String version) throws Exception {
        rejected("GET / " + version + "\r\nHost: x\r\n\r\n", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET  / HTTP/1.1", "GET /  HTTP/1.1", "GET\t/ HTTP/1.1", " GET / HTTP/1.1", "GET /",
            "G(T / HTTP/1.1", "GET foo HTTP/1.1"})
    void malformedRequestLines(String line) throws Exception {
        rejected(line + "\r\nHost: x\r\n\r\n", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz\r\nhello\r\n0\r\n\r\n", "\r\nhello\r\n0\r\n\r\n", "-5\r\nhello\r\n0\r\n\r\n",
            "0x5\r\nhello\r\n0\r\n\r\n", " 5\r\nhello\r\n0\r\n\r\n", "5 \r\nhello\r\n0\r\n\r\n",
            "5\nhello\r\n0\r\n\r\n", "5\rhello\r\n0\r\n\r\n", "1000000000000000\r\n",
            "5;ext\u0001=1\r\nhello\r\n0\r\n\r\n", "5;ext\u0000\r\nhello\r\n0\r\n\r\n",
            "5\r\nhelloXX0\r\n\r\n", "5\r\nhello\n0\r\n\r\n", "5\r\nhello\r\n0\r\nBad Trailer: x\r\n\r\n",
            "5\r\nhello\r\n0\r\nTrailer: a\u0000b\r\n\r\n", "5\r\nhello\r\n0\r\n\n",
            // Found by NodeFramingDifferentialTest, where llhttp refuses them: framing fields as trailers,
            "0\r\nContent-Length: 5\r\n\r\n", "0\r\ntransfer-encoding: chunked\r\n\r\n",
            // and chunk extensions outside RFC 9112's grammar.
            "5;a=;\"b;c\"\r\nhello\r\n0\r\n\r\n", "5;a=\r\nhello\r\n0\r\n\r\n", "5;\r\nhello\r\n0\r\n\r\n",
            "5;a=\"open\r\nhello\r\n0\r\n\r\n", "5;a b\r\nhello\r\n0\r\n\r\n", "5;a=b \r\nhello\r\n0\r\n\r\n",
            "5;a=b\"c\r\nhello\r\n0\r\n\r\n"})
    void malformedChunkedBodies(String body) throws Exception {
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body, 400);
        assertEquals(0, handled.get() - 1, "only the bad request reached the handler");
    }

    @Test
    void tlsClientHelloIsRefusedAtOnce() throws Exception {
        // The first bytes of a TLS 1.2/1.3 ClientHello record.
        byte[] hello = {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03};
        try (RawClient c = new RawClient(server.port())) {
            long start = System.nanoTime();
            c.send(hello);
            RawClient.Resp r = c.assertRejectedAlreadySent(400);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 1000, "400 took " + millis + " ms; the header timeout is 5 s");
            assertTrue(r.body.startsWith("400 Bad Request"), r.body);
        }
        assertEquals(0, handled.get());
    }

    @Test
    void badRequestsNeverReachTheHandler() throws Exception {
        rejected("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
        rejected("GET / HTTP/1.1\r\nX: a\u0000b\r\nHost: x\r\n\r\n", 400);
        assertEquals(0, handled.get());
    }

    @Test
    void connectIsNotImplemented() throws Exception {
        rejected("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501);
    }
}
