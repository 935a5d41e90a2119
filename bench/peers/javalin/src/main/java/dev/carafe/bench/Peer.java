package dev.carafe.bench;

import io.javalin.Javalin;
import java.util.zip.CRC32;

/**
 * Benchmark peer: Javalin 7 (Jetty 12) with virtual threads on, its router (100 routes
 * {@code /r{i}/{id}}) and {@code ctx.json} through Jackson.
 */
public final class Peer {
    /** The JSON body, serialized by Javalin's Jackson mapper per request. */
    public record Message(String message) {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(Args.option(args, "--port", "8080"));
        Javalin app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = port;
            config.routes.get("/plaintext", ctx -> ctx.contentType("text/plain").result("Hello, World!"));
            config.routes.get("/json", ctx -> ctx.json(new Message("Hello, World!")));
            config.routes.post("/post", ctx -> {
                CRC32 crc = new CRC32();
                crc.update(ctx.bodyAsBytes());
                ctx.contentType("text/plain").result(String.format("%08x", crc.getValue()));
            });
            for (int i = 0; i < 100; i++) {
                String name = "r" + i;
                config.routes.get("/" + name + "/{id}", ctx -> ctx.contentType("text/plain").result(name + ":" + ctx.pathParam("id")));
            }
        });
        app.start();
        System.out.println("Running on http://127.0.0.1:" + app.port());
    }
}
