package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Connections between requests hold no thread: the poller starts one when the next request comes.
 * Checked from a thread dump, which lists virtual threads too.
 */
class IdleConnectionsTest {
    private static final int CONNECTIONS = 200;

    @Test
    void idleKeepAliveConnectionsHoldNoThreadAndAreServedAgain() throws Exception {
        try (Server server = TestServers.start((req, res) -> res.send("hi " + req.target()))) {
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    RawClient c = new RawClient(server.port());
                    clients.add(c);
                    c.send("GET /" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertEquals("hi /" + i, c.read().body);
                }
                assertEquals(CONNECTIONS, server.openConnections());
                assertTrue(connectionThreads() < 5, "idle connections should hold no threads: " + connectionThreads());

                for (int i = 0; i < CONNECTIONS; i++) { // every idle connection wakes up for its next request
                    clients.get(i).send("GET /again" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                }
                for (int i = 0; i < CONNECTIONS; i++) assertEquals("hi /again" + i, clients.get(i).read().body);
            } finally {
                for (RawClient c : clients) c.close();
            }
        }
    }

    @Test
    void idleTimeoutClosesAConnectionThatHasNoThread() throws Exception {
        try (Server server = TestServers.start(TestServers.config().idleTimeout(Duration.ofMillis(200)),
                (req, res) -> res.send("ok"));
             RawClient c = new RawClient(server.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", c.read().body);
            assertTrue(c.closedWithin(2000), "the idle connection was not closed after its timeout");
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (server.openConnections() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(0, server.openConnections(), "the server still counts the closed connection");
        }
    }

    @Test
    void aLargeResponseToASlowReaderArrivesWhole() throws Exception {
        byte[] body = new byte[8 << 20]; // far more than the socket buffers: the write must wait for the client
        new Random(7).nextBytes(body);
        try (Server server = TestServers.start((req, res) -> res.send(body));
             Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertTrue(head.contains("Content-Length: " + body.length), head);
            byte[] got = new byte[body.length];
            int off = 0;
            byte[] chunk = new byte[64 * 1024];
            while (off < got.length) {
                int n = in.read(chunk, 0, Math.min(chunk.length, got.length - off));
                if (n < 0) break;
                System.arraycopy(chunk, 0, got, off, n);
                off += n;
                if (off < 1 << 20) Thread.sleep(1); // slow at first, so the server's writes fill the socket and wait
            }
            assertArrayEquals(body, got);
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) break;
            sb.append((char) b);
        }
        return sb.toString();
    }

    /** Live threads named carafe-conn…, virtual ones included. */
    /** Virtual threads serving connections, from a thread dump (which lists virtual threads too). */
    static int connectionThreads() throws Exception {
        Path dump = Files.createTempFile("threads", ".txt");
        Files.delete(dump); // the dump refuses to overwrite
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            Matcher m = Pattern.compile("\"carafe-conn[^\"]*\"").matcher(Files.readString(dump));
            int n = 0;
            while (m.find()) n++;
            return n;
        } finally {
            Files.deleteIfExists(dump);
        }
    }
}
