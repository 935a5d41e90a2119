package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Graceful stop: no new connections, idle ones closed, requests in flight finished with {@code Connection: close}. */
class ShutdownTest {
    /** Waits until the server no longer accepts connections, i.e. stop() has begun. */
    private static void awaitNotAccepting(int port) throws Exception {
        long until = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < until) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                Thread.sleep(5);
            } catch (ConnectException refused) {
                return;
            }
        }
        throw new AssertionError("still accepting connections");
    }

    @Test
    void requestInFlightFinishesAndIdleConnectionsClose() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Handler h = (req, res) -> {
            if (req.path().equals("/slow")) {
                entered.countDown();
                release.await();
            }
            res.send("done " + req.path());
        };
        Server s = TestServers.start(h);
        try (RawClient busy = new RawClient(s.port()); RawClient idle = new RawClient(s.port())) {
            idle.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("done /first", idle.read().body);
            busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(entered.await(5, TimeUnit.SECONDS));

            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> s.stop(Duration.ofSeconds(5)));
            awaitNotAccepting(s.port());
            assertTrue(idle.closedWithin(2000), "the idle connection is closed at once");
            assertFalse(stopped.isDone(), "stop() waits for the request in flight");

            release.countDown();
            RawClient.Resp r = busy.read();
            assertEquals(200, r.status);
            assertEquals("done /slow", r.body);
            assertEquals("close", r.header("Connection"));
            assertTrue(busy.closedWithin(2000));
            assertTrue(stopped.get(5, TimeUnit.SECONDS), "every connection finished in time");
        } finally {
            release.countDown();
            s.stop(Duration.ofMillis(100));
        }
    }

    @Test
    void stuckHandlerIsCutOffAtTheDeadline() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Server s = TestServers.start((req, res) -> {
            entered.countDown();
            never.await();
        });
        try (RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(entered.await(5, TimeUnit.SECONDS));
            long start = System.nanoTime();
            assertFalse(s.stop(Duration.ofMillis(300)), "not every connection finished");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 250 && millis < 3000, "stop took " + millis + " ms");
            assertTrue(c.closedWithin(2000));
        } finally {
            never.countDown();
        }
    }

    @Test
    void stopIsIdempotentAndJoinReturns() throws Exception {
        Server s = TestServers.start((req, res) -> res.send("x"));
        assertTrue(s.stop(Duration.ofSeconds(1)));
        assertTrue(s.stop(Duration.ofSeconds(1)));
        assertTrue(s.join(Duration.ofSeconds(1)));
        assertThrowsConnect(s.port());
    }

    private static void assertThrowsConnect(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            throw new AssertionError("connected after stop");
        } catch (IOException expected) {
            // refused
        }
    }

    /**
     * Clients keep slow requests going on keep-alive connections while the server stops. Every
     * request the handler started must get its complete 200. A request that got no answer is
     * allowed only if the handler never saw it: it was sent on a connection the server closed as
     * idle (the ordinary keep-alive race, which clients answer by retrying).
     */
    @Test
    void stopUnderLoadAnswersEveryRequestItStarted() throws Exception {
        Set<String> started = ConcurrentHashMap.newKeySet();
        Set<String> completed = ConcurrentHashMap.newKeySet();
        Set<String> unanswered = ConcurrentHashMap.newKeySet();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch warm = new CountDownLatch(100);
        Server s = TestServers.start((req, res) -> {
            started.add(req.path());
            Thread.sleep(50);
            res.send("answer " + req.path());
        });
        int port = s.port();
        AtomicBoolean refused = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int client = t;
            clients.add(Thread.ofPlatform().start(() -> {
                int seq = 0;
                while (true) {
                    RawClient c;
                    try {
                        c = new RawClient(port);
                    } catch (IOException e) {
                        refused.set(true);
                        return; // the server stopped accepting: done
                    }
                    try (c) {
                        while (true) {
                            String id = "/c" + client + "-" + seq++;
                            try {
                                c.send("GET " + id + " HTTP/1.1\r\nHost: x\r\n\r\n");
                                RawClient.Resp r = c.read();
                                if (r.status != 200 || !r.body.equals("answer " + id)) wrong.add(id + ": " + r);
                                completed.add(id);
                                warm.countDown();
                                if ("close".equals(r.header("Connection"))) break;
                            } catch (IOException e) {
                                unanswered.add(id);
                                break;
                            }
                        }
                    } catch (IOException ignored) {
                        // closing
                    }
                }
            }));
        }
        assertTrue(warm.await(20, TimeUnit.SECONDS), "the load got going");
        assertTrue(s.stop(Duration.ofSeconds(5)), "every request in flight finished within the grace period");
        for (Thread c : clients) assertTrue(c.join(Duration.ofSeconds(10)), "client finished");

        assertTrue(refused.get());
        assertEquals(List.of(), wrong);
        for (String id : started) {
            assertTrue(completed.contains(id), "the handler started " + id + " but its response never arrived");
        }
        for (String id : unanswered) {
            assertFalse(started.contains(id), id + " reached the handler but was not answered");
        }
        assertTrue(completed.size() >= 100, "requests completed: " + completed.size());
    }
}
