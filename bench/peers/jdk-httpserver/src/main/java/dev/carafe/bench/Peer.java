package dev.carafe.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.zip.CRC32;

/**
 * Benchmark peer: the JDK's built-in {@code com.sun.net.httpserver} with a virtual-thread-per-task
 * executor. No router and no JSON in the JDK: one context at "/", routes matched by hand, JSON
 * built as a string. bench/run raises {@code sun.net.httpserver.maxIdleConnections} (default 200)
 * so the idle-connection test measures the server rather than that cap.
 */
public final class Peer {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(Args.option(args, "--port", "8080"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", Peer::handle);
        server.start();
        System.out.println("Running on http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            switch (path) {
                case "/plaintext" -> send(ex, 200, "text/plain", HELLO);
                case "/json" -> send(ex, 200, "application/json",
                        ("{\"message\":\"" + Args.escape("Hello, World!") + "\"}").getBytes(StandardCharsets.UTF_8));
                case "/post" -> {
                    CRC32 crc = new CRC32();
                    byte[] buf = new byte[8192];
                    InputStream in = ex.getRequestBody();
                    for (int n; (n = in.read(buf)) > 0; ) crc.update(buf, 0, n);
                    send(ex, 200, "text/plain", String.format("%08x", crc.getValue()).getBytes(StandardCharsets.US_ASCII));
                }
                default -> {
                    String route = Args.route(path);
                    if (route == null) send(ex, 404, "text/plain", "Not Found".getBytes(StandardCharsets.US_ASCII));
                    else send(ex, 200, "text/plain", route.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }
}
