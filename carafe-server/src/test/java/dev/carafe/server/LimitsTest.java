package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Configurable limits: each bounds what one client can make the server hold, with the status named. */
class LimitsTest {
    private static final Handler READ_ALL = (req, res) -> res.send("read " + req.body().readAllBytes().length);

    @Test
    void requestLineTooLongGets414() throws Exception {
        try (Server s = TestServers.start(TestServers.config().maxRequestLineBytes(100), READ_ALL);
             RawClient c = new RawClient(s.port())) {
            c.send("GET /" + "a".repeat(80) + " HTTP/1.1\r\nHost: x\r\n\r\n"); // 95 bytes: fits
            assertEquals(200, c.read().status);
            c.assertRejected("GET /" + "a".repeat(100) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414);
        }
    }

    @Test
    void endlessRequestLineGets414WithoutWaitingForItsEnd() throws Exception {
        try (Server s = TestServers.start(TestServers.config().maxRequestLineBytes(100), READ_ALL);
             RawClient c = new RawClient(s.port())) {
            c.send("GET /" + "a".repeat(5000)); // no CRLF ever comes
            c.assertRejectedAlreadySent(414);
        }
    }

    @Test
    void headerBytesTooManyGets431() throws Exception {
        try (Server s = TestServers.start(TestServers.config().maxHeaderBytes(1024), READ_ALL);
             RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(900) + "\r\n\r\n");
            assertEquals(200, c.read().status);
            c.assertRejected("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(1100) + "\r\n\r\n", 431);
        }
        try (Server s = TestServers.start(TestServers.config().maxHeaderBytes(1024), READ_ALL);
             RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n" + "X-Many: 123456789\r\n".repeat(1000)); // unterminated
            c.assertRejectedAlreadySent(431);
        }
    }

    @Test
    void headerCountTooManyGets431() throws Exception {
        try (Server s = TestServers.start(TestServers.config().maxHeaderCount(10), READ_ALL);
             RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n" + "X: 1\r\n".repeat(9) + "\r\n");
            assertEquals(200, c.read().status);
            c.assertRejected("GET / HTTP/1.1\r\nHost: x\r\n" + "X: 1\r\n".repeat(10) + "\r\n", 431);
        }
    }

