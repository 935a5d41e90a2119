package dev.carafe.server.http2;

import static dev.carafe.server.http2.ErrorCode.*;
import static dev.carafe.server.http2.Frames.*;
import static dev.carafe.server.http2.H2Client.block;
import static dev.carafe.server.http2.H2Client.get;
import static dev.carafe.server.http2.H2Client.int32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.server.Http2Config;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limits that keep one client from holding the server, and the known attacks on HTTP/2:
 * each ends in the RST_STREAM or GOAWAY code that names it, and costs the other streams nothing.
 */
class Http2LimitsTest {
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        Http2Config limits = Http2Config.defaults().withMaxConcurrentStreams(2).withMaxResets(20, Duration.ofSeconds(10))
                .withMaxControlFrames(50).withMaxHeaderBlockFrames(8);
        server = ConformanceServer.start(limits, ServerConfig.builder().maxBodyBytes(1000).ioTimeout(Duration.ofMillis(500)));
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
    void streamsBeyondTheAdvertisedLimitAreRefusedAndTheOthersGoOn() throws Exception {
        try (H2Client c = connect()) {
            assertEquals(2, settingValue(c.serverSettings, MAX_CONCURRENT_STREAMS), "advertised");
            c.headers(1, true, get("/hold?limit"));
            c.headers(3, true, get("/hold?limit"));
            c.headers(5, true, get("/hold?limit"));
            c.expectReset(5, REFUSED_STREAM);
            ConformanceServer.hold("limit").release(2);
            assertEquals("held", c.response(1).body());
            assertEquals("held", c.response(3).body());
            c.assertStillServes(7);
        }
    }

    /** A reset does not free a slot while its handler still runs: a client cannot start handlers faster than they end. */
    @Test
    void aResetStreamKeepsItsSlotUntilItsHandlerReturns() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, true, get("/hold?reset"));
            c.send(RST_STREAM, 0, 1, int32(CANCEL));
            c.headers(3, true, get("/hold?reset"));
            c.headers(5, true, get("/hold?reset"));
            c.expectReset(5, REFUSED_STREAM);
        }
    }

    @Test
    void rapidResetIsEnhanceYourCalm() throws Exception {
        try (H2Client c = connect()) {
            for (int stream = 1; stream < 2 * 30; stream += 2) {
                c.headers(stream, true, get("/"));
                c.send(RST_STREAM, 0, stream, int32(CANCEL));
            }
            c.expectGoAway(ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void continuationFloodIsEnhanceYourCalm() throws Exception {
        try (H2Client c = connect()) {
            c.send(HEADERS, END_STREAM, 1, get("/"));
            for (int i = 0; i < 20; i++) c.send(CONTINUATION, 0, 1, new byte[0]);
            c.expectGoAway(ENHANCE_YOUR_CALM);
        }
        try (H2Client c = connect()) {
            c.send(HEADERS, END_STREAM, 1, get("/"));
            byte[] filler = new H2Client.Block().literal("x", "y".repeat(16_000)).bytes();
            for (int i = 0; i < 3; i++) c.send(CONTINUATION, 0, 1, filler); // past twice maxHeaderBytes, before any decoding
            c.expectGoAway(ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void headerListAboveMaxHeaderBytesIs431() throws Exception {
        try (H2Client c = connect()) {
            byte[] big = block("GET", "/", "x-big", "z".repeat(17_000));
            c.send(HEADERS, END_STREAM, 1, java.util.Arrays.copyOfRange(big, 0, 16_000));
            c.send(CONTINUATION, END_HEADERS, 1, java.util.Arrays.copyOfRange(big, 16_000, big.length));
            assertEquals(431, c.response(1).status());
            c.assertStillServes(3);
        }
    }

    /** A small block that decodes huge (one 4 KB table entry referenced again and again) is refused, and HPACK stays in step. */
    @Test
    void hpackBombIs431AndTheTableStaysInStep() throws Exception {
        try (H2Client c = connect()) {
            H2Client.Block b = new H2Client.Block().indexed(2).indexed(6).literal(4, "/bomb").literal(1, "h")
                    .indexing("x-bomb", "q".repeat(4000));
            for (int i = 0; i < 1000; i++) b.indexed(62); // 1 KB on the wire, 4 MB decoded
            c.headers(1, true, b.bytes());
            assertEquals(431, c.response(1).status());
            c.headers(3, true, new H2Client.Block().indexed(2).indexed(6).literal(4, "/ok").literal(1, "h").indexed(62).bytes());
            assertEquals("ok /ok", c.response(3).body(), "the entry added by the refused block is in the table");
        }
    }

    @Test
    void pingAndSettingsFloodsAreEnhanceYourCalm() throws Exception {
        try (H2Client c = connect()) {
            for (int i = 0; i < 60; i++) c.ping(new byte[8]);
            c.expectGoAway(ENHANCE_YOUR_CALM);
        }
        try (H2Client c = connect()) {
            for (int i = 0; i < 60; i++) c.settings();
            c.expectGoAway(ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void bodiesAboveMaxBodyBytesAre413() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, false, block("POST", "/echo", "content-length", "2000"));
            H2Client.Response r = c.response(1);
            assertEquals(413, r.status(), "refused before the handler runs");
            c.expectReset(1, NO_ERROR); // the rest of the body is not wanted
            c.headers(3, false, block("POST", "/echo"));
            for (int i = 0; i < 3; i++) c.data(3, false, new byte[600]);
            assertEquals(413, c.response(3).status(), "an undeclared length is counted as it arrives");
            c.assertStillServes(5);
        }
    }

    /** A client that never opens its window holds a stream's thread only for ioTimeout. */
    @Test
    void zeroWindowStallIsCancelledAfterTheWriteTimeout() throws Exception {
        try (H2Client c = connect(INITIAL_WINDOW_SIZE, 0)) {
            long start = System.nanoTime();
            c.headers(1, true, get("/big?100"));
            c.expectReset(1, CANCEL);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 450 && millis < 3000, "after ioTimeout (500 ms): " + millis);
            c.settings(INITIAL_WINDOW_SIZE, 65_535);
            c.assertStillServes(3);
        }
    }

    @Test
    void aBodyThatNeverComesTimesOutWith408() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, false, block("POST", "/echo"));
            assertEquals(408, c.response(1).status());
            c.expectReset(1, NO_ERROR);
        }
    }

    private static int settingValue(H2Client.Frame settings, int id) {
        byte[] p = settings.payload();
        for (int i = 0; i < p.length; i += 6) {
            if (((p[i] & 0xff) << 8 | (p[i + 1] & 0xff)) == id) return Frames.int32(p, i + 2);
        }
        return -1;
    }
}
