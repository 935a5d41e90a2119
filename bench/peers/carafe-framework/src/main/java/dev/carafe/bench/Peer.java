package dev.carafe.bench;

// PLACEHOLDER, not compiled yet (see ../../../../../../README.md): written against the framework
// API as announced; check the imports and fill in the TODOs when the `carafe` module lands.
import dev.carafe.App;

/** Benchmark peer: the Carafe framework on its own server, the same endpoints as every peer. */
public final class Peer {
    public static void main(String[] args) throws Exception {
        var app = new App();
        app.get("/plaintext", ctx -> "Hello, World!");
        // TODO json: GET /json -> {"message":"Hello, World!"} (application/json), serialized per request
        //      the framework's usual way.
        // TODO routing: for i in 0..99, GET /r{i}/{id} -> "r{i}:{id}" (text/plain), as 100 routes.
        // TODO post: POST /post -> CRC32 of the body as 8 lowercase hex digits (text/plain).
        // Access log off; --port N honoured; prints "Running on http://127.0.0.1:N" when ready.
        app.run(args);
    }
}
