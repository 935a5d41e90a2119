package dev.carafe.bench;

import dev.carafe.App;
import dev.carafe.Reply;
import java.util.zip.CRC32;

/** Benchmark peer: the Carafe framework on its own server, the same endpoints as every peer. */
public final class Peer {
    /** Serialized by the framework's JSON mapper (Jackson) on every request. */
    record Message(String message) {}

    public static void main(String[] args) {
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
        app.run(args);
    }
}
