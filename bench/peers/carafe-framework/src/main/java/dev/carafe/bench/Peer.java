package dev.carafe.bench;

import dev.carafe.App;
import dev.carafe.Reply;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import dev.carafe.server.tls.Tls;
import java.time.Duration;
import java.util.zip.CRC32;

/**
 * Benchmark peer: the Carafe framework on its own server, the same endpoints as every peer. With
 * {@code --tls-cert/--tls-key} the app is mounted on a server configured with {@code Tls.pem}
 * (what an app serving its own certificate does: {@code app.run} knows only the dev certificate).
 */
public final class Peer {
    /** Serialized by the framework's JSON mapper (Jackson) on every request. */
    record Message(String message) {}

    public static void main(String[] args) throws Exception {
        var app = new App();
        app.config().setDefault("ACCESS_LOG", "false");
        app.get("/plaintext", ctx -> Reply.text("Hello, World!"));
        app.get("/json", ctx -> new Message("Hello, World!"));
        for (int i = 0; i < 100; i++) {
            String prefix = "r" + i + ":";
            app.get("/r" + i + "/{id}", ctx -> Reply.text(prefix + ctx.pathParam("id")));
        }
        app.post("/post", ctx -> {
            CRC32 crc = new CRC32();
            crc.update(ctx.bodyBytes());
            return Reply.text(String.format("%08x", crc.getValue()));
        });
        PeerTls tls = PeerTls.from(args);
        if (tls == null) {
            app.run(args);
            return;
        }
        int port = Integer.parseInt(Args.option(args, "--port", "8080"));
        Server server = app.start(ServerConfig.builder().port(port).accessLog(null)
                .tls(Tls.pem(tls.cert(), tls.key())).build());
        server.stopOnShutdown(Duration.ofSeconds(1));
        System.out.println("Running on " + server.url());
    }
}
