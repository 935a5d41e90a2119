package dev.carafe.bench.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** The fixed-rate client bench/run uses, against a tiny server that can stall on purpose. */
class RateClientTest {

    /** A keep-alive server: 200 "ok" for /ok, 404 otherwise; request number {@code stallAt} holds every connection for {@code stallMs}. */
    private static final class TinyServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        final AtomicInteger requests = new AtomicInteger();
        final ReentrantLock lock = new ReentrantLock();

        TinyServer(int stallAt, long stallMs) throws IOException {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Socket s = socket.accept();
                        Thread.ofVirtual().start(() -> serve(s, stallAt, stallMs));
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
        }

        private void serve(Socket s, int stallAt, long stallMs) {
            try (s) {
                s.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                while (true) {
                    String head = readHead(in);
                    if (head == null) return;
                    int n = requests.incrementAndGet();
                    byte[] reply = head.startsWith("GET /ok ")
                            ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII)
                            : "HTTP/1.1 404 Not Found\r\ncontent-length: 9\r\n\r\nnot found".getBytes(StandardCharsets.US_ASCII);
                    lock.lock(); // one stalled request stalls them all, like a GC pause
                    try {
                        if (n == stallAt) Thread.sleep(stallMs);
                    } finally {
                        lock.unlock();
                    }
                    out.write(reply);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // client gone
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) >= 0; ) {
                b.append((char) c);
                if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) return b.toString();
            }
            return null;
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void offersTheRateAndCountsEveryAnswer() throws Exception {
        try (TinyServer server = new TinyServer(-1, 0)) {
            List<RateClient.Run> runs = RateClient.offer("127.0.0.1", server.port(), "/ok", 2000, 4, 1, 0.25, 0.5, new long[0], 100);
            assertEquals(2, runs.size());
            RateClient.Run m = runs.get(1);
            assertEquals(1000, m.offered());
            assertEquals(1000, m.ok());
            assertEquals(0, m.failed() + m.non2xx());
            assertEquals(100 + 500 + 1000, server.requests.get()); // client warm-up, warm-up run, measured run
            assertTrue(m.p50() > 0 && m.p50() <= m.p99() && m.p99() <= m.max());
        }
    }

    @Test
    void countsNon2xxAnswers() throws Exception {
        try (TinyServer server = new TinyServer(-1, 0)) {
            RateClient.Run m = RateClient.offer("127.0.0.1", server.port(), "/missing", 1000, 2, 0, 0, 0.2, new long[0], 0).get(0);
            assertEquals(200, m.non2xx());
            assertEquals(0, m.ok() + m.failed());
        }
    }

    /**
     * A 300 ms stall of the whole server at 2,000 req/s delays the ~600 requests due during it, not
     * just the 4 in flight: latency counts from when a request was due, so p99 shows the stall (a
     * client that timed from sending, as closed-loop ones do, would report a p99 of a few ms).
     */
    @Test
    void countsTimeSpentWaitingBehindAStalledServer() throws Exception {
        try (TinyServer server = new TinyServer(1000, 300)) {
            RateClient.Run m = RateClient.offer("127.0.0.1", server.port(), "/ok", 2000, 4, 0, 0, 1.5, new long[0], 0).get(0);
            assertEquals(3000, m.ok());
            assertTrue(m.p99() > 150_000_000L, "p99 " + m.p99() / 1e6 + " ms hides the stall");
            assertTrue(m.lagP99() > 100_000_000L, "requests waited in the client: lag p99 " + m.lagP99() / 1e6 + " ms");
        }
    }
}
