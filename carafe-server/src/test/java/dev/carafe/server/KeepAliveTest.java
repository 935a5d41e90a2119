package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connection reuse: HTTP/1.1 keeps alive by default, HTTP/1.0 only when asked; pipelining keeps order. */
class KeepAliveTest {
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start((req, res) -> res.send(req.method() + " " + req.target()));
    }

    @AfterAll
    static void stop() {
        server.stop(java.time.Duration.ofSeconds(1));
    }

    @Test
    void http11KeepsAliveByDefault() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            for (int i = 0; i < 3; i++) {
                c.send("GET /" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                RawClient.Resp r = c.read();
                assertEquals("GET /" + i, r.body);
                assertNull(r.header("Connection"), r.head);
                assertTrue(r.head.startsWith("HTTP/1.1 200 OK\r\n"), r.head);
            }
            assertFalse(c.closedWithin(100));
        }
    }

    @Test
    void http11ConnectionCloseIsHonoured() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals("GET /bye", r.body);
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedWithin(2000));
        }
    }

    @Test
    void nothingAfterConnectionCloseIsAnswered() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" + RawClient.NEVER_ANSWERED);
            assertEquals("GET /bye", c.read().body);
            assertTrue(c.closedWithin(2000), "the pipelined request after the close was not answered");
        }
    }

    @Test
    void connectionCloseAmongOtherTokens() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: TE, Close\r\n\r\n");
            assertEquals("close", c.read().header("Connection"));
            assertTrue(c.closedWithin(2000));
        }
    }

    @Test
    void http10ClosesByDefault() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /old HTTP/1.0\r\n\r\n");
            RawClient.Resp r = c.read();
            assertTrue(r.head.startsWith("HTTP/1.1 200 OK\r\n"), r.head);
            assertEquals("GET /old", r.body);
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedWithin(2000));
        }
    }

    @Test
    void http10KeepAliveWhenAsked() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            for (int i = 0; i < 2; i++) {
                c.send("GET /old" + i + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                RawClient.Resp r = c.read();
                assertEquals("GET /old" + i, r.body);
                assertEquals("keep-alive", r.header("Connection"));
                assertEquals(String.valueOf(r.body.length()), r.header("Content-Length"));
            }
            assertFalse(c.closedWithin(100));
            c.send("GET /last HTTP/1.0\r\n\r\n");
            assertEquals("close", c.read().header("Connection"));
            assertTrue(c.closedWithin(2000));
        }
    }

    @Test
    void http10StreamedBodyIsDelimitedByClose() throws Exception {
        try (Server s = TestServers.start((req, res) -> {
                 var out = res.body();
                 out.write("part one, ".getBytes());
                 out.flush();
                 out.write("part two".getBytes());
             });
             RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawClient.Resp r = c.read();
            assertNull(r.header("Transfer-Encoding"), "HTTP/1.0 has no chunked coding");
            assertNull(r.header("Content-Length"));
            assertEquals("close", r.header("Connection"));
            assertEquals("part one, part two", r.body); // read to the end of the stream
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        StringBuilder batch = new StringBuilder();
        int n = 50;
        for (int i = 0; i < n; i++) {
            String method = i % 3 == 0 ? "HEAD" : "GET";
            batch.append(method).append(" /p").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        batch.append("GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        try (RawClient c = new RawClient(server.port())) {
            c.send(batch.toString());
            for (int i = 0; i < n; i++) {
                boolean head = i % 3 == 0;
                RawClient.Resp r = c.read(head);
                assertEquals(200, r.status);
                String expected = (head ? "HEAD" : "GET") + " /p" + i;
                if (head) assertEquals(String.valueOf(expected.length()), r.header("Content-Length"));
                else assertEquals(expected, r.body);
            }
            assertEquals("GET /last", c.read().body);
            assertTrue(c.closedWithin(2000));
        }
    }

    @Test
    void pipelinedRequestsSentByteByByte() throws Exception {
        String two = "GET /one HTTP/1.1\r\nHost: x\r\n\r\nPOST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi";
        try (RawClient c = new RawClient(server.port())) {
            c.socket.setTcpNoDelay(true);
            for (byte b : two.getBytes()) c.send(new byte[] {b});
            assertEquals("GET /one", c.read().body);
            assertEquals("POST /two", c.read().body);
        }
    }

    @Test
    void clientThatHalfClosesAfterItsRequestsStillGetsTheAnswers() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\nPOST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
            c.socket.shutdownOutput();
            assertEquals("GET /one", c.read().body);
            assertEquals("POST /two", c.read().body);
            assertTrue(c.closedWithin(2000), "then the server closes too");
        }
    }

    /** Found by ConnectionFuzzTest: the answers waiting for the next head's bytes were dropped at the end of the stream. */
    @Test
    void answersAreSentWhenTheStreamEndsInTheMiddleOfTheNextHead() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\nGET /thr");
            c.socket.shutdownOutput();
            assertEquals("GET /one", c.read().body);
            assertEquals("GET /two", c.read().body);
            assertTrue(c.closedWithin(2000), "then the server closes too");
        }
    }

    @Test
    void leadingEmptyLinesAreIgnored() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("\r\n\r\nGET /after-crlf HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("GET /after-crlf", c.read().body);
        }
    }
}
