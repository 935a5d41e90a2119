package dev.carafe.server.websocket;

import static dev.carafe.server.websocket.WsTestClient.closePayload;
import static dev.carafe.server.websocket.WsTestClient.frame;
import static dev.carafe.server.websocket.WsTestClient.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import dev.carafe.server.websocket.WsTestClient.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 6455 rules with hand-built frames, following Autobahn's case groups: 1 framing, 2 pings and
 * pongs, 3 reserved bits, 4 opcodes, 5 fragmentation, 6 UTF-8, 7 close handling, 9 limits; plus the
 * handshake, subprotocols, permessage-deflate, timeouts and sending from many threads.
 */
class WebSocketProtocolTest {
    private static final int FIN = 0x80, TEXT = 1, BINARY = 2, CONT = 0, CLOSE = 8, PING = 9, PONG = 10;
    private static Server server;
    private static final BlockingQueue<Integer> serverCloseCodes = new ArrayBlockingQueue<>(16);

    static final WebSocketHandler ECHO = ws -> {
        for (Message m; (m = ws.receive()) != null; ) {
            if (m.isText()) ws.send(m.text());
            else ws.send(m.bytes());
        }
    };

    @BeforeAll
    static void start() throws IOException {
        Map<String, WebSocketOptions> options = new HashMap<>();
        options.put("/echo", WebSocketOptions.defaults());
        options.put("/small", WebSocketOptions.builder().maxMessageBytes(1000).build());
        options.put("/proto", WebSocketOptions.builder().subprotocols("chat.v2", "chat.v1").build());
        options.put("/origin", WebSocketOptions.builder().allowedOrigins(o -> "https://ok.example".equals(o)).build());
        options.put("/idle", WebSocketOptions.builder().idleTimeout(Duration.ofMillis(300)).build());
        options.put("/ping", WebSocketOptions.builder().pingInterval(Duration.ofMillis(100)).build());
        options.put("/plain", WebSocketOptions.builder().compression(false).build());
        server = Server.start(ServerConfig.builder().host("127.0.0.1").port(0).accessLog(null).build(), (req, res) -> {
            WebSocketOptions o = options.getOrDefault(req.path(), WebSocketOptions.defaults());
            WebSocketHandler h = switch (req.path()) {
                case "/server-close" -> ws -> {
                    ws.send("bye");
                    ws.close(4000, "done");
                    assertNull(ws.receive());
                    serverCloseCodes.add(ws.closeCode());
                };
                case "/threads" -> ws -> {
                    List<Thread> threads = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        int id = t;
                        threads.add(Thread.ofVirtual().start(() -> {
                            try {
                                for (int i = 0; i < 200; i++) ws.send(id + ":" + i + ":" + "x".repeat(300));
                            } catch (IOException e) {
                                throw new RuntimeException(e);
                            }
                        }));
                    }
                    for (Thread t : threads) t.join();
                    ws.send("end");
                    while (ws.receive() != null) { /* until the client closes */ }
                };
                case "/info" -> ws -> {
                    ws.send(ws.subprotocol() + " " + ws.compressed() + " " + ws.request().header("Cookie"));
                    while (ws.receive() != null) { /* until closed */ }
                };
                default -> ECHO;
            };
            WebSocketHandshake.upgrade(req, res, o, h);
        });
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(1));
    }

    private static WsTestClient connect(String path) throws IOException {
        return connect(path, "");
    }

    private static WsTestClient connect(String path, String headers) throws IOException {
        WsTestClient c = new WsTestClient(server.port()).handshake(path, headers);
        assertEquals(101, c.status(), c.responseHead);
        return c;
    }

    // ---- handshake ----------------------------------------------------------------------------

    @Test
    void handshakeAnswers101WithTheAcceptKey() throws IOException {
        try (WsTestClient c = connect("/echo")) {
            assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", c.header("Sec-WebSocket-Accept")); // RFC 6455 §1.3's example
            assertEquals("websocket", c.header("Upgrade"));
            assertEquals("Upgrade", c.header("Connection"));
            assertNull(c.header("Content-Length"));
            assertNull(c.header("Transfer-Encoding"));
        }
    }

    @Test
    void badHandshakesAreRefused() throws IOException {
        try (WsTestClient c = new WsTestClient(server.port())) {
            c.out.write("GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes());
            assertEquals(426, statusOf(c.readHead()));
        }
        try (WsTestClient c = new WsTestClient(server.port())) {
            c.out.write(("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n\r\n").getBytes());
            assertEquals(400, statusOf(c.readHead()));
        }
        try (WsTestClient c = new WsTestClient(server.port())) {
            c.out.write(("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: " + WsTestClient.KEY + "\r\n\r\n").getBytes());
            String head = c.readHead();
            assertEquals(426, statusOf(head));
            assertTrue(head.contains("Sec-WebSocket-Version: 13"), head);
        }
        try (WsTestClient c = new WsTestClient(server.port()).handshake("/origin", "Origin: https://evil.example\r\n")) {
            assertEquals(403, c.status());
        }
        try (WsTestClient c = connect("/origin", "Origin: https://ok.example\r\n")) {
            c.send(frame(FIN | TEXT, text("hi")));
            assertEquals("hi", c.read().text());
        }
    }

    private static int statusOf(String head) {
        return Integer.parseInt(head.substring(9, 12));
    }

    @Test
    void subprotocolIsTheServersFirstChoiceThatTheClientOffers() throws IOException {
        try (WsTestClient c = connect("/proto", "Sec-WebSocket-Protocol: chat.v1, chat.v2\r\n")) {
            assertEquals("chat.v2", c.header("Sec-WebSocket-Protocol"));
        }
        try (WsTestClient c = connect("/proto", "Sec-WebSocket-Protocol: chat.v1\r\n")) {
            assertEquals("chat.v1", c.header("Sec-WebSocket-Protocol"));
        }
        try (WsTestClient c = connect("/proto", "Sec-WebSocket-Protocol: other\r\n")) {
            assertNull(c.header("Sec-WebSocket-Protocol"));
        }
    }

    @Test
    void framesSentWithTheHandshakeAreNotLost() throws IOException {
        byte[] early = frame(FIN | TEXT, text("early bird"));
        try (WsTestClient c = new WsTestClient(server.port()).handshake("/echo", "", early)) {
            assertEquals(101, c.status());
            assertEquals("early bird", c.read().text());
        }
    }

    @Test
    void theHandlerSeesTheRequest() throws IOException {
        try (WsTestClient c = connect("/info", "Cookie: sid=42\r\n")) {
            assertEquals("null false sid=42", c.read().text());
        }
    }

    // ---- 1: framing -----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 300_000})
    void textAndBinaryOfEveryLengthEncodingEchoBack(int size) throws IOException {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) data[i] = (byte) ('a' + i % 26);
        try (WsTestClient c = connect("/plain")) {
            c.send(frame(FIN | TEXT, data));
            Frame t = c.read();
            assertEquals(TEXT, t.opcode());
            assertTrue(t.fin());
            assertArrayEquals(data, t.payload());
            if (size > 0) data[0] = (byte) 0xff;
            c.send(frame(FIN | BINARY, data));
            Frame b = c.read();
            assertEquals(BINARY, b.opcode());
            assertArrayEquals(data, b.payload());
        }
    }

    // ---- 2: pings and pongs ----------------------------------------------------------------------

    @Test
    void pingsAreAnsweredWithTheirPayloadAndPongsIgnored() throws IOException {
        try (WsTestClient c = connect("/echo")) {
            byte[] p = new byte[125];
            p[124] = 7;
            c.send(frame(FIN | PING, p));
            Frame pong = c.read();
            assertEquals(PONG, pong.opcode());
            assertArrayEquals(p, pong.payload());
            c.send(frame(FIN | PING, new byte[0]));
            assertEquals(PONG, c.read().opcode());
            c.send(frame(FIN | PONG, text("unsolicited")), frame(FIN | TEXT, text("after")));
            assertEquals("after", c.read().text());
        }
    }

    @Test
    void aPingOver125BytesFailsWith1002() throws IOException {
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(FIN | PING, new byte[126]));
            c.expectClose(1002);
        }
    }

    @Test
    void aFragmentedPingFailsWith1002() throws IOException {
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(PING, text("a")), frame(FIN | CONT, text("b")));
            c.expectClose(1002);
        }
    }

    @Test
    void idlePingsAreSentWhenConfigured() throws IOException {
        try (WsTestClient c = connect("/ping")) {
            Frame f = c.read();
            assertEquals(PING, f.opcode());
            c.send(frame(FIN | PONG, f.payload()), frame(FIN | TEXT, text("still here")));
            Frame next = c.read();
            while (next.opcode() == PING) next = c.read();
            assertEquals("still here", next.text());
        }
    }

    // ---- 3: reserved bits -----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {0x40, 0x20, 0x10, 0x70})
    void reservedBitsWithoutAnExtensionFailWith1002(int rsv) throws IOException {
        try (WsTestClient c = connect("/plain")) {
            c.send(frame(FIN | TEXT, text("ok")), frame(FIN | rsv | TEXT, text("bad")));
            assertEquals("ok", c.read().text());
            c.expectClose(1002);
        }
    }

    @Test
    void reservedBitsOnAPingFailWith1002() throws IOException {
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(FIN | 0x20 | PING, text("x")));
            c.expectClose(1002);
        }
    }

    // ---- 4: opcodes -----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
    void reservedOpcodesFailWith1002(int opcode) throws IOException {
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(FIN | opcode, text("x")));
            c.expectClose(1002);
        }
    }

    // ---- 5: fragmentation -----------------------------------------------------------------------

    @Test
    void fragmentsAreReassembledWithControlFramesInBetween() throws IOException {
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(TEXT, text("frag")), frame(FIN | PING, text("p1")), frame(CONT, text("men")),
                    frame(FIN | PONG, text("x")), frame(FIN | CONT, text("ted")));
            Frame pong = c.read();
            assertEquals(PONG, pong.opcode());
            assertEquals("p1", pong.text());
            Frame msg = c.read();
            assertEquals(TEXT, msg.opcode());
            assertEquals("fragmented", msg.text());
            c.send(frame(BINARY, new byte[] {1}), frame(CONT, new byte[0]), frame(FIN | CONT, new byte[] {2, 3}));
            assertArrayEquals(new byte[] {1, 2, 3}, c.read().payload());
        }
    }

    @Test
    void aContinuationWithoutAMessageFailsWith1002() throws IOException {
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(FIN | CONT, text("orphan")));
            c.expectClose(1002);
        }
    }

    @Test
    void aNewMessageInsideAFragmentedOneFailsWith1002() throws IOException {
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(TEXT, text("a")), frame(FIN | TEXT, text("b")));
            c.expectClose(1002);
        }
    }

    @Test
    void anUnmaskedClientFrameFailsWith1002() throws IOException {
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(FIN | TEXT, text("naked"), false));
            c.expectClose(1002);
        }
    }

    // ---- 6: UTF-8 -------------------------------------------------------------------------------

    @Test
    void validUtf8SplitInsideACharacterAcrossFragmentsIsAccepted() throws IOException {
        byte[] kappa = text("κόσμε 𝄞");
        try (WsTestClient c = connect("/echo")) {
            for (int split = 1; split < kappa.length; split++) {
                c.send(frame(TEXT, java.util.Arrays.copyOfRange(kappa, 0, split)),
                        frame(FIN | CONT, java.util.Arrays.copyOfRange(kappa, split, kappa.length)));
                assertEquals("κόσμε 𝄞", c.read().text());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ce bb ff", "c0 af", "ed a0 80", "f4 90 80 80", "e0 80 af", "80", "ce"})
    void invalidUtf8InTextFailsWith1007(String hex) throws IOException {
        String[] parts = hex.split(" ");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(parts[i], 16);
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(FIN | TEXT, b));
            c.expectClose(1007);
        }
    }

    @Test
    void invalidUtf8FailsFastInTheFirstFragment() throws IOException {
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(TEXT, new byte[] {'o', 'k', (byte) 0xff})); // the message never finishes
            c.expectClose(1007);
        }
    }

    @Test
    void binaryMessagesMayHoldAnyBytes() throws IOException {
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(FIN | BINARY, new byte[] {(byte) 0xff, (byte) 0xc0}));
            assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xc0}, c.read().payload());
        }
    }

    // ---- 7: close handling ----------------------------------------------------------------------

    @Test
    void aCloseIsEchoedWithItsCodeAndTheConnectionEnds() throws IOException {
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(FIN | CLOSE, closePayload(1000, "bye")));
            c.expectClose(1000);
        }
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(FIN | CLOSE, new byte[0]));
            c.expectClose(1000);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999})
    void validCloseCodesAreEchoed(int code) throws IOException {
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(FIN | CLOSE, closePayload(code, "")));
            c.expectClose(code);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999, 5000, 65535})
    void invalidCloseCodesFailWith1002(int code) throws IOException {
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(FIN | CLOSE, closePayload(code, "")));
            c.expectClose(1002);
        }
    }

    @Test
    void aOneByteCloseOrABadReasonFails() throws IOException {
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(FIN | CLOSE, new byte[] {3}));
            c.expectClose(1002);
        }
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(FIN | CLOSE, new byte[] {3, (byte) 0xe8, (byte) 0xff, (byte) 0xfe}));
            c.expectClose(1007);
        }
    }

    @Test
    void framesAfterTheCloseAreIgnored() throws IOException {
        try (WsTestClient c = connect("/echo")) {
            c.send(frame(FIN | CLOSE, closePayload(1000, "")), frame(FIN | TEXT, text("late")), frame(FIN | PING, text("late")));
            c.expectClose(1000);
        }
    }

    @Test
    void theServerClosesWithACodeAndReasonAndLearnsTheClientsAnswer() throws Exception {
        serverCloseCodes.clear();
        try (WsTestClient c = connect("/server-close")) {
            assertEquals("bye", c.read().text());
            Frame close = c.read();
            assertEquals(CLOSE, close.opcode());
            assertEquals(4000, close.closeCode());
            assertEquals("done", new String(close.payload(), 2, close.payload().length - 2));
            c.send(frame(FIN | CLOSE, closePayload(1000, "ok")));
            c.expectEnd();
        }
        assertEquals(1000, serverCloseCodes.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void anIdleConnectionIsClosedWith1001() throws IOException {
        try (WsTestClient c = connect("/idle")) {
            c.send(frame(FIN | TEXT, text("hi")));
            assertEquals("hi", c.read().text());
            c.expectClose(1001);
        }
    }

    // ---- 9: limits ------------------------------------------------------------------------------

    @Test
    void aMessageOverTheLimitFailsWith1009() throws IOException {
        try (WsTestClient c = connect("/small")) {
            c.send(frame(FIN | BINARY, new byte[1000]));
            assertEquals(1000, c.read().payload().length);
            c.send(frame(FIN | BINARY, new byte[1001]));
            c.expectClose(1009);
        }
        try (WsTestClient c = connect("/small")) {
            c.send(frame(TEXT, text("x".repeat(600))), frame(FIN | CONT, text("x".repeat(600))));
            c.expectClose(1009);
        }
    }

    @Test
    void theDefaultLimitIsOneMebibyte() throws IOException {
        try (WsTestClient c = connect("/plain")) {
            c.send(frame(FIN | BINARY, new byte[1 << 20]));
            assertEquals(1 << 20, c.read().payload().length);
            c.send(frame(FIN | BINARY, new byte[(1 << 20) + 1]));
            c.expectClose(1009);
        }
    }

    // ---- permessage-deflate (RFC 7692) ------------------------------------------------------------

    private static byte[] deflate(Deflater d, byte[] data) {
        d.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) out.write(buf, 0, n);
        byte[] b = out.toByteArray();
        return java.util.Arrays.copyOf(b, b.length - 4);
    }

    private static byte[] inflate(Inflater inf, byte[] data) throws Exception {
        byte[] all = java.util.Arrays.copyOf(data, data.length + 4);
        all[data.length + 2] = (byte) 0xff;
        all[data.length + 3] = (byte) 0xff;
        inf.setInput(all);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = inf.inflate(buf)) > 0) out.write(buf, 0, n);
        return out.toByteArray();
    }

    @Test
    void permessageDeflateIsNegotiatedAndCompressesBothWaysWithContextTakeover() throws Exception {
        try (WsTestClient c = connect("/echo", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")) {
            assertEquals("permessage-deflate", c.header("Sec-WebSocket-Extensions"));
            Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            Inflater inf = new Inflater(true);
            for (int i = 0; i < 3; i++) { // the second and later messages lean on the shared window
                String msg = "Hello, compressed world! ".repeat(20) + i;
                c.send(frame(FIN | 0x40 | TEXT, deflate(d, text(msg))));
                Frame f = c.read();
                assertTrue(f.rsv1(), "the echo is compressed");
                assertTrue(f.payload().length < msg.length() / 4, "really compressed: " + f.payload().length);
                assertEquals(msg, new String(inflate(inf, f.payload()), java.nio.charset.StandardCharsets.UTF_8));
            }
            byte[] half = deflate(d, text("fragmented and compressed"));
            c.send(frame(0x40 | TEXT, java.util.Arrays.copyOf(half, 5)),
                    frame(FIN | CONT, java.util.Arrays.copyOfRange(half, 5, half.length)));
            assertEquals("fragmented and compressed", new String(inflate(inf, c.read().payload()), java.nio.charset.StandardCharsets.UTF_8));
            c.send(frame(FIN | TEXT, text("uncompressed is fine too")));
            assertEquals("uncompressed is fine too", new String(inflate(inf, c.read().payload()), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void deflateParametersAreHonouredOrTheOfferDeclined() throws Exception {
        try (WsTestClient c = connect("/echo", "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover\r\n")) {
            assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover", c.header("Sec-WebSocket-Extensions"));
            for (int i = 0; i < 2; i++) { // without takeover each message inflates on its own
                Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
                c.send(frame(FIN | 0x40 | TEXT, deflate(d, text("same message"))));
                assertEquals("same message", new String(inflate(new Inflater(true), c.read().payload()), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        try (WsTestClient c = connect("/echo", "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10, permessage-deflate\r\n")) {
            assertEquals("permessage-deflate", c.header("Sec-WebSocket-Extensions"), "the first offer needs a window zlib cannot limit");
        }
        try (WsTestClient c = connect("/echo", "Sec-WebSocket-Extensions: permessage-deflate; unknown_param\r\n")) {
            assertNull(c.header("Sec-WebSocket-Extensions"));
        }
        try (WsTestClient c = connect("/plain", "Sec-WebSocket-Extensions: permessage-deflate\r\n")) {
            assertNull(c.header("Sec-WebSocket-Extensions"));
        }
    }

    @Test
    void aCompressedMessageInflatingPastTheLimitFailsWith1009() throws IOException {
        try (WsTestClient c = connect("/small", "Sec-WebSocket-Extensions: permessage-deflate\r\n")) {
            byte[] bomb = deflate(new Deflater(Deflater.BEST_COMPRESSION, true), new byte[100_000]);
            assertTrue(bomb.length < 1000);
            c.send(frame(FIN | 0x40 | BINARY, bomb));
            c.expectClose(1009);
        }
    }

    @Test
    void garbageDeflateDataFailsWith1007() throws IOException {
        try (WsTestClient c = connect("/echo", "Sec-WebSocket-Extensions: permessage-deflate\r\n")) {
            c.send(frame(FIN | 0x40 | BINARY, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}));
            c.expectClose(1007);
        }
    }

    @Test
    void aStoppingServerClosesWebSocketsWith1001() throws Exception {
        Server own = Server.start(ServerConfig.builder().host("127.0.0.1").port(0).accessLog(null).build(),
                (req, res) -> WebSocketHandshake.upgrade(req, res, WebSocketOptions.defaults(), ECHO));
        try (WsTestClient c = new WsTestClient(own.port()).handshake("/", "")) {
            c.send(frame(FIN | TEXT, text("hi")));
            assertEquals("hi", c.read().text());
            Thread stopper = Thread.ofVirtual().start(() -> own.stop(Duration.ofSeconds(10)));
            c.expectClose(1001);
            stopper.join(5000);
            assertTrue(!stopper.isAlive(), "the stop should finish once the client answered, long before its deadline");
        }
    }

    // ---- concurrency ------------------------------------------------------------------------------

    @Test
    void manyThreadsMaySendAndEachThreadsMessagesArriveWholeAndInOrder() throws IOException {
        try (WsTestClient c = connect("/threads")) {
            int[] next = new int[4];
            while (true) {
                Frame f = c.read();
                assertEquals(TEXT, f.opcode());
                String s = f.text();
                if (s.equals("end")) break;
                String[] p = s.split(":");
                int t = Integer.parseInt(p[0]);
                assertEquals(next[t]++, Integer.parseInt(p[1]));
                assertEquals(300, p[2].length());
            }
            for (int n : next) assertEquals(200, n);
            c.send(frame(FIN | CLOSE, closePayload(1000, "")));
            c.expectClose(1000);
        }
    }
}
