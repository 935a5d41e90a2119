package dev.carafe.server.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Arbitrary bytes as the frames a client sends after the handshake, with and without
 * permessage-deflate (docs/fuzzing.md): the frame reader, fragmentation, control frames, UTF-8
 * checks and the inflater. The server echoes each message. Invariants: it echoes exactly the
 * messages {@link ReferenceWebSocket} reads from the same bytes, in order; where that reading finds
 * a protocol error the server closes with the code it calls for; it never answers with 1011
 * (internal error) unless echoing a client's own 1011.
 */
class WebSocketFuzzTest {
    private static final int MAX_MESSAGE = 64 * 1024;
    private static Server server;

    @BeforeAll
    static void start() throws IOException {
        WebSocketOptions options = WebSocketOptions.builder().maxMessageBytes(MAX_MESSAGE).build();
        server = Server.start(ServerConfig.builder().host("127.0.0.1").port(0).accessLog(null).build(),
                (req, res) -> WebSocketHandshake.upgrade(req, res, options, WebSocketProtocolTest.ECHO));
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(1));
    }

    @FuzzTest
    void echoesExactlyTheMessagesAReferenceReadingFinds(byte[] data) throws IOException, DataFormatException {
        if (data.length == 0) return;
        boolean deflate = (data[0] & 1) != 0;
        byte[] frames = Arrays.copyOfRange(data, 1, data.length);
        ReferenceWebSocket.Reading expected = ReferenceWebSocket.read(frames, deflate, MAX_MESSAGE);
        List<ReferenceWebSocket.Msg> echoed = new ArrayList<>();
        int closeCode = -1; // -1: no close frame; 1005: one without a code
        Inflater inflater = new Inflater(true);
        try (SilentCloseable allowed = BugDetectors.allowNetworkConnections((host, port) -> port == server.port());
             WsTestClient c = new WsTestClient(server.port())) {
            c.handshake("/", deflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "");
            assertEquals(101, c.status(), c.responseHead);
            assertEquals(deflate, c.header("Sec-WebSocket-Extensions") != null, c.responseHead);
            c.out.write(frames);
            c.socket.shutdownOutput();
            InputStream in = c.in;
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            boolean compressed = false;
            int messageOp = -1;
            for (int b0; (b0 = in.read()) >= 0; ) {
                int b1 = in.read();
                assertTrue(b1 >= 0 && (b1 & 0x80) == 0 && (b0 & 0x30) == 0, "a well-formed, unmasked server frame");
                long len = b1 & 0x7f;
                if (len == 126) len = (in.read() << 8) | in.read();
                else if (len == 127) len = java.nio.ByteBuffer.wrap(in.readNBytes(8)).getLong();
                byte[] payload = in.readNBytes((int) len);
                assertEquals(len, payload.length, "the connection closed in the middle of a frame");
                int op = b0 & 0x0f;
                if (op == 8) {
                    closeCode = len >= 2 ? (payload[0] & 0xff) << 8 | payload[1] & 0xff : 1005;
                    break;
                }
                if (op >= 9) continue; // pongs answer the client's pings
                if (op != 0) {
                    messageOp = op;
                    compressed = (b0 & 0x40) != 0;
                }
                message.write(payload);
                if ((b0 & 0x80) == 0) continue;
                byte[] m = message.toByteArray();
                message.reset();
                if (compressed) m = ReferenceWebSocket.inflate(inflater, m, Integer.MAX_VALUE);
                echoed.add(new ReferenceWebSocket.Msg(messageOp == 1, m));
            }
        } catch (SocketException e) {
            // A reset after the server closed with bytes still unread: what arrived before it is checked below.
        } finally {
            inflater.end();
        }
        List<ReferenceWebSocket.Msg> messages = expected.messages();
        assertTrue(echoed.size() <= messages.size() && messages.subList(0, echoed.size()).equals(echoed),
                "echoed " + echoed + " but the reference reads " + messages);
        boolean echoedTheClients1011 = expected.clientClosed() && expected.code() == 1011;
        assertTrue(closeCode != 1011 || echoedTheClients1011, "an internal error");
        if (expected.clientClosed() || expected.code() == 0) {
            assertEquals(messages.size(), echoed.size(), "echoed " + echoed + " of " + messages);
            if (expected.clientClosed()) {
                int answer = expected.code() == 1005 ? 1005 : expected.code();
                assertTrue(closeCode == answer || closeCode == 1000 || closeCode == -1, "answered " + closeCode + " to " + expected.code());
            }
        } else {
            assertEquals(expected.code(), closeCode, "the close code for " + messages.size() + " messages then an error");
        }
    }
}
