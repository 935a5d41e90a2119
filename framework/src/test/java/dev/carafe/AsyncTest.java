package dev.carafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Handlers returning a CompletionStage, and streamed responses, over a real socket. */
class AsyncTest {
    private static App app(Map<String, String> env) {
        return new App(new Config(env, AsyncTest.class.getClassLoader())).debug(false);
    }

    private static Server start(App app) throws IOException {
        return app.start(ServerConfig.builder().host("127.0.0.1").port(0).accessLog(null).build());
    }

    private static HttpResponse<String> get(Server s, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aStageCompletedLaterByAnotherThreadIsTheResponse() throws Exception {
        App app = app(Map.of());
        CompletableFuture<String> slow = new CompletableFuture<>();
        CountDownLatch handlerWaiting = new CountDownLatch(1);
        app.get("/slow", ctx -> {
            handlerWaiting.countDown();
            return slow.thenApply(v -> Map.of("value", v));
        });
        try (Server s = start(app)) {
            CompletableFuture<HttpResponse<String>> response = CompletableFuture.supplyAsync(() -> {
                try {
                    return get(s, "/slow");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(handlerWaiting.await(5, TimeUnit.SECONDS));
            Thread.ofPlatform().start(() -> slow.complete("done"));
            HttpResponse<String> r = response.get(5, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertEquals("{\"value\":\"done\"}", r.body());
        }
    }

    static final class OutOfStock extends RuntimeException {
        OutOfStock(String m) {
            super(m);
        }
    }

    @Test
    void aFailedStageGoesToTheErrorHandlers() throws Exception {
        App app = app(Map.of());
        app.exception(OutOfStock.class, (ctx, e) -> Reply.text("sorry: " + e.getMessage()).status(409));
        app.get("/buy", ctx -> CompletableFuture.supplyAsync(() -> {
            throw new OutOfStock("tea");
        }));
        app.get("/boom", ctx -> CompletableFuture.failedFuture(new IllegalStateException("secret")));
        try (Server s = start(app)) {
            HttpResponse<String> r = get(s, "/buy");
            assertEquals(409, r.statusCode());
            assertEquals("sorry: tea", r.body());
            HttpResponse<String> boom = get(s, "/boom");
            assertEquals(500, boom.statusCode());
            assertTrue(!boom.body().contains("secret"), boom.body());
        }
    }

    @Test
    void aStageThatNeverCompletesTimesOutWithTheConfiguredStatusAndIsCancelled() throws Exception {
        App app = app(Map.of("CARAFE_ASYNC_TIMEOUT", "150ms"));
        CompletableFuture<String> never = new CompletableFuture<>();
        app.get("/never", ctx -> never);
        App gateway = app(Map.of("CARAFE_ASYNC_TIMEOUT", "150ms", "CARAFE_ASYNC_TIMEOUT_STATUS", "504"));
        gateway.get("/never", ctx -> new CompletableFuture<String>());
        try (Server s = start(app); Server g = start(gateway)) {
            assertEquals(503, get(s, "/never").statusCode());
            assertTrue(never.isCancelled());
            assertEquals(504, get(g, "/never").statusCode());
        }
    }

    @Test
    void aStreamedBodyArrivesInPiecesAsItIsFlushed() throws Exception {
        App app = app(Map.of());
        CountDownLatch firstSeen = new CountDownLatch(1);
        app.get("/stream", ctx -> Reply.stream("text/plain", out -> {
            out.write("first\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                if (!firstSeen.await(5, TimeUnit.SECONDS)) throw new IOException("client never saw the first piece");
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            out.write("second\n".getBytes(StandardCharsets.UTF_8));
        }));
        try (Server s = start(app); Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("first\n")) {
                int b = in.read();
                assertTrue(b >= 0, "closed before the first piece: " + seen);
                seen.append((char) b);
            }
            assertTrue(seen.toString().contains("Transfer-Encoding: chunked"), seen.toString());
            assertTrue(!seen.toString().contains("second"));
            firstSeen.countDown();
            String rest = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertEquals("\r\n7\r\nsecond\n\r\n0\r\n\r\n", rest);
        }
    }

    @Test
    void aClientThatGoesAwayIsNoticedAtTheNextWriteAndTheWriterCleansUp() throws Exception {
        App app = app(Map.of());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        app.get("/forever", ctx -> Reply.stream("text/plain", out -> {
            byte[] piece = new byte[1024];
            try {
                started.countDown();
                while (true) {
                    out.write(piece);
                    out.flush();
                }
            } catch (IOException e) {
                seen.set(e);
                throw e;
            } finally {
                released.countDown();
            }
        }));
        try (Server s = start(app)) {
            try (Socket socket = new Socket("127.0.0.1", s.port())) {
                OutputStream o = socket.getOutputStream();
                o.write("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(started.await(5, TimeUnit.SECONDS));
                socket.getInputStream().readNBytes(4096);
                socket.setSoLinger(true, 0); // a reset: the next writes fail
            }
            assertTrue(released.await(10, TimeUnit.SECONDS), "the writer never noticed the client left");
            assertTrue(seen.get() instanceof IOException, String.valueOf(seen.get()));
        }
    }
}
