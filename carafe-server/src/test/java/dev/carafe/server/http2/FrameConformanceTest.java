package dev.carafe.server.http2;

import static dev.carafe.server.http2.ErrorCode.*;
import static dev.carafe.server.http2.Frames.*;
import static dev.carafe.server.http2.H2Client.get;
import static dev.carafe.server.http2.H2Client.int32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.server.Server;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Frame-level MUSTs of RFC 9113 §3–§6, one hand-built exchange each, in the manner of h2spec's
 * sections (named in each test). Connection errors must end in GOAWAY with the code the RFC
 * names; stream errors in RST_STREAM, after which the connection still serves.
 */
class FrameConformanceTest {
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        server = ConformanceServer.start();
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(1));
    }

    private static H2Client connect() throws Exception {
        return H2Client.connect(server.port());
    }

    @Test
    void s3_5_serverSendsSettingsAndAcksOurs() throws Exception {
        try (H2Client c = connect()) {
            assertEquals(0, c.serverSettings.flags());
            assertTrue(c.serverSettings.payload().length % 6 == 0);
            assertEquals(1, c.await(SETTINGS, 0).flags(), "our SETTINGS is acknowledged");
            c.assertStillServes(1);
        }
    }

    @Test
    void s3_5_firstFrameMustBeSettings() throws Exception {
        try (H2Client c = new H2Client(server.port())) {
            c.raw(PREFACE);
            c.ping(new byte[8]);
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    @Test
    void s4_1_unknownFrameTypesAndFlagsAreIgnored() throws Exception {
        try (H2Client c = connect()) {
            c.send(0xee, 0xff, 0, new byte[] {1, 2, 3});
            c.send(PING, 0xf0, 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}); // unknown flags on PING
            H2Client.Frame pong = c.await(PING, 0);
            assertEquals(ACK, pong.flags());
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, pong.payload());
        }
    }

    @Test
    void s4_2_frameAboveMaxFrameSizeIsFrameSizeError() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, false, H2Client.block("POST", "/echo"));
            c.data(1, false, new byte[DEFAULT_MAX_FRAME_SIZE + 1]);
            c.expectGoAway(FRAME_SIZE_ERROR);
        }
    }

    @Test
    void s4_3_undecodableHeaderBlockIsCompressionError() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, true, new H2Client.Block().raw(0x82, 0x86, 0xbf).bytes()); // index 63: empty dynamic table
            c.expectGoAway(COMPRESSION_ERROR);
        }
    }

    @Test
    void s5_5_unknownFrameInsideHeaderBlockIsProtocolError() throws Exception {
        try (H2Client c = connect()) {
            c.send(HEADERS, END_STREAM, 1, get("/"));
            c.send(0xee, 0, 1, new byte[4]);
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_1_dataOnStreamZeroIsProtocolError() throws Exception {
        try (H2Client c = connect()) {
            c.data(0, true, new byte[] {'x'});
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_1_padLengthNotBelowFrameLengthIsProtocolError() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, false, H2Client.block("POST", "/echo"));
            c.send(DATA, PADDED, 1, new byte[] {5, 'a', 'b'});
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_1_paddedDataIsUnpadded() throws Exception {
        try (H2Client c = connect()) {
            c.headers(1, false, H2Client.block("POST", "/echo"));
            c.send(DATA, PADDED | END_STREAM, 1, new byte[] {3, 'h', 'i', 0, 0, 0});
            assertEquals("echo 2 hi", c.response(1).body());
        }
    }

    @Test
    void s6_2_headersOnStreamZeroIsProtocolError() throws Exception {
        try (H2Client c = connect()) {
            c.headers(0, true, get("/"));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_2_headersThenOtherFrameIsProtocolError() throws Exception {
        try (H2Client c = connect()) {
            c.send(HEADERS, END_STREAM, 1, get("/"));
            c.data(1, true, new byte[] {'x'});
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_2_paddedHeadersWithBadPadLengthIsProtocolError() throws Exception {
        try (H2Client c = connect()) {
            byte[] block = get("/");
            byte[] p = new byte[1 + block.length];
            p[0] = (byte) (block.length + 5);
            System.arraycopy(block, 0, p, 1, block.length);
            c.send(HEADERS, PADDED | END_HEADERS | END_STREAM, 1, p);
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_3_priorityIsIgnoredButChecked() throws Exception {
        try (H2Client c = connect()) {
            c.send(PRIORITY, 0, 3, new byte[] {0, 0, 0, 1, 16}); // on an idle stream: allowed, ignored
            c.assertStillServes(5);
            c.send(PRIORITY, 0, 7, new byte[] {0, 0, 0, 1}); // 4 bytes: stream error
            c.expectReset(7, FRAME_SIZE_ERROR);
            c.send(PRIORITY, 0, 9, new byte[] {0, 0, 0, 9, 16}); // depends on itself
            c.expectReset(9, PROTOCOL_ERROR);
            c.assertStillServes(11);
            c.send(PRIORITY, 0, 0, new byte[] {0, 0, 0, 1, 16});
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    @Test
    void s5_3_1_headersDependingOnItselfIsStreamError() throws Exception {
        try (H2Client c = connect()) {
            byte[] block = get("/");
            byte[] p = new byte[5 + block.length];
            Frames.putInt32(p, 0, 1);
            p[4] = 16;
            System.arraycopy(block, 0, p, 5, block.length);
            c.send(HEADERS, PRIORITY_FLAG | END_HEADERS | END_STREAM, 1, p);
            c.expectReset(1, PROTOCOL_ERROR);
            c.assertStillServes(3);
        }
    }

    @Test
    void s6_4_rstStreamChecks() throws Exception {
        try (H2Client c = connect()) {
            c.send(RST_STREAM, 0, 0, int32(CANCEL));
            c.expectGoAway(PROTOCOL_ERROR);
        }
        try (H2Client c = connect()) {
            c.headers(1, false, H2Client.block("POST", "/echo"));
            c.send(RST_STREAM, 0, 1, new byte[3]);
            c.expectGoAway(FRAME_SIZE_ERROR);
        }
    }

    @Test
    void s6_5_settingsChecks() throws Exception {
        int[][] cases = {
            {SETTINGS, ACK, 0, 6, FRAME_SIZE_ERROR},       // ACK with a payload
            {SETTINGS, 0, 1, 6, PROTOCOL_ERROR},           // on a stream
            {SETTINGS, 0, 0, 5, FRAME_SIZE_ERROR},         // not a multiple of 6
        };
        for (int[] k : cases) {
            try (H2Client c = connect()) {
                c.send(k[0], k[1], k[2], new byte[k[3]]);
                c.expectGoAway(k[4]);
            }
        }
        int[][] values = {
            {ENABLE_PUSH, 2, PROTOCOL_ERROR},
            {INITIAL_WINDOW_SIZE, 0x80000000, FLOW_CONTROL_ERROR},
            {MAX_FRAME_SIZE, 16_383, PROTOCOL_ERROR},
            {MAX_FRAME_SIZE, 1 << 24, PROTOCOL_ERROR},
        };
        for (int[] v : values) {
            try (H2Client c = connect()) {
                c.settings(v[0], v[1]);
                c.expectGoAway(v[2]);
            }
        }
    }

    @Test
    void s6_5_2_unknownSettingIsIgnored() throws Exception {
        try (H2Client c = connect(); ) {
            c.settings(0xff, 7);
            c.await(SETTINGS, 0);
            c.assertStillServes(1);
        }
    }

    @Test
    void s6_7_pingChecks() throws Exception {
        try (H2Client c = connect()) {
            c.send(PING, ACK, 0, new byte[8]); // an ACK is not answered
            c.ping(new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
            assertArrayEquals(new byte[] {9, 9, 9, 9, 9, 9, 9, 9}, c.await(PING, 0).payload(), "the first PING answered is the second sent");
        }
        try (H2Client c = connect()) {
            c.send(PING, 0, 1, new byte[8]);
            c.expectGoAway(PROTOCOL_ERROR);
        }
        try (H2Client c = connect()) {
            c.send(PING, 0, 0, new byte[6]);
            c.expectGoAway(FRAME_SIZE_ERROR);
        }
    }

    @Test
    void s6_8_goAwayOnAStreamIsProtocolError() throws Exception {
        try (H2Client c = connect()) {
            c.send(GOAWAY, 0, 1, new byte[8]);
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_9_windowUpdateChecks() throws Exception {
        try (H2Client c = connect()) {
            c.send(WINDOW_UPDATE, 0, 0, int32(0));
            c.expectGoAway(PROTOCOL_ERROR);
        }
        try (H2Client c = connect()) {
            c.send(WINDOW_UPDATE, 0, 0, new byte[3]);
            c.expectGoAway(FRAME_SIZE_ERROR);
        }
        try (H2Client c = connect()) {
            c.send(WINDOW_UPDATE, 0, 0, int32(0x7fffffff)); // 65535 + 2^31-1
            c.expectGoAway(FLOW_CONTROL_ERROR);
        }
        try (H2Client c = connect()) {
            c.headers(1, false, H2Client.block("POST", "/echo"));
            c.send(WINDOW_UPDATE, 0, 1, int32(0));
            c.expectReset(1, PROTOCOL_ERROR);
            c.headers(3, false, H2Client.block("POST", "/echo"));
            c.send(WINDOW_UPDATE, 0, 3, int32(0x7fffffff));
            c.expectReset(3, FLOW_CONTROL_ERROR);
            c.assertStillServes(5);
        }
    }

    @Test
    void s6_10_continuationChecks() throws Exception {
        try (H2Client c = connect()) {
            c.send(CONTINUATION, END_HEADERS, 1, get("/"));
            c.expectGoAway(PROTOCOL_ERROR);
        }
        try (H2Client c = connect()) {
            c.send(HEADERS, END_STREAM, 1, get("/"));
            c.send(CONTINUATION, END_HEADERS, 3, new byte[0]);
            c.expectGoAway(PROTOCOL_ERROR);
        }
        try (H2Client c = connect()) {
            byte[] block = get("/split");
            c.send(HEADERS, END_STREAM, 1, java.util.Arrays.copyOfRange(block, 0, 3));
            c.send(CONTINUATION, 0, 1, java.util.Arrays.copyOfRange(block, 3, 6));
            c.send(CONTINUATION, END_HEADERS, 1, java.util.Arrays.copyOfRange(block, 6, block.length));
            assertEquals("ok /split", c.response(1).body(), "a block split across CONTINUATION frames");
        }
    }
}
