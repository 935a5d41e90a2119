package dev.carafe.server.http2;

import dev.carafe.server.Handler;
import dev.carafe.server.Http2Config;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** The server the conformance tests talk to, and its handler. */
final class ConformanceServer {
    private ConformanceServer() {}

    /** Released by tests to let {@code /hold?KEY} requests finish; one semaphore per key, so tests never share one. */
    static final java.util.concurrent.ConcurrentHashMap<String, Semaphore> HOLDS = new java.util.concurrent.ConcurrentHashMap<>();

    static Semaphore hold(String key) {
        return HOLDS.computeIfAbsent(key, k -> new Semaphore(0));
    }

    /** Lets every held request finish. */
    static void releaseAll() {
        HOLDS.values().forEach(s -> s.release(1000));
        HOLDS.clear();
    }

    static final Handler HANDLER = (req, res) -> {
        switch (req.path()) {
            case "/echo" -> {
                byte[] body = req.body().readAllBytes();
                res.send("echo " + body.length + " " + new String(body, 0, Math.min(body.length, 32), StandardCharsets.ISO_8859_1));
            }
            case "/hold" -> {
                hold(String.valueOf(req.query())).tryAcquire(10, TimeUnit.SECONDS);
                res.send("held");
            }
            case "/big" -> {
                int n = Integer.parseInt(req.query());
                byte[] b = new byte[n];
                java.util.Arrays.fill(b, (byte) 'b');
                res.send(b);
            }
            case "/stream" -> {
                OutputStream out = res.body();
                for (int i = 0; i < 3; i++) {
                    out.write(("event " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.close();
            }
            case "/cookie" -> res.send(String.valueOf(req.header("Cookie")) + " host=" + req.header("Host"));
            case "/upgrade" -> {
                try {
                    res.upgrade(conn -> { });
                    res.send("upgraded?");
                } catch (UnsupportedOperationException e) {
                    res.status(501).send(e.getMessage());
                }
            }
            case "/boom" -> throw new IllegalStateException("handler failed");
            case "/head" -> res.header("Connection", "close").header("Transfer-Encoding", "chunked").header("X-Kept", "yes").send("body");
            default -> res.send("ok " + req.path());
        }
    };

    static Server start(Http2Config http2, ServerConfig.Builder config) throws IOException {
        return Server.start(config.host("127.0.0.1").port(0).accessLog(null).http2(http2).build(), HANDLER);
    }

    static Server start() throws IOException {
        return start(Http2Config.defaults(), ServerConfig.builder());
    }
}
