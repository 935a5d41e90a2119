package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Werkzeug-style access log line, and turning it off. */
class AccessLogTest {
    private static final String DATE = "\\[\\d{2}/[A-Z][a-z]{2}/\\d{4} \\d{2}:\\d{2}:\\d{2}\\]";

    private static void serveAndLog(AccessLog log, String requests, int responses) throws Exception {
        Handler h = (req, res) -> {
            if (req.path().equals("/missing")) res.status(404).send("nope");
            else if (req.path().equals("/empty")) res.status(204).send("");
            else res.send("Hello, world!");
        };
        try (Server s = TestServers.start(TestServers.config().accessLog(log), h);
             RawClient c = new RawClient(s.port())) {
            c.send(requests);
            for (int i = 0; i < responses; i++) c.read(requests.startsWith("HEAD"));
        }
    }

    @Test
    void werkzeugStyleLines() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AccessLog log = AccessLog.to(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        serveAndLog(log, "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /missing?q=1 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /empty HTTP/1.1\r\nHost: x\r\n\r\nPOST /old HTTP/1.0\r\nContent-Length: 0\r\n\r\n", 4);
        // The log line is written after the response: the server stopped (in close) before we read it.
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length, bytes.toString());
        assertTrue(lines[0].matches("127\\.0\\.0\\.1 - - " + DATE + " \"GET / HTTP/1\\.1\" 200 13"), lines[0]);
        assertTrue(lines[1].matches("127\\.0\\.0\\.1 - - " + DATE + " \"GET /missing\\?q=1 HTTP/1\\.1\" 404 4"), lines[1]);
        assertTrue(lines[2].matches("127\\.0\\.0\\.1 - - " + DATE + " \"GET /empty HTTP/1\\.1\" 204 -"), lines[2]);
        assertTrue(lines[3].matches("127\\.0\\.0\\.1 - - " + DATE + " \"POST /old HTTP/1\\.0\" 200 13"), lines[3]);
    }

    @Test
    void colouredByStatusOnATerminal() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AccessLog log = AccessLog.to(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        serveAndLog(log, "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /missing HTTP/1.1\r\nHost: x\r\n\r\n", 2);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(lines[0].endsWith(" 200 13\u001b[0m"), lines[0]);
        assertTrue(lines[1].startsWith("\u001b[33m127.0.0.1 - - ["), lines[1]);
    }

    @Test
    void aFailingAccessLogDoesNotCostTheResponse() throws Exception {
        AccessLog broken = (request, status, size) -> {
            throw new IllegalStateException("disk full");
        };
        try (Server s = TestServers.start(TestServers.config().accessLog(broken), (req, res) -> res.send("served"));
             RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("served", c.read().body);
            assertEquals("served", c.read().body);
        }
    }

    @Test
    void turnedOffWithNull() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            serveAndLog(null, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 1);
        } finally {
            System.setErr(original);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
    }
}
