package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A bounded load: 64 keep-alive connections, each sending a mix of GETs, POSTs with bodies, HEADs
 * and pipelined pairs for a few seconds. Not a benchmark: it asserts that every response is
 * correct and that nothing fails, not how fast it was.
 *
 * <p>The clients are platform threads: on JDK 25.0.3, virtual threads doing timed socket reads
 * (as {@link RawClient} does) were seen to miss a wakeup with the response already in their
 * receive queue, which would blame the server for a client-side stall.
 */
class LoadTest {
    private static final int CONNECTIONS = 64;
    private static final long RUN_NANOS = 5_000_000_000L;

    @Test
    void sixtyFourKeepAliveConnectionsWithoutASingleError() throws Exception {
        Handler h = (req, res) -> {
            byte[] body = req.body().readAllBytes();
            res.header("X-Path", req.path()).send(req.method() + " " + req.path() + " " + body.length);
        };
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicLong responses = new AtomicLong();
        long[] perConnection = new long[CONNECTIONS];
        try (Server server = TestServers.start(h)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                int id = i;
                clients.add(Thread.ofPlatform().start(() -> {
                    try (RawClient c = new RawClient(server.port())) {
                        go.await();
                        long end = System.nanoTime() + RUN_NANOS;
                        for (int seq = 0; System.nanoTime() < end; seq++) {
                            String path = "/c" + id + "/" + seq;
                            switch (seq % 4) {
                                case 0 -> {
                                    c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                                    expect(c.read(), "GET " + path + " 0", errors);
                                }
                                case 1 -> {
                                    String body = "x".repeat(seq % 3000);
                                    c.send("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length()
                                            + "\r\n\r\n" + body);
                                    expect(c.read(), "POST " + path + " " + body.length(), errors);
                                }
                                case 2 -> {
                                    c.send("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                                    RawClient.Resp r = c.read(true);
                                    if (r.status != 200 || !path.equals(r.header("X-Path"))) errors.add("HEAD " + path + ": " + r);
                                }
                                default -> {
                                    c.send("GET " + path + "a HTTP/1.1\r\nHost: x\r\n\r\n"
                                            + "POST " + path + "b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                            + "3\r\nabc\r\n0\r\n\r\n");
                                    expect(c.read(), "GET " + path + "a 0", errors);
                                    expect(c.read(), "POST " + path + "b 3", errors);
                                    responses.incrementAndGet();
                                }
                            }
                            responses.incrementAndGet();
                            perConnection[id]++;
                        }
                    } catch (Exception e) {
                        errors.add("connection " + id + ": " + e);
                    }
                }));
            }
            go.countDown();
            for (Thread t : clients) assertTrue(t.join(Duration.ofSeconds(30)), "client finished");
            assertEquals(List.of(), errors.subList(0, Math.min(errors.size(), 10)));
            for (int i = 0; i < CONNECTIONS; i++) assertTrue(perConnection[i] > 0, "connection " + i + " was served");
            long until = System.nanoTime() + 3_000_000_000L;
            while (server.openConnections() > 0 && System.nanoTime() < until) Thread.sleep(10);
            assertEquals(0, server.openConnections(), "every closed client connection is released");
        }
        System.out.println("LoadTest: " + responses.get() + " responses on " + CONNECTIONS + " connections");
    }

    private static void expect(RawClient.Resp r, String body, List<String> errors) {
        if (r.status != 200 || !body.equals(r.body) || r.header("Date") == null || r.header("Connection") != null) {
            errors.add("expected 200 '" + body + "', got: " + r);
        }
    }
}
