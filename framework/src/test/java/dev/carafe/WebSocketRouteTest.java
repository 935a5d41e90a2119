package dev.carafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.http.Cookie;
import dev.carafe.realtime.WebSocketConnection;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import dev.carafe.server.websocket.Message;
import dev.carafe.server.websocket.WebSocketOptions;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** WebSocket routes driven by the JDK's own WebSocket client. */
class WebSocketRouteTest {
    private static Server start(App app) throws IOException {
        return app.start(ServerConfig.builder().host("127.0.0.1").port(0).accessLog(null).build());
    }

    /** Collects text messages and the close code. */
    static final class Listener implements WebSocket.Listener {
        final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed.complete(code);
            return null;
        }

        String next() throws InterruptedException {
            String s = texts.poll(5, TimeUnit.SECONDS);
            if (s == null) throw new AssertionError("no message within 5 s");
            return s;
        }
    }

    private static WebSocket connect(Server s, String path, Listener l, Map<String, String> headers) throws Exception {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
        headers.forEach(b::header);
        return b.buildAsync(URI.create("ws://127.0.0.1:" + s.port() + path), l).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRouteSeesPathParametersCookiesAndHookAttributesAndEchoes() throws Exception {
        App app = new App();
        app.before(ctx -> {
            ctx.attribute("user", ctx.cookie("user"));
            return null;
        });
        Blueprint rooms = new Blueprint("rooms", "/rooms");
        rooms.ws("/{room}", ws -> {
            ws.send("welcome " + ws.context().attribute("user") + " to " + ws.context().pathParam("room"));
            for (Message m; (m = ws.receive()) != null; ) ws.send(ws.context().pathParam("room") + ": " + m.text());
        });
        app.register(rooms);
        try (Server s = start(app)) {
            Listener l = new Listener();
            WebSocket ws = connect(s, "/rooms/tea", l, Map.of("Cookie", "user=ada"));
            assertEquals("welcome ada to tea", l.next());
            ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
            assertEquals("tea: hello", l.next());
            ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
            assertEquals(1000, l.closed.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aBeforeHookThatAnswersPreventsTheUpgrade() throws Exception {
        App app = new App();
        app.before(ctx -> ctx.cookie("user") == null ? Reply.text("login first").status(401) : null);
        app.ws("/chat", ws -> ws.send("should never run"));
        try (Server s = start(app); Socket raw = new Socket("127.0.0.1", s.port())) {
            raw.setSoTimeout(5000);
            raw.getOutputStream().write(("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = new String(raw.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 401", head);
        }
    }

    @Test
    void aPlainGetOnAWebSocketRouteGets426AndOtherMethods405() throws Exception {
        App app = new App();
        app.ws("/chat", ws -> { });
        try (Server s = start(app)) {
            var http = HttpClient.newHttpClient();
            var r = http.send(java.net.http.HttpRequest.newBuilder(URI.create(s.url() + "/chat")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(426, r.statusCode());
            assertEquals("13", r.headers().firstValue("Sec-WebSocket-Version").orElse(null));
            var post = http.send(java.net.http.HttpRequest.newBuilder(URI.create(s.url() + "/chat"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void optionsChooseASubprotocolAndCheckTheOrigin() throws Exception {
        App app = new App();
        app.ws("/v", WebSocketOptions.builder().subprotocols("chat.v2").allowedOrigins(o -> o == null || o.equals("http://good")).build(),
                ws -> ws.send("speaking " + ws.subprotocol()));
        try (Server s = start(app)) {
            Listener l = new Listener();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("chat.v1", "chat.v2")
                    .buildAsync(URI.create("ws://127.0.0.1:" + s.port() + "/v"), l).get(5, TimeUnit.SECONDS);
            assertEquals("chat.v2", ws.getSubprotocol());
            assertEquals("speaking chat.v2", l.next());
            assertEquals(1000, l.closed.get(5, TimeUnit.SECONDS)); // the endpoint returned: closed normally
            var refused = HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", "http://evil")
                    .buildAsync(URI.create("ws://127.0.0.1:" + s.port() + "/v"), new Listener());
            try {
                refused.get(5, TimeUnit.SECONDS);
                throw new AssertionError("a refused origin must not connect");
            } catch (java.util.concurrent.ExecutionException e) {
                assertTrue(String.valueOf(e.getCause()).contains("403") || e.getCause() instanceof java.net.http.WebSocketHandshakeException,
                        String.valueOf(e.getCause()));
            }
        }
    }

    @Test
    void aBroadcastFromAnotherThreadReachesEveryConnection() throws Exception {
        App app = new App();
        var clients = java.util.concurrent.ConcurrentHashMap.<WebSocketConnection>newKeySet();
        var joined = new java.util.concurrent.CountDownLatch(3);
        app.ws("/all", ws -> {
            clients.add(ws);
            joined.countDown();
            try {
                while (ws.receive() != null) { /* until closed */ }
            } finally {
                clients.remove(ws);
            }
        });
        try (Server s = start(app)) {
            Listener[] ls = {new Listener(), new Listener(), new Listener()};
            for (Listener l : ls) connect(s, "/all", l, Map.of());
            assertTrue(joined.await(5, TimeUnit.SECONDS));
            Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 50; i++) {
                    for (WebSocketConnection c : clients) {
                        try {
                            c.send("n" + i);
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    }
                }
            }).join();
            for (Listener l : ls) for (int i = 0; i < 50; i++) assertEquals("n" + i, l.next());
        }
    }
}
