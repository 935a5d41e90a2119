package dev.carafe.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.zip.CRC32;

/**
 * Benchmark peer: Vert.x 5 with vertx-web's Router (100 routes {@code /r{i}/:id}), one verticle
 * on the event loop, JsonObject for JSON, BodyHandler for the POST body. With
 * {@code --tls-cert/--tls-key}: HTTPS from the PEM files (Vert.x's default engine, the JDK's), ALPN
 * offering h2 and http/1.1; the same router answers both.
 */
public final class Peer {
    private static final Buffer HELLO = Buffer.buffer("Hello, World!");

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(Args.option(args, "--port", "8080"));
        Vertx vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.get("/plaintext").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain").end(HELLO));
        router.get("/json").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("message", "Hello, World!").toBuffer()));
        router.post("/post").handler(BodyHandler.create().setBodyLimit(1 << 20)).handler(ctx -> {
            CRC32 crc = new CRC32();
            crc.update(ctx.body().buffer().getBytes());
            ctx.response().putHeader("Content-Type", "text/plain").end(String.format("%08x", crc.getValue()));
        });
        for (int i = 0; i < 100; i++) {
            String name = "r" + i;
            router.get("/" + name + "/:id").handler(ctx ->
                    ctx.response().putHeader("Content-Type", "text/plain").end(name + ":" + ctx.pathParam("id")));
        }
        PeerTls tls = PeerTls.from(args);
        HttpServerOptions options = new HttpServerOptions();
        if (tls != null) {
            options.setSsl(true).setUseAlpn(true)
                    .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().toString()).setKeyPath(tls.key().toString()));
        }
        vertx.createHttpServer(options).requestHandler(router).listen(port, "127.0.0.1").await();
        System.out.println("Running on " + PeerTls.scheme(tls) + "://127.0.0.1:" + port);
    }
}
