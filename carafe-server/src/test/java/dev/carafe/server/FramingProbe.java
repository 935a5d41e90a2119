package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How Carafe's server frames a request stream: a server whose handler reads each body to its end
 * and names what it saw, and a client that sends a whole stream on one connection and reads the
 * answers. Shared by the fuzz target and the differential test against Node's llhttp.
 */
final class FramingProbe implements AutoCloseable {
    /** The statuses with which the server refuses a request and closes. */
    static final Set<Integer> REFUSALS = Set.of(400, 408, 413, 414, 417, 431, 501, 505);

    /**
     * What the server did with a stream: the requests it served ({@code "METHOD target bodyLength"})
     * and why it stopped: a refusal's status, 200 after a response with {@code Connection: close},
     * -1 for a reset, 0 when the stream simply ended.
     */
    record Served(List<String> requests, int stop) {}

    final Server server;

    FramingProbe() throws IOException {
        server = TestServers.start(TestServers.config().maxBodyBytes(64 * 1024).headerTimeout(Duration.ofSeconds(2)),
                (req, res) -> {
                    long n = req.body().readAllBytes().length;
                    res.header("X-Seen", req.method() + " " + req.target() + " " + n).send("");
                });
    }

    /** Sends {@code stream} on a new connection, half-closes, and reads every answer. */
    Served send(byte[] stream) throws IOException {
        List<String> seen = new ArrayList<>();
        int stop = 0;
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(stream);
            s.shutdownOutput(); // the end of the stream: the server sees EOF after the last byte
            InputStream in = s.getInputStream();
            for (String head; (head = readHead(in)) != null; ) {
                int status = Integer.parseInt(head.substring(9, 12));
                if (status == 100) continue;
                String x = field(head, "X-Seen");
                long length = Long.parseLong(field(head, "Content-Length"));
                if (x == null || !x.startsWith("HEAD ")) in.readNBytes((int) length);
                if (x != null) {
                    assertEquals(200, status, head);
                    seen.add(x);
                    if ("close".equalsIgnoreCase(field(head, "Connection"))) stop = 200; // announced: it may stop here
                } else {
                    assertTrue(REFUSALS.contains(status), "not a refusal: " + head);
                    stop = status;
                    assertEquals(-1, in.read(), "the connection closes after a refusal");
                    break;
                }
            }
        } catch (SocketException e) {
            // The server may reset a connection it refused while unread bytes remained: a refusal
            // whose response the client could not read.
            stop = -1;
        }
        return new Served(seen, stop);
    }

    /** A response head, or null at the end of the stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int c, state = 0;
        while ((c = in.read()) >= 0) {
            head.write(c);
            state = c == '\r' ? (state == 2 ? 3 : 1) : c == '\n' && (state == 1 || state == 3) ? state + 1 : 0;
            if (state == 4) return head.toString(StandardCharsets.ISO_8859_1);
        }
        assertEquals(0, head.size(), "the connection closed in the middle of a response head");
        return null;
    }

    private static String field(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) return line.substring(colon + 1).strip();
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(1));
    }
}
