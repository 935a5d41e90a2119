package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Response framing as the server writes it: lengths, chunks, HEAD, bodiless statuses, Date, errors. */
class ResponseTest {
    @Test
    void fixedLengthResponse() throws Exception {
        try (Server s = TestServers.start((req, res) -> res.status(201).header("Content-Type", "text/plain")
                .header("X-Custom", "v").send("created"));
             RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertTrue(r.head.startsWith("HTTP/1.1 201 Created\r\n"), r.head);
            assertEquals("7", r.header("Content-Length"));
            assertEquals("text/plain", r.header("Content-Type"));
            assertEquals("v", r.header("X-Custom"));
            assertNull(r.header("Transfer-Encoding"));
            assertEquals("created", r.body);
        }
    }

    @Test
    void dateOnEveryResponseInImfFixdate() throws Exception {
        try (Server s = TestServers.start((req, res) -> {
                 if (req.path().equals("/boom")) throw new IllegalStateException("boom");
                 res.status(req.path().equals("/204") ? 204 : 200).send("x");
             });
             RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /204 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /boom HTTP/1.1\r\nHost: x\r\n\r\n");
            for (int i = 0; i < 3; i++) {
                String date = c.read().header("Date");
                assertNotNull(date);
                ZonedDateTime parsed = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
                assertTrue(Math.abs(parsed.toEpochSecond() - System.currentTimeMillis() / 1000) < 5, date);
                assertTrue(date.endsWith(" GMT") && date.matches("\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"), date);
            }
            c.assertRejected("GET / HTTP/1.1\r\n\r\n", 400); // and on errors the server makes up itself
        }
    }

    @Test
    void handlerCannotOverrideFramingFields() throws Exception {
        try (Server s = TestServers.start((req, res) -> res.header("Content-Length", "999")
                .header("Transfer-Encoding", "chunked").header("Connection", "close").header("Date", "yesterday")
                .send("four"));
             RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals("4", r.header("Content-Length"));
            assertNull(r.header("Transfer-Encoding"));
            assertFalse(r.header("Date").equals("yesterday"));
            assertEquals("close", r.header("Connection"), "a handler may ask to close");
            assertEquals(1, r.head.split("Connection:", -1).length - 1, r.head);
            assertEquals("four", r.body);
            assertTrue(c.closedWithin(2000));
        }
    }

