package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Request bodies: streams that end where the body ends, 100-continue, and draining what a handler ignores. */
class BodyTest {
    /** Echoes the body the way a handler reading in small pieces would. */
    private static final Handler ECHO = (req, res) -> {
        InputStream in = req.body();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] piece = new byte[3];
        int n;
        while ((n = in.read(piece)) > 0) got.write(piece, 0, n);
        assertEquals(-1, in.read(), "the body stays ended");
        res.send(req.path() + " " + req.contentLength() + " [" + got.toString(StandardCharsets.ISO_8859_1) + "]");
    };

    /** Answers without looking at the body. */
    private static final Handler IGNORE = (req, res) -> res.send("ignored " + req.path());

    @Test
    void contentLengthBody() throws Exception {
        try (Server s = TestServers.start(ECHO); RawClient c = new RawClient(s.port())) {
            c.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello worldGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("/a 11 [hello world]", c.read().body);
            assertEquals("/b 0 []", c.read().body);
        }
    }

    @Test
    void bodyArrivingInPieces() throws Exception {
        try (Server s = TestServers.start(ECHO); RawClient c = new RawClient(s.port())) {
            c.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n01234");
            Thread.sleep(20); // the handler blocks mid-body; the rest arrives in a later segment
            c.send("56789");
            assertEquals("/a 10 [0123456789]", c.read().body);
        }
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailers() throws Exception {
        try (Server s = TestServers.start(ECHO); RawClient c = new RawClient(s.port())) {
            c.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;a=1;b=\"quoted\"\r\nhello\r\nA\r\n, chunked!\r\n1;lonely\r\n.\r\n"
                    + "0;last=yes\r\nX-Checksum: abc\r\nX-Other: def\r\n\r\n"
                    + "GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("/c -1 [hello, chunked!.]", c.read().body);
            assertEquals("/next 0 []", c.read().body);
        }
    }

    @Test
    void chunkedBodyWithUpperCaseHexAndLeadingZeros() throws Exception {
        try (Server s = TestServers.start(ECHO); RawClient c = new RawClient(s.port())) {
            String data = "x".repeat(0x1A);
            c.send("POST /h HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n001A\r\n" + data + "\r\n000\r\n\r\n");
            assertEquals("/h -1 [" + data + "]", c.read().body);
        }
    }

    @Test
    void unreadContentLengthBodyIsDrained() throws Exception {
        try (Server s = TestServers.start(IGNORE); RawClient c = new RawClient(s.port())) {
            c.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\nGET /smuggled HTTP/1.1"
                    + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp a = c.read();
            assertEquals("ignored /a", a.body);
            assertNull(a.header("Connection"));
            assertEquals("ignored /b", c.read().body);
            assertFalse(c.closedWithin(100));
        }
    }

    @Test
    void unreadChunkedBodyIsDrained() throws Exception {
        try (Server s = TestServers.start(IGNORE); RawClient c = new RawClient(s.port())) {
            c.send("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "16\r\nGET /smuggled HTTP/1.1\r\n0\r\n\r\n"
                    + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ignored /a", c.read().body);
            assertEquals("ignored /b", c.read().body);
        }
    }

    @Test
    void partlyReadBodyIsDrained() throws Exception {
        Handler readTwo = (req, res) -> res.send("first two: " + new String(req.body().readNBytes(2)));
        try (Server s = TestServers.start(readTwo); RawClient c = new RawClient(s.port())) {
            c.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nabcdef"
                    + "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n");
            assertEquals("first two: ab", c.read().body);
            assertEquals("first two: xy", c.read().body);
        }
    }

    @Test
    void largeUnreadBodyClosesTheConnection() throws Exception {
        int max = 1024;
        try (Server s = TestServers.start(TestServers.config().maxDrainBytes(max), IGNORE);
             RawClient c = new RawClient(s.port())) {
            byte[] body = new byte[256 * 1024];
            c.send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n");
            c.send(body);
            RawClient.Resp r = c.read();
            assertEquals("ignored /big", r.body);
            assertEquals("close", r.header("Connection"), "the server knows it will not drain 256 KiB");
            assertTrue(c.closedWithin(3000));
        }
    }

    @Test
    void largeUnreadChunkedBodyClosesTheConnection() throws Exception {
        try (Server s = TestServers.start(TestServers.config().maxDrainBytes(1024), IGNORE);
             RawClient c = new RawClient(s.port())) {
            String chunk = "1000\r\n" + "z".repeat(0x1000) + "\r\n";
            c.send("POST /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk.repeat(16) + "0\r\n\r\n"
                    + RawClient.NEVER_ANSWERED);
            RawClient.Resp r = c.read();
            assertEquals("ignored /big", r.body);
            assertTrue(c.closedWithin(3000), "more than maxDrainBytes unread: the connection ends");
        }
    }

    @Test
    void expectContinueAnsweredWhenTheHandlerReads() throws Exception {
        try (Server s = TestServers.start(ECHO); RawClient c = new RawClient(s.port())) {
            c.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawClient.Resp interim = c.read();
            assertEquals(100, interim.status);
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", interim.head);
            c.send("hello");
            RawClient.Resp r = c.read();
            assertEquals("/up 5 [hello]", r.body);
            assertNull(r.header("Connection"));
            c.send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("/again 0 []", c.read().body);
        }
    }

    @Test
    void expectContinueWithChunkedBody() throws Exception {
        try (Server s = TestServers.start(ECHO); RawClient c = new RawClient(s.port())) {
            c.send("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, c.read().status);
            c.send("2\r\nok\r\n0\r\n\r\n");
            assertEquals("/up -1 [ok]", c.read().body);
        }
    }

    @Test
    void noContinueWhenTheHandlerAnswersWithoutReading() throws Exception {
        Handler refuse = (req, res) -> res.status(403).send("no uploads");
        try (Server s = TestServers.start(refuse); RawClient c = new RawClient(s.port())) {
            c.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals(403, r.status, "the final answer comes first, no 100 Continue");
            assertEquals("no uploads", r.body);
            assertEquals("close", r.header("Connection"), "the client may or may not send the body now");
            assertTrue(c.closedWithin(3000));
        }
    }

    @Test
    void noContinueForHttp10() throws Exception {
        try (Server s = TestServers.start(ECHO); RawClient c = new RawClient(s.port())) {
            c.send("POST /up HTTP/1.0\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nok");
            RawClient.Resp r = c.read();
            assertEquals(200, r.status);
            assertEquals("/up 2 [ok]", r.body);
        }
    }

    @Test
    void unsupportedExpectationGets417() throws Exception {
        try (Server s = TestServers.start(ECHO); RawClient c = new RawClient(s.port())) {
            c.assertRejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: teapot\r\n\r\nok", 417);
        }
    }

    @Test
    void bodyIsAStreamNotBufferedWhole() throws Exception {
        // The handler sees the first bytes while the client still holds back the rest.
        java.util.concurrent.CountDownLatch firstSeen = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger total = new AtomicInteger();
        Handler streaming = (req, res) -> {
            InputStream in = req.body();
            byte[] b = new byte[4096];
            int n = in.read(b);
            total.addAndGet(n);
            firstSeen.countDown();
            while ((n = in.read(b)) > 0) total.addAndGet(n);
            res.send("got " + total.get());
        };
        try (Server s = TestServers.start(streaming); RawClient c = new RawClient(s.port())) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n" + "a".repeat(1000));
            assertTrue(firstSeen.await(5, java.util.concurrent.TimeUnit.SECONDS));
            c.send("b".repeat(199_000));
            assertEquals("got 200000", c.read().body);
        }
    }

    @Test
    void clientGoneMidBodyDoesNotHurtTheServer() throws Exception {
        try (Server s = TestServers.start(TestServers.config().ioTimeout(Duration.ofSeconds(5)), ECHO)) {
            try (RawClient c = new RawClient(s.port())) {
                c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten..");
            }
            try (RawClient c = new RawClient(s.port())) {
                c.send("POST /fine HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok");
                assertEquals("/fine 2 [ok]", c.read().body);
            }
        }
    }
}
