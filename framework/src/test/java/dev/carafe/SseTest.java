package dev.carafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.realtime.SseBroadcaster;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Server-sent events over a real socket, read line by line as a browser's EventSource would. */
class SseTest {
    private static App app(Map<String, String> env) {
        return new App(new Config(env, SseTest.class.getClassLoader()));
    }

    private static Server start(App app) throws IOException {
        return app.start(ServerConfig.builder().host("127.0.0.1").port(0).accessLog(null).build());
    }

    /** A raw client: sends the GET, then reads the head and body lines (chunk sizes dropped). */
    static final class Stream implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final String head;

        Stream(Server s, String path, String extraHeaders) throws IOException {
            socket = new Socket("127.0.0.1", s.port());
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
                    + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder h = new StringBuilder();
            for (String line; !(line = in.readLine()).isEmpty(); ) h.append(line).append('\n');
            head = h.toString();
        }

        /** The next event block (lines up to a blank line), chunk framing removed. */
        String event() throws IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                String line = in.readLine();
                if (line == null) throw new IOException("stream ended");
                if (line.matches("[0-9a-f]+") && sb.isEmpty()) continue; // a chunk size line
                if (line.isEmpty()) {
                    if (sb.isEmpty()) continue; // the CRLF that ends a chunk
                    return sb.toString();
                }
                sb.append(line).append('\n');
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void eventsHaveNamesIdsMultiLineDataAndRetry() throws Exception {
        App app = app(Map.of());
        app.sse("/events", client -> {
            client.retry(Duration.ofSeconds(3));
            client.send("greeting", "hello\nworld", "1");
            client.send("plain");
            client.send("resume", "after " + client.lastEventId());
            client.close();
        });
        try (Server s = start(app); Stream st = new Stream(s, "/events", "Last-Event-ID: 41\r\n")) {
            assertTrue(st.head.startsWith("HTTP/1.1 200"), st.head);
            assertTrue(st.head.contains("Content-Type: text/event-stream; charset=utf-8"), st.head);
            assertTrue(st.head.contains("Cache-Control: no-cache"), st.head);
            assertEquals("retry: 3000\n", st.event());
            assertEquals("id: 1\nevent: greeting\ndata: hello\ndata: world\n", st.event());
            assertEquals("data: plain\n", st.event());
            assertEquals("event: resume\ndata: after 41\n", st.event());
            String last;
            do last = st.in.readLine(); while (last.isEmpty()); // the CRLF ending the event's chunk
            assertEquals("0", last); // close() ended the response
        }
    }

    @Test
    void heartbeatsKeepAQuietStreamAliveAndNoticeAClientThatLeft() throws Exception {
        App app = app(Map.of("CARAFE_SSE_HEARTBEAT", "100ms"));
        CountDownLatch gone = new CountDownLatch(1);
        app.sse("/quiet", client -> client.onClose(gone::countDown));
        try (Server s = start(app)) {
            try (Stream st = new Stream(s, "/quiet", "")) {
                assertEquals(": stream open\n", st.event());
                assertEquals(":\n", st.event());
                assertEquals(":\n", st.event());
                st.socket.setSoLinger(true, 0);
            }
            assertTrue(gone.await(5, TimeUnit.SECONDS), "the heartbeat should notice the client left");
        }
    }

    @Test
    void aBroadcastReachesEveryClientAndClientsLeaveTheSetWhenTheyGo() throws Exception {
        App app = app(Map.of("CARAFE_SSE_HEARTBEAT", "100ms"));
        SseBroadcaster room = new SseBroadcaster();
        CountDownLatch joined = new CountDownLatch(2);
        app.sse("/room", client -> {
            room.add(client);
            joined.countDown();
        });
        try (Server s = start(app); Stream a = new Stream(s, "/room", "")) {
            Stream b = new Stream(s, "/room", "");
            assertTrue(joined.await(5, TimeUnit.SECONDS));
            assertEquals(2, room.size());
            assertEquals(2, room.broadcast("msg", "hi all", "7"));
            assertEquals("id: 7\nevent: msg\ndata: hi all\n", nextNonHeartbeat(a));
            assertEquals("id: 7\nevent: msg\ndata: hi all\n", nextNonHeartbeat(b));
            b.socket.setSoLinger(true, 0);
            b.close();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (room.size() != 1 && System.nanoTime() < until) Thread.sleep(10); // polls a condition, bounded
            assertEquals(1, room.size());
            room.broadcast("after");
            assertEquals("data: after\n", nextNonHeartbeat(a));
        }
    }

    private static String nextNonHeartbeat(Stream s) throws IOException {
        String e;
        do e = s.event(); while (e.startsWith(":"));
        return e;
    }

    @Test
    void aClientTooSlowToKeepUpWithBroadcastsIsDroppedWithoutHoldingUpOthers() throws Exception {
        App app = app(Map.of("CARAFE_SSE_MAX_QUEUED", "4", "CARAFE_SSE_HEARTBEAT", "1h"));
        SseBroadcaster room = new SseBroadcaster();
        CountDownLatch joined = new CountDownLatch(1);
        CountDownLatch dropped = new CountDownLatch(1);
        app.sse("/room", client -> {
            room.add(client);
            client.onClose(dropped::countDown);
            joined.countDown();
        });
        try (Server s = start(app); Stream stuck = new Stream(s, "/room", "")) {
            stuck.socket.setReceiveBufferSize(4096); // and it never reads: the server's writes soon block
            assertTrue(joined.await(5, TimeUnit.SECONDS));
            String big = "x".repeat(1 << 20);
            long started = System.nanoTime();
            int events = 0;
            while (room.size() > 0 && events < 500) { // a broadcast never blocks, however stuck the client
                room.broadcast("big", big, null);
                events++;
            }
            assertTrue(dropped.await(5, TimeUnit.SECONDS), "the stuck client should be dropped");
            assertEquals(0, room.size());
            assertTrue(events < 500, "dropped after " + events + " events");
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "broadcasts did not block");
        }
    }

    @Test
    void aGracefulStopEndsOpenStreamsInsteadOfWaitingForItsDeadline() throws Exception {
        App app = app(Map.of("CARAFE_SSE_HEARTBEAT", "1h"));
        CountDownLatch joined = new CountDownLatch(1);
        app.sse("/feed", client -> joined.countDown());
        Server s = start(app);
        try (Stream st = new Stream(s, "/feed", "")) {
            assertTrue(joined.await(5, TimeUnit.SECONDS));
            assertEquals(": stream open\n", st.event());
            long t0 = System.nanoTime();
            assertTrue(s.stop(Duration.ofSeconds(20)), "every connection should finish before the deadline");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "the stop waited for its deadline");
            String last;
            do last = st.in.readLine(); while (last.isEmpty());
            assertEquals("0", last); // the stream ended properly
        }
    }

    @Test
    void aBeforeHookThatAnswersPreventsTheStream() throws Exception {
        App app = app(Map.of());
        app.before(ctx -> ctx.header("Authorization") == null ? Reply.text("login first").status(401) : null);
        app.sse("/private", client -> client.send("secret"));
        try (Server s = start(app); Stream st = new Stream(s, "/private", "")) {
            assertTrue(st.head.startsWith("HTTP/1.1 401"), st.head);
            assertTrue(!st.head.contains("event-stream"), st.head);
        }
    }
}
