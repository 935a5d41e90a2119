package dev.carafe.server.http2;

import static dev.carafe.server.http2.ErrorCode.*;
import static dev.carafe.server.http2.Frames.*;
import static dev.carafe.server.http2.H2Client.block;
import static dev.carafe.server.http2.H2Client.get;
import static dev.carafe.server.http2.H2Client.int32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.server.Server;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stream states (RFC 9113 §5.1), flow control (§6.9) and HTTP semantics (§8): what a client may
 * send on a stream in each state, how windows bound what either side sends, which request
 * header blocks are malformed, and what the server does to responses a handler writes for HTTP/1.1.
 */
class StreamConformanceTest {
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        server = ConformanceServer.start();
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(1));
    }

    @AfterEach
    void releaseHeld() {
        ConformanceServer.releaseAll();
    }

    private static H2Client connect(int... settings) throws Exception {
        return H2Client.connect(server.port(), settings);
    }

    @Test
    void s5_1_framesOnIdleStreamsAreProtocolErrors() throws Exception {
        int[][] frames = {{DATA, 4}, {RST_STREAM, 4}, {WINDOW_UPDATE, 4}};
        for (int[] f : frames) {
            try (H2Client c = connect()) {
                c.send(f[0], 0, 1, f[0] == WINDOW_UPDATE ? int32(1) : new byte[f[1]]);
                c.expectGoAway(PROTOCOL_ERROR);
            }
        }
    }

    @Test
    void s5_1_halfClosedRemote_dataAndHeadersAreStreamClosed() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, true, get("/hold?halfclosed"));
            c.data(1, false, new byte[] {'x'});
            c.expectReset(1, STREAM_CLOSED);
            c.headers(3, true, get("/hold?halfclosed"));
            c.headers(3, true, get("/hold?halfclosed"));
            c.expectReset(3, STREAM_CLOSED);
            c.assertStillServes(5);
        }
    }

    @Test
    void s5_1_closed_afterEndStream_headersIsStreamClosedAndDataTooAfterClientReset() throws Exception {
        try (H2Client c = connect()) {
            c.assertStillServes(1);
            c.headers(1, true, get("/ok"));
            c.expectGoAway(STREAM_CLOSED);
        }
        try (H2Client c = connect()) {
            c.headers(1, false, block("POST", "/echo"));
            c.send(RST_STREAM, 0, 1, int32(CANCEL));
            c.data(1, true, new byte[] {'x'});
            c.expectReset(1, STREAM_CLOSED);
            c.assertStillServes(3);
        }
    }

    @Test
    void s5_1_1_evenAndDecreasingStreamIdsAreProtocolErrors() throws Exception {
        try (H2Client c = connect()) {
            c.headers(2, true, get("/"));
            c.expectGoAway(PROTOCOL_ERROR);
        }
        try (H2Client c = connect()) {
            c.assertStillServes(5);
            c.headers(3, true, get("/"));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_9_1_responseWaitsForTheClientsWindow() throws Exception {
        try (H2Client c = connect(INITIAL_WINDOW_SIZE, 10)) {
            c.headers(1, true, get("/big?100"));
            H2Client.Frame first = c.await(DATA, 1);
            assertEquals(10, first.payload().length, "no more than the stream window");
            int got = 10;
            while (got < 100) {
                c.send(WINDOW_UPDATE, 0, 1, int32(30));
                H2Client.Frame d = c.await(DATA, 1);
                assertTrue(d.payload().length <= 30);
                got += d.payload().length;
            }
            assertEquals(100, got);
        }
    }

    @Test
    void s6_9_2_newInitialWindowAppliesToOpenStreams() throws Exception {
        try (H2Client c = connect(INITIAL_WINDOW_SIZE, 0)) {
            c.headers(1, true, get("/big?50"));
            c.await(HEADERS, 1);
            c.settings(INITIAL_WINDOW_SIZE, 50);
            H2Client.Frame d = c.await(DATA, 1);
            assertEquals(50, d.payload().length);
        }
    }

    @Test
    void s6_9_dataBeyondTheServersWindowIsFlowControlError() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, false, block("POST", "/hold?post"));
            for (int i = 0; i < 4; i++) c.data(1, false, new byte[16_384]);
            c.data(1, false, new byte[4]); // 65,540 > 65,535
            c.expectReset(1, FLOW_CONTROL_ERROR);
        }
    }

    @Test
    void s6_9_serverGrantsWindowAsTheHandlerReads() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, false, block("POST", "/echo"));
            long window = DEFAULT_WINDOW;
            for (int i = 0; i < 20; i++) { // 320 KB: five times the stream window, so it needs WINDOW_UPDATEs
                while (window < 16_000) window += c.await(WINDOW_UPDATE, 1).int32(0);
                c.data(1, false, new byte[16_000]);
                window -= 16_000;
            }
            c.data(1, true, new byte[0]);
            assertTrue(c.response(1).body().startsWith("echo 320000 "));
        }
    }

    @Test
    void s8_1_trailersAreAcceptedAndHeadersWithoutEndStreamAfterDataAreNot() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, false, block("POST", "/echo"));
            c.data(1, false, "abc".getBytes());
            c.headers(1, true, new H2Client.Block().literal("x-checksum", "1").bytes());
            assertEquals("echo 3 abc", c.response(1).body());
            c.headers(3, false, block("POST", "/echo"));
            c.data(3, false, "abc".getBytes());
            c.headers(3, false, new H2Client.Block().literal("x-checksum", "1").bytes());
            c.expectReset(3, PROTOCOL_ERROR);
            c.headers(5, false, block("POST", "/echo"));
            c.headers(5, true, new H2Client.Block().literal(4, "/trailer").bytes());
            c.expectReset(5, PROTOCOL_ERROR);
        }
    }

    @Test
    void s8_1_1_contentLengthMustMatchTheData() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, false, block("POST", "/echo", "content-length", "5"));
            c.data(1, true, "abc".getBytes());
            c.expectReset(1, PROTOCOL_ERROR);
            c.headers(3, false, block("POST", "/echo", "content-length", "2"));
            c.data(3, true, "abc".getBytes());
            c.expectReset(3, PROTOCOL_ERROR);
            c.headers(5, false, block("POST", "/echo", "content-length", "3"));
            c.data(5, true, "abc".getBytes());
            assertEquals("echo 3 abc", c.response(5).body());
        }
    }

    @Test
    void s8_2_malformedRequestsAreStreamErrors() throws Exception {
        byte[][] malformed = {
            block("GET", "/", "Upper", "x"),                          // upper-case name
            block("GET", "/", "connection", "keep-alive"),            // connection-specific
            block("GET", "/", "transfer-encoding", "chunked"),
            block("GET", "/", "te", "gzip"),                          // TE other than trailers
            block("GET", "/", "x-bad", "a\rb"),                       // CR in a value
            block("GET", "/", "x-bad", " padded"),                    // leading whitespace
            block("GET", "/", "bad name", "x"),                       // not a token
            block("GET", "/", ":status", "200"),                      // response pseudo-field (after regular: also wrong)
            new H2Client.Block().indexed(2).indexed(6).literal(4, "/").literal("x", "1").literal(1, "h").bytes(), // pseudo after regular
            new H2Client.Block().indexed(2).indexed(6).literal(4, "/").literal(":foo", "1").bytes(),               // unknown pseudo
            new H2Client.Block().indexed(2).indexed(6).literal(4, "/").literal(4, "/again").bytes(),             // repeated :path
            new H2Client.Block().indexed(2).indexed(6).literal(1, "h").bytes(),                                   // no :path
            new H2Client.Block().indexed(2).indexed(6).literal(4, "").bytes(),                                    // empty :path
            new H2Client.Block().indexed(6).literal(4, "/").bytes(),                                              // no :method
            new H2Client.Block().indexed(2).literal(4, "/").bytes(),                                              // no :scheme
        };
        try (H2Client c = connect()) {
            int stream = 1;
            for (byte[] b : malformed) {
                c.headers(stream, true, b);
                c.expectReset(stream, PROTOCOL_ERROR);
                stream += 2;
            }
            c.assertStillServes(stream);
        }
    }

    /** RFC 9110 §10.1.1 over HTTP/2: the interim 100 comes when the handler reads the body, not before. */
    @Test
    void expectContinueIsAnsweredWhenTheBodyIsRead() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, false, block("POST", "/echo", "expect", "100-continue"));
            H2Client.Response interim = c.response(1, true);
            assertEquals(100, interim.status());
            c.data(1, true, "late".getBytes());
            assertEquals("echo 4 late", c.response(1).body());
            c.headers(3, false, block("POST", "/ok", "expect", "100-continue")); // never reads its body
            H2Client.Response r = c.response(3);
            assertEquals(200, r.status(), "no 100 for a body nobody reads");
        }
    }

    @Test
    void s8_2_3_cookiesAreJoinedAndAuthorityIsTheHost() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, true, block("GET", "/cookie", "cookie", "a=1", "cookie", "b=2"));
            assertEquals("a=1; b=2 host=localhost", c.response(1).body());
        }
    }

    @Test
    void s8_responseFieldsAreHttp2Fields() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, true, get("/head"));
            H2Client.Response r = c.response(1);
            assertNull(r.field("connection"), "connection-specific fields are dropped");
            assertNull(r.field("transfer-encoding"));
            assertEquals("yes", r.field("x-kept"), "names are lower case");
            assertEquals("4", r.field("content-length"));
            assertTrue(r.field("date").endsWith(" GMT"));
            c.headers(3, true, block("HEAD", "/big?1000"));
            H2Client.Response head = c.response(3);
            assertEquals("1000", head.field("content-length"));
            assertEquals("", head.body(), "no body for HEAD");
        }
    }

    @Test
    void streamingBodiesFlushAsDataFrames() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, true, get("/stream"));
            c.await(HEADERS, 1);
            assertEquals("event 0\n", c.await(DATA, 1).text());
            assertEquals("event 1\n", c.await(DATA, 1).text());
        }
    }

    @Test
    void handlerFailureIs500AndUpgradeFailsClearly() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, true, get("/boom"));
            assertEquals(500, c.response(1).status());
            c.headers(3, true, get("/upgrade"));
            H2Client.Response r = c.response(3);
            assertEquals(501, r.status());
            assertTrue(r.body().contains("need HTTP/1.1"), r.body());
        }
    }

    @Test
    void connectIsNotImplemented() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, true, new H2Client.Block().literal(2, "CONNECT").literal(1, "example.com:443").bytes());
            assertEquals(501, c.response(1).status());
        }
    }
}
