package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carafe.server.http1.ReferenceFraming;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Arbitrary bytes as one connection's request stream, through a real server (docs/fuzzing.md):
 * head parsing, Content-Length and chunked bodies, pipelining. The handler reads each body to its
 * end and names what it saw. Invariants: the server answers every request it serves with exactly
 * the method, target and body length {@link ReferenceFraming} reads from the same bytes; it serves
 * no request that reading cannot frame; and it stops, if it stops early, only with a 4xx or after
 * a response that said {@code Connection: close} (HTTP/1.0, {@code Connection: close}).
 */
class ConnectionFuzzTest {
    private static final Set<Integer> REFUSALS = Set.of(400, 408, 413, 414, 417, 431, 501, 505);
    private static Server server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServers.start(TestServers.config().maxBodyBytes(64 * 1024).headerTimeout(Duration.ofSeconds(2)),
                (req, res) -> {
                    long n = req.body().readAllBytes().length;
                    res.header("X-Seen", req.method() + " " + req.target() + " " + n).send("");
                });
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(1));
    }

    @FuzzTest(maxDuration = "20s")
    void servesExactlyTheRequestsAReferenceReadingFrames(byte[] stream) throws IOException {
        List<ReferenceFraming.Framed> expected = ReferenceFraming.requests(stream);
        List<String> seen = new ArrayList<>();
        int refusal = 0;
        // Jazzer's SSRF detector flags every connection; this target's only one is to its own server.
        try (SilentCloseable allowed = BugDetectors.allowNetworkConnections((host, port) -> port == server.port());
             Socket s = new Socket("127.0.0.1", server.port())) {
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
                    if ("close".equalsIgnoreCase(field(head, "Connection"))) refusal = 200; // announced: it may stop here
                } else {
                    assertTrue(REFUSALS.contains(status), "not a refusal: " + head);
                    refusal = status;
                    assertEquals(-1, in.read(), "the connection closes after a refusal");
                    break;
                }
            }
        } catch (java.net.SocketException e) {
            // The server may reset a connection it refused while unread bytes remained: a refusal
            // whose response the client could not read.
            refusal = -1;
        }
        List<String> framed = expected.stream().map(Object::toString).toList();
        assertTrue(seen.size() <= framed.size() && framed.subList(0, seen.size()).equals(seen),
                "served " + seen + " but the reference frames " + framed);
        if (seen.size() < framed.size()) {
            assertTrue(refusal != 0, "stopped before " + framed.get(seen.size()) + " without a refusal or Connection: close");
        }
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
}
