package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile clients against a server with small limits: slowloris heads, slow and stalled bodies,
 * readers that never read, floods past {@code maxConnections}, 100 000 requests on one
 * connection, half-closed sockets. During each attack a well-behaved keep-alive client sends a
 * GET every 5 ms; every one of its requests must succeed with a p99 under {@value #P99_BOUND_MILLIS} ms.
 * After the attack every fd and thread must be given back and the heap be where it was.
 */
class HostileClientsTest {
    private static final long HEADER_TIMEOUT = 1000, IO_TIMEOUT = 1000, IDLE_TIMEOUT = 2000;
    private static final int MAX_CONNECTIONS = 128;
    private static final long ATTACK_MILLIS = 3000;
    /** Generous for two busy shared cores; on a quiet machine the p99 is a few milliseconds. */
    private static final double P99_BOUND_MILLIS = 250;
    private static final long HEAP_SLACK_DURING = 32 << 20, HEAP_SLACK_AFTER = 8 << 20;
    /** Far more than the socket buffers hold, so a reader that never reads stalls the write. */
    private static final byte[] BIG = new byte[32 << 20];
    /** The reaper ends a wait up to 100 ms late; the rest is for two busy cores. */
    private static final long LATE = 1500;

    private final AtomicInteger bigStarted = new AtomicInteger(), bigCutOff = new AtomicInteger();

    private final Handler handler = (req, res) -> {
        switch (req.path()) {
            case "/steady" -> res.send("steady");
            case "/big" -> {
                bigStarted.incrementAndGet();
                try {
                    res.send(BIG);
                } catch (IOException e) {
                    bigCutOff.incrementAndGet();
                    throw e;
                }
            }
            case "/upload" -> { // streams the body through a small buffer, as an upload handler would
                byte[] buf = new byte[8192];
                long total = 0;
                try (InputStream in = req.body()) {
                    for (int n; (n = in.read(buf)) > 0; ) total += n;
                }
                res.send("read " + total);
            }
            default -> res.send(req.target());
        }
    };

    private interface Attack {
        /** Runs until {@code untilNanos} (or until done) and returns a line describing what it did. */
        String run(Server server, long untilNanos) throws Exception;
    }

    @BeforeAll
    static void warmUp() throws Exception {
        // The first server in a JVM loads classes and starts carrier threads; measure from after that.
        try (Server s = TestServers.start((req, res) -> res.send("warm"));
             BufferedClient c = new BufferedClient(s.port(), 5000)) {
            for (int i = 0; i < 2000; i++) {
                c.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n").flush();
                c.read();
            }
        }
    }

    @Test
    void slowlorisHeadsGet408AfterTheHeaderTimeout() throws Exception {
        underAttack("slowloris (100 heads, a byte every 100 ms)", (server, until) -> {
            Trickler t = new Trickler(server.port(), "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ", 100, 408, HEADER_TIMEOUT + LATE);
            t.run(100, until);
            assertTrue(t.answered + t.cutOff >= 100, "every slow head was ended in time: " + t);
            return t.toString();
        });
    }

    @Test
    void stalledBodiesGet408AndTricklingOnesAreKept() throws Exception {
        String head = "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n";
        underAttack("slow bodies (40 stalled, 40 trickling a byte every 200 ms)", (server, until) -> {
            Trickler stalled = new Trickler(server.port(), head + "x".repeat(100), 0, 408, IO_TIMEOUT + LATE);
            Trickler trickling = new Trickler(server.port(), head, 200, 0, 0);
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    trickling.run(40, until);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            stalled.run(40, until);
            other.join();
            assertTrue(stalled.answered + stalled.cutOff >= 40, "every stalled body was ended: " + stalled);
            assertEquals(40, trickling.opened, "no trickling body was cut off: " + trickling);
            return "stalled: " + stalled + "; trickling: " + trickling;
        });
    }

    @Test
    void readersThatNeverReadAreCutOffAfterTheIoTimeout() throws Exception {
        underAttack("slow readers (40 GETs of 32 MiB, never read)", (server, until) -> {
            List<Socket> readers = new ArrayList<>();
            try {
                while (System.nanoTime() < until && readers.size() < 40) {
                    Socket s = new Socket();
                    s.setReceiveBufferSize(4096); // before connecting, so the window stays small
                    s.connect(new InetSocketAddress("127.0.0.1", server.port()));
                    s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    readers.add(s);
                    Thread.sleep(50);
                }
                // Every reader is still connected and not reading: the server must give up on its own.
                long deadline = System.nanoTime() + (IO_TIMEOUT + LATE + 1000) * 1_000_000;
                while (bigCutOff.get() < readers.size() && System.nanoTime() < deadline) Thread.sleep(20);
                assertEquals(readers.size(), bigStarted.get(), "every reader's request was started");
                assertEquals(readers.size(), bigCutOff.get(), "every stalled write was ended");
                awaitOpen(server, 1); // the steady client's connection only
                return readers.size() + " readers, " + bigCutOff.get() + " writes ended by the server";
            } finally {
                for (Socket s : readers) s.close();
            }
        });
    }

    @Test
    void aFloodPastMaxConnectionsIsRefusedWith503() throws Exception {
        underAttack("connection flood (rounds of " + 3 * MAX_CONNECTIONS + " connections, limit " + MAX_CONNECTIONS + ")",
                (server, until) -> {
            int served = 0, refused = 0, rounds = 0;
            while (System.nanoTime() < until) {
                List<BufferedClient> round = new ArrayList<>();
                try {
                    for (int i = 0; i < 3 * MAX_CONNECTIONS; i++) {
                        BufferedClient c = new BufferedClient(server.port(), 5000, 512);
                        round.add(c);
                        c.write("GET /flood HTTP/1.1\r\nHost: x\r\n\r\n").flush();
                    }
                    int servedNow = 0;
                    for (BufferedClient c : round) {
                        String r = c.read();
                        if (r.equals("200 /flood")) servedNow++;
                        else if (r.startsWith("503 ")) refused++;
                        else throw new AssertionError("neither served nor refused: " + r);
                    }
                    assertTrue(servedNow <= MAX_CONNECTIONS - 1, servedNow + " served at once, the limit is " + MAX_CONNECTIONS);
                    served += servedNow;
                    rounds++;
                } finally {
                    for (BufferedClient c : round) c.close();
                }
            }
            assertTrue(refused > 0 && served > 0, "the limit was reached and connections under it were served");
            return rounds + " rounds: " + served + " served, " + refused + " refused with 503";
        });
    }

    @Test
    void aHundredThousandRequestsOnOneConnection() throws Exception {
        underAttack("100 000 pipelined requests on one connection", (server, until) -> {
            long start = System.nanoTime();
            try (BufferedClient c = new BufferedClient(server.port(), 5000)) {
                for (int sent = 0; sent < 100_000; sent += 100) {
                    for (int i = sent; i < sent + 100; i++) c.write("GET /r" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                    c.flush();
                    for (int i = sent; i < sent + 100; i++) {
                        String r = c.read();
                        if (!r.equals("200 /r" + i)) throw new AssertionError("request " + i + " got " + r);
                    }
                }
            }
            return String.format("100000 responses in %.1f s", (System.nanoTime() - start) / 1e9);
        });
    }

    @Test
    void halfClosedSocketsAreAnsweredAndClosedPromptly() throws Exception {
        // What the client sends before its FIN, and the statuses it must get before the server closes.
        String[][] cases = {
            {"GET /a HTTP/1.1\r\nHost: x\r\n\r\n", "200"},
            {"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n", "200 200"},
            {"", ""},
            {"GET /a HTTP/1.1\r\nHo", "400?"},
            {"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(10), "400?"},
        };
        underAttack("half-closed sockets (4 threads, 5 kinds)", (server, until) -> {
            AtomicInteger done = new AtomicInteger();
            java.util.concurrent.atomic.AtomicLong slowest = new java.util.concurrent.atomic.AtomicLong();
            List<Throwable> failures = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; System.nanoTime() < until; i++) {
                            String[] c = cases[i % cases.length];
                            slowest.accumulateAndGet(halfClose(server.port(), c[0], c[1]), Math::max);
                            done.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        synchronized (failures) { failures.add(e); }
                    }
                }));
            }
            for (Thread t : threads) t.join();
            if (!failures.isEmpty()) throw new AssertionError(failures.getFirst());
            return done.get() + " half-closed connections, each closed by the server, the slowest after " + slowest.get() + " ms";
        });
    }

    /**
     * Sends {@code bytes}, shuts down output and reads until the server closes, which must happen
     * well before any timeout: the FIN says no more is coming. {@code expected} lists the statuses;
     * "400?" allows a 400 or a plain close for a request cut short. Returns the milliseconds to the close.
     */
    private static long halfClose(int port, String bytes, String expected) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(3000);
            long start = System.nanoTime();
            s.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            s.shutdownOutput();
            String all = new String(new BufferedInputStream(s.getInputStream()).readAllBytes(), StandardCharsets.ISO_8859_1);
            long millis = (System.nanoTime() - start) / 1_000_000;
            List<String> statuses = new ArrayList<>();
            for (int i = all.indexOf("HTTP/1.1 "); i >= 0; i = all.indexOf("HTTP/1.1 ", i + 1)) statuses.add(all.substring(i + 9, i + 12));
            String got = String.join(" ", statuses);
            boolean ok = expected.equals("400?") ? got.isEmpty() || got.equals("400") : got.equals(expected);
            if (!ok) throw new AssertionError("after " + bytes.replace("\r\n", "\\r\\n") + " and FIN: expected " + expected + ", got " + all);
            if (millis > 800) throw new AssertionError("closed only after " + millis + " ms (timeouts are " + HEADER_TIMEOUT + " ms and more)");
            return millis;
        }
    }

    private void underAttack(String name, Attack attack) throws Exception {
        ServerConfig.Builder config = TestServers.config()
                .headerTimeout(Duration.ofMillis(HEADER_TIMEOUT)).ioTimeout(Duration.ofMillis(IO_TIMEOUT))
                .idleTimeout(Duration.ofMillis(IDLE_TIMEOUT)).maxConnections(MAX_CONNECTIONS).maxBodyBytes(1 << 20);
        try (ServerErrors logged = new ServerErrors(); Server server = TestServers.start(config, handler)) {
            Resources before = Resources.now();
            SteadyClient steady = new SteadyClient(server.port(), 5);
            long started = System.nanoTime();
            long until = System.nanoTime() + ATTACK_MILLIS * 1_000_000;
            String[] outcome = {null};
            Throwable[] failure = {null};
            Thread attacker = Thread.ofPlatform().name("attacker").start(() -> {
                try {
                    outcome[0] = attack.run(server, until);
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            Thread.sleep(ATTACK_MILLIS / 2);
            long heapDuring = Resources.collectAndMeasureHeap();
            attacker.join();
            SteadyClient.Stats stats = steady.stop();
            long steadyMillis = (System.nanoTime() - started) / 1_000_000;
            awaitOpen(server, 0);
            Resources after = Resources.awaitBack(before, 2, 5000);
            System.out.printf("%s: %s%n  steady client: %s%n  before: %s%n  during: %d MiB heap after GC%n  after:  %s%n",
                    name, outcome[0], stats, before, heapDuring >> 20, after);

            if (failure[0] != null) throw new AssertionError("the attack's checks failed", failure[0]);
            assertEquals(List.of(), stats.errors(), "every request of the steady client succeeded");
            assertTrue(stats.latencies().length >= steadyMillis / 5 / 2, "the steady client kept its pace for " + steadyMillis + " ms: " + stats);
            assertEquals(List.of(), logged.errors(), "errors the server logged");
            assertTrue(stats.percentileMillis(99) < P99_BOUND_MILLIS, "steady client p99 under attack: " + stats);
            assertTrue(after.isBackTo(before, 2), "resources given back: before " + before + ", after " + after);
            assertTrue(heapDuring - before.heapAfterGc() < HEAP_SLACK_DURING, "heap during the attack: " + (heapDuring >> 20) + " MiB");
            assertTrue(after.heapAfterGc() - before.heapAfterGc() < HEAP_SLACK_AFTER, "heap after the attack: " + after);
        }
    }

    private static void awaitOpen(Server server, int expected) throws InterruptedException {
        long until = System.nanoTime() + 3_000_000_000L;
        while (server.openConnections() > expected && System.nanoTime() < until) Thread.sleep(10);
        assertEquals(expected, server.openConnections(), "connections the server still holds");
    }
}