    @Test
    void declaredBodyTooLargeGets413BeforeTheBodyIsSent() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        Handler h = (req, res) -> {
            handled.incrementAndGet();
            READ_ALL.handle(req, res);
        };
        try (Server s = TestServers.start(TestServers.config().maxBodyBytes(1000), h);
             RawClient c = new RawClient(s.port())) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + "a".repeat(1000));
            assertEquals("read 1000", c.read().body);
            // Only the head: the 413 must come without the body ever being sent.
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n");
            c.assertRejectedAlreadySent(413);
            assertEquals(1, handled.get(), "the handler never saw the oversized request");
        }
    }

    @Test
    void declaredBodyTooLargeWithExpectContinueGets413InsteadOf100() throws Exception {
        try (Server s = TestServers.start(TestServers.config().maxBodyBytes(1000), READ_ALL);
             RawClient c = new RawClient(s.port())) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n");
            c.assertRejectedAlreadySent(413);
        }
    }

    @Test
    void chunkedBodyTooLargeGets413WhileReading() throws Exception {
        try (Server s = TestServers.start(TestServers.config().maxBodyBytes(1000), READ_ALL);
             RawClient c = new RawClient(s.port())) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "1f4\r\n" + "a".repeat(500) + "\r\n1f4\r\n" + "b".repeat(500) + "\r\n0\r\n\r\n");
            assertEquals("read 1000", c.read().body);
            c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "1f4\r\n" + "a".repeat(500) + "\r\n1f5\r\n" + "b".repeat(501) + "\r\n0\r\n\r\n"
                    + RawClient.NEVER_ANSWERED);
            c.assertRejectedAlreadySent(413);
        }
    }

    @Test
    void slowHeadGets408AfterTheHeaderTimeout() throws Exception {
        try (Server s = TestServers.start(TestServers.config().headerTimeout(Duration.ofMillis(500)), READ_ALL);
             RawClient c = new RawClient(s.port())) {
            long start = System.nanoTime();
            c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            c.assertRejectedAlreadySent(408);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 450 && millis < 3000, "408 after " + millis + " ms");
        }
    }

    @Test
    void trickleDoesNotExtendTheHeaderTimeout() throws Exception {
        try (Server s = TestServers.start(TestServers.config().headerTimeout(Duration.ofMillis(500)), READ_ALL);
             RawClient c = new RawClient(s.port())) {
            long start = System.nanoTime();
            c.send("GET / HTTP/1.1\r\n");
            String header = "X-Trickle: 1\r\n";
            try {
                for (int i = 0; i < 30; i++) { // a byte every 50 ms: 1.5 s in all, always something new
                    c.send(header.substring(i % header.length(), i % header.length() + 1));
                    Thread.sleep(50);
                }
            } catch (java.io.IOException closedMeanwhile) {
                // the server gave up while we were still sending: what we want
            }
            RawClient.Resp r = c.read();
            assertEquals(408, r.status);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 2500, "408 after " + millis + " ms");
        }
    }

    @Test
    void stalledBodyGets408AfterTheIoTimeout() throws Exception {
        try (Server s = TestServers.start(TestServers.config().ioTimeout(Duration.ofMillis(400)), READ_ALL);
             RawClient c = new RawClient(s.port())) {
            long start = System.nanoTime();
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nfive.");
            c.assertRejectedAlreadySent(408);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 350 && millis < 3000, "408 after " + millis + " ms");
        }
    }

    @Test
    void clientThatStopsReadingIsCutOffAfterTheIoTimeout() throws Exception {
        CountDownLatch writeFailed = new CountDownLatch(1);
        Handler endless = (req, res) -> {
            if (req.path().equals("/small")) {
                res.send("small");
                return;
            }
            var out = res.body();
            byte[] piece = new byte[64 * 1024];
            try {
                while (true) out.write(piece);
            } catch (java.io.IOException e) {
                writeFailed.countDown();
                throw e;
            }
        };
        try (Server s = TestServers.start(TestServers.config().ioTimeout(Duration.ofMillis(400)), endless)) {
            try (RawClient stuck = new RawClient(s.port())) {
                stuck.socket.setReceiveBufferSize(4096);
                stuck.send("GET /endless HTTP/1.1\r\nHost: x\r\n\r\n"); // and never read
                assertTrue(writeFailed.await(5, TimeUnit.SECONDS), "the blocked write was ended");
                try (RawClient other = new RawClient(s.port())) {
                    other.send("GET /small HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertEquals("small", other.read().body);
                }
            }
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosed() throws Exception {
        try (Server s = TestServers.start(TestServers.config().idleTimeout(Duration.ofMillis(300)), READ_ALL);
             RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, c.read().status);
            long start = System.nanoTime();
            assertTrue(c.closedWithin(3000), "idle connection closed");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 250, "closed after " + millis + " ms, before the idle timeout");
        }
    }

    @Test
    void idleTimeoutDoesNotCutASlowHandler() throws Exception {
        Handler slow = (req, res) -> {
            Thread.sleep(600);
            res.send("slow but fine");
        };
        try (Server s = TestServers.start(TestServers.config().idleTimeout(Duration.ofMillis(200)), slow);
             RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("slow but fine", c.read().body);
        }
    }

    @Test
    void connectionsBeyondTheLimitGet503() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Handler h = (req, res) -> {
            if (req.path().equals("/hold")) release.await();
            res.send("served");
        };
        try (Server s = TestServers.start(TestServers.config().maxConnections(2), h);
             RawClient a = new RawClient(s.port());
             RawClient b = new RawClient(s.port())) {
            a.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("served", a.read().body);
            b.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n"); // b is busy in the handler
            try (RawClient extra = new RawClient(s.port())) {
                extra.send("GET /extra HTTP/1.1\r\nHost: x\r\n\r\n");
                RawClient.Resp r = extra.assertRejectedAlreadySent(503);
                assertEquals("1", r.header("Retry-After"));
            }
            try (RawClient extra = new RawClient(s.port())) {
                // A request with a body the refusing server never reads still gets its 503.
                extra.send("POST /extra HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + "z".repeat(100_000));
                extra.assertRejectedAlreadySent(503);
            }
            release.countDown();
            assertEquals("served", b.read().body);
            a.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("served", a.read().body, "the connections within the limit are unaffected");
        }
    }

    @Test
    void aFreedSlotIsUsableAgain() throws Exception {
        try (Server s = TestServers.start(TestServers.config().maxConnections(1), READ_ALL)) {
            try (RawClient a = new RawClient(s.port())) {
                a.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertEquals(200, a.read().status);
                assertTrue(a.closedWithin(2000));
            }
            long until = System.nanoTime() + 2_000_000_000L;
            while (s.openConnections() > 0 && System.nanoTime() < until) Thread.sleep(5);
            try (RawClient b = new RawClient(s.port())) {
                b.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(200, b.read().status);
                assertFalse(b.closedWithin(50));
            }
        }
    }

    @Test
    void configRejectsNonsense() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().maxConnections(0).build());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().headerTimeout(Duration.ZERO).build());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().port(65536).build());
    }
}