    @Test
    void streamedBodyIsChunkedAndFlushedDataArrivesBeforeTheHandlerFinishes() throws Exception {
        CountDownLatch clientSawFirst = new CountDownLatch(1);
        CountDownLatch handlerDone = new CountDownLatch(1);
        Handler streaming = (req, res) -> {
            try (OutputStream out = res.header("Content-Type", "text/plain").body()) {
                out.write("first;".getBytes());
                out.flush();
                // Blocks until the client has read the first piece: proves the flush reached it.
                if (!clientSawFirst.await(5, TimeUnit.SECONDS)) throw new AssertionError("first piece never arrived");
                out.write("second".getBytes());
            }
            handlerDone.countDown();
        };
        try (Server s = TestServers.start(streaming); RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = c.readHead();
            assertTrue(head.contains("\r\nTransfer-Encoding: chunked\r\n"), head);
            assertFalse(head.contains("Content-Length"), head);
            InputStream in = c.socket.getInputStream();
            byte[] first = in.readNBytes("6\r\nfirst;\r\n".length());
            assertEquals("6\r\nfirst;\r\n", new String(first, StandardCharsets.ISO_8859_1));
            assertEquals(1, handlerDone.getCount(), "the handler is still running");
            clientSawFirst.countDown();
            byte[] rest = in.readNBytes("6\r\nsecond\r\n0\r\n\r\n".length());
            assertEquals("6\r\nsecond\r\n0\r\n\r\n", new String(rest, StandardCharsets.ISO_8859_1));
            c.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); // still usable afterwards
            assertTrue(handlerDone.await(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void smallStreamedBodyClosedWithoutFlushGetsContentLength() throws Exception {
        try (Server s = TestServers.start((req, res) -> res.body().write("small".getBytes()));
             RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals("5", r.header("Content-Length"));
            assertNull(r.header("Transfer-Encoding"));
            assertEquals("small", r.body);
        }
    }

    @Test
    void largeStreamedBodyIsChunked() throws Exception {
        String big = "0123456789abcdef".repeat(4096);
        try (Server s = TestServers.start((req, res) -> {
                 OutputStream out = res.body();
                 for (int i = 0; i < big.length(); i += 1000) out.write(big.substring(i, Math.min(big.length(), i + 1000)).getBytes());
             });
             RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
            for (int i = 0; i < 2; i++) {
                RawClient.Resp r = c.read();
                assertEquals("chunked", r.header("Transfer-Encoding"));
                assertEquals(big, r.body);
            }
        }
    }

    @Test
    void declaredLengthStreamedBody() throws Exception {
        try (Server s = TestServers.start((req, res) -> {
                 OutputStream out = res.contentLength(10).body();
                 out.write("01234".getBytes());
                 out.flush();
                 out.write("56789".getBytes());
             });
             RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals("10", r.header("Content-Length"));
            assertNull(r.header("Transfer-Encoding"));
            assertEquals("0123456789", r.body);
        }
    }

    @Test
    void shortDeclaredBodyEndsTheConnection() throws Exception {
        try (Server s = TestServers.start((req, res) -> {
                 OutputStream out = res.contentLength(10).body();
                 out.write("01234".getBytes());
                 out.flush();
             });
             RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = c.readHead();
            assertTrue(head.contains("Content-Length: 10\r\n"), head);
            assertEquals("01234", c.readToEnd(), "cut short: the client sees the connection end, not a next response");
        }
    }

    @Test
    void headGetsTheGetHeadersAndNoBody() throws Exception {
        Handler h = (req, res) -> res.header("Content-Type", "text/plain").send("twelve bytes");
        try (Server s = TestServers.start(h); RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp get = c.read();
            RawClient.Resp head = c.read(true);
            assertEquals("12", head.header("Content-Length"));
            assertEquals(get.header("Content-Type"), head.header("Content-Type"));
            assertEquals(get.head.replaceAll("Date: [^\r]*", ""), head.head.replaceAll("Date: [^\r]*", ""));
            assertEquals("twelve bytes", c.read().body, "no body bytes after the HEAD response");
        }
    }

    @Test
    void headWithAStreamedBody() throws Exception {
        Handler h = (req, res) -> res.body().write("streamed".getBytes());
        try (Server s = TestServers.start(h); RawClient c = new RawClient(s.port())) {
            c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp head = c.read(true);
            assertEquals("8", head.header("Content-Length"));
            assertNull(head.header("Transfer-Encoding"));
            assertEquals("streamed", c.read().body);
        }
    }

    @Test
    void headWithAFlushedStreamSaysChunkedLikeTheGetButSendsNoChunks() throws Exception {
        Handler h = (req, res) -> {
            OutputStream out = res.body();
            out.write("streamed".getBytes());
            out.flush();
            out.write("more".getBytes());
        };
        try (Server s = TestServers.start(h); RawClient c = new RawClient(s.port())) {
            c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp head = c.read(true);
            assertEquals("chunked", head.header("Transfer-Encoding"));
            assertNull(head.header("Connection"), "kept alive");
            RawClient.Resp get = c.read();
            assertTrue(get.head.startsWith("HTTP/1.1 200 OK\r\n"), "no chunk bytes after the HEAD response: " + get.head);
            assertEquals("chunked", get.header("Transfer-Encoding"));
            assertEquals("streamedmore", get.body);
        }
    }

    @Test
    void noBodyFor204And304() throws Exception {
        Handler h = (req, res) -> {
            res.status(Integer.parseInt(req.path().substring(1))).header("ETag", "\"v1\"");
            if (req.query() != null) res.body().write("ignored".getBytes());
            else res.send("ignored");
        };
        try (Server s = TestServers.start(h); RawClient c = new RawClient(s.port())) {
            c.send("GET /204 HTTP/1.1\r\nHost: x\r\n\r\nGET /304 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /204?stream HTTP/1.1\r\nHost: x\r\n\r\nGET /304?stream HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /200 HTTP/1.1\r\nHost: x\r\n\r\n");
            for (int status : new int[] {204, 304, 204, 304}) {
                RawClient.Resp r = c.read();
                assertEquals(status, r.status);
                assertNull(r.header("Content-Length"), r.head);
                assertNull(r.header("Transfer-Encoding"), r.head);
                assertEquals("\"v1\"", r.header("ETag"));
            }
            RawClient.Resp ok = c.read();
            assertEquals(200, ok.status, "nothing of the bodies leaked into the stream");
            assertEquals("ignored", ok.body);
        }
    }

    @Test
    void handlerThatSendsNothingGivesAnEmpty200() throws Exception {
        try (Server s = TestServers.start((req, res) -> {}); RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals(200, r.status);
            assertEquals("0", r.header("Content-Length"));
        }
    }

    @Test
    void handlerExceptionGivesGeneric500AndTheServerKeepsServing() throws Exception {
        Handler h = (req, res) -> {
            if (req.path().equals("/boom")) {
                res.header("X-Half-Set", "yes");
                throw new IllegalStateException("secret detail at dev.carafe.Secret.method");
            }
            res.send("fine");
        };
        try (Server s = TestServers.start(h); RawClient c = new RawClient(s.port())) {
            c.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals(500, r.status);
            assertEquals("500 Internal Server Error\n", r.body);
            assertNull(r.header("X-Half-Set"), "headers of the failed response are dropped");
            assertFalse(r.toString().contains("secret") || r.toString().contains("Exception"), r.toString());
            assertEquals("fine", c.read().body, "same connection, next request");
        }
    }

    @Test
    void exceptionAfterCommitCutsTheResponseShort() throws Exception {
        Handler h = (req, res) -> {
            OutputStream out = res.body();
            out.write("partial".getBytes());
            out.flush();
            throw new IllegalStateException("failed half way");
        };
        try (Server s = TestServers.start(h); RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = c.readHead();
            assertTrue(head.startsWith("HTTP/1.1 200 OK"), head);
            assertEquals("7\r\npartial\r\n", c.readToEnd(), "no last chunk: the client sees the body is incomplete");
        }
    }

    @Test
    void headerValueWithCrLfCannotSplitTheResponse() throws Exception {
        Handler h = (req, res) -> res.header("X-Echo", req.query().replace("%0d", "\r").replace("%0a", "\n"))
                .send("body");
        try (Server s = TestServers.start(h); RawClient c = new RawClient(s.port())) {
            c.send("GET /?a%0d%0aSet-Cookie:%20evil=1 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /?a%0aX-Injected:%201 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /?fine HTTP/1.1\r\nHost: x\r\n\r\n");
            for (int i = 0; i < 2; i++) {
                RawClient.Resp r = c.read();
                assertEquals(500, r.status, r.toString());
                assertNull(r.header("Set-Cookie"), r.head);
                assertNull(r.header("X-Injected"), r.head);
                assertNull(r.header("X-Echo"), r.head);
                assertEquals("500 Internal Server Error\n", r.body);
            }
            RawClient.Resp ok = c.read();
            assertEquals("fine", ok.header("X-Echo"));
            assertEquals("body", ok.body);
        }
    }

    @Test
    void invalidHeaderNamesAreRefusedToo() throws Exception {
        Handler h = (req, res) -> res.header(req.path().equals("/space") ? "Bad Name" : "Bad:Name", "v").send("x");
        try (Server s = TestServers.start(h); RawClient c = new RawClient(s.port())) {
            c.send("GET /space HTTP/1.1\r\nHost: x\r\n\r\nGET /colon HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(500, c.read().status);
            assertEquals(500, c.read().status);
        }
    }

    @Test
    void clientGoneMidResponseDoesNotHurtTheServer() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        Handler h = (req, res) -> {
            if (req.path().equals("/small")) {
                res.send("still here");
                return;
            }
            OutputStream out = res.body();
            byte[] piece = new byte[64 * 1024];
            try {
                for (int i = 0; i < 10_000; i++) out.write(piece); // 640 MB: far more than socket buffers hold
            } catch (java.io.IOException expected) {
                failed.countDown();
                throw expected;
            }
        };
        try (Server s = TestServers.start(h)) {
            try (RawClient c = new RawClient(s.port())) {
                c.send("GET /huge HTTP/1.1\r\nHost: x\r\n\r\n");
                c.readHead();
                c.socket.getInputStream().readNBytes(100_000);
            }
            assertTrue(failed.await(10, TimeUnit.SECONDS), "the handler's write failed once the client left");
            try (RawClient c = new RawClient(s.port())) {
                c.send("GET /small HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("still here", c.read().body);
            }
        }
    }
}
