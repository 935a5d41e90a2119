package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code stop(drain, grace)}: listeners first, then a drain that still serves but ends keep-alive, then the stop. */
class DrainTest {
    @Test
    void drainingKeepsAcceptingAndClosesEachConnectionAfterItsNextResponse() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        Server server = TestServers.start((req, res) -> res.send("ok"));
        server.onStopping(() -> events.add("stopping"));
        try (RawClient idle = new RawClient(server.port())) {
            idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(null, idle.read().header("Connection"), "keep-alive before the drain");
            long t0 = System.nanoTime();
            Thread stopper = Thread.ofVirtual().start(() -> server.stop(Duration.ofMillis(700), Duration.ofSeconds(2)));
            Thread.sleep(150);
            assertEquals(List.of("stopping"), events, "listeners run as the stop begins");
            assertTrue(server.isStopping());
            // a kept-alive connection is still served, and told to close
            idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp again = idle.read();
            assertEquals(200, again.status);
            assertEquals("close", again.header("Connection"));
            // new connections are still accepted during the drain, and closed after their response
            try (RawClient fresh = new RawClient(server.port())) {
                fresh.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                RawClient.Resp r = fresh.read();
                assertEquals("ok", r.body);
                assertEquals("close", r.header("Connection"));
            }
            stopper.join(5000);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis >= 700, "the port stayed open for the drain: " + millis + " ms");
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                throw new AssertionError("still accepting after the stop");
            } catch (ConnectException expected) {
                // closed
            }
            assertEquals(List.of("stopping"), events, "once");
        }
    }

    @Test
    void jsonAccessLogLinesAreOneObjectEachWithEscapedFields() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Server server = TestServers.start(TestServers.config().accessLog(AccessLog.json(new PrintStream(out, true, StandardCharsets.UTF_8))),
                (req, res) -> {
                    Thread.sleep(30);
                    res.status(404).send("nope");
                });
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /a%22b?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: say \"hi\"\\\r\n\r\n");
            c.read();
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
        String line = out.toString(StandardCharsets.UTF_8).strip();
        assertTrue(line.matches("\\{\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z\",.*\\}"), line);
        Matcher duration = Pattern.compile(",\"duration_ms\":(\\d+\\.\\d+),").matcher(line);
        assertTrue(duration.find(), line);
        double ms = Double.parseDouble(duration.group(1));
        assertTrue(ms >= 30 && ms < 10_000, "the handler slept 30 ms: " + line);
        line = line.replace(duration.group(), ",");
        assertTrue(line.endsWith(",\"remote\":\"127.0.0.1\",\"method\":\"GET\",\"target\":\"/a%22b?q=1\",\"protocol\":\"HTTP/1.1\","
                + "\"status\":404,\"bytes\":4,\"host\":\"example.com\",\"user_agent\":\"say \\\"hi\\\"\\\\\"}"), line);
        assertEquals(1, out.toString(StandardCharsets.UTF_8).lines().count());
    }
}
