package dev.carafe.bench;

import dev.carafe.server.Request;
import dev.carafe.server.Response;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import dev.carafe.server.tls.Tls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.CRC32;

/**
 * Benchmark peer: Carafe's raw server ({@code carafe-server}), no framework. The server has no
 * router and no JSON, so {@code /r{i}/{id}} is matched by hand and the JSON is built as a string
 * per request (what a handler on the raw API would do). With {@code --tls-cert/--tls-key} it
 * serves HTTPS with {@code Tls.pem}; ALPN gives h2 to a client that offers it, the same handler for both.
 */
public final class Peer {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(Args.option(args, "--port", "8080"));
        PeerTls tls = PeerTls.from(args);
        ServerConfig.Builder config = ServerConfig.builder().port(port).accessLog(null);
        if (tls != null) config.tls(Tls.pem(tls.cert(), tls.key()));
        Server server = Server.start(config.build(), Peer::handle);
        server.stopOnShutdown(Duration.ofSeconds(1));
        System.out.println("Running on " + server.url());
    }

    private static void handle(Request req, Response res) throws Exception {
        String path = req.path();
        switch (path) {
            case "/plaintext" -> res.header("Content-Type", "text/plain").send(HELLO);
            case "/json" -> res.header("Content-Type", "application/json").send(json("message", "Hello, World!"));
            case "/post" -> {
                if (!req.method().equals("POST")) {
                    res.status(405).send("Method Not Allowed");
                    return;
                }
                CRC32 crc = new CRC32();
                byte[] buf = new byte[8192];
                var in = req.body();
                for (int n; (n = in.read(buf)) > 0; ) crc.update(buf, 0, n);
                res.header("Content-Type", "text/plain").send(String.format("%08x", crc.getValue()));
            }
            default -> {
                String route = Args.route(path);
                if (route == null) res.status(404).header("Content-Type", "text/plain").send("Not Found");
                else res.header("Content-Type", "text/plain").send(route);
            }
        }
    }

    /** A one-field JSON object, escaped properly: the tiny serializer this peer uses. */
    static String json(String key, String value) {
        return "{\"" + Args.escape(key) + "\":\"" + Args.escape(value) + "\"}";
    }
}
