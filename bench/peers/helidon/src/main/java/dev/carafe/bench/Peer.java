package dev.carafe.bench;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Benchmark peer: Helidon SE 4 WebServer (its own HTTP/1.1 server on virtual threads) with
 * HttpRouting (100 routes {@code /r{i}/{id}}) and Jackson media support for JSON. With
 * {@code --tls-cert/--tls-key}: TLS on the JDK's SSLContext; helidon-webserver-http2 on the class
 * path makes ALPN offer h2 beside http/1.1, the same routing for both.
 */
public final class Peer {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    /** The JSON body, serialized by Helidon's Jackson media support per request. */
    public record Message(String message) {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(Args.option(args, "--port", "8080"));
        HttpRouting.Builder routing = HttpRouting.builder()
                .get("/plaintext", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "text/plain").send(HELLO))
                .get("/json", (req, res) -> res.send(new Message("Hello, World!")))
                .post("/post", (req, res) -> {
                    CRC32 crc = new CRC32();
                    crc.update(req.content().as(byte[].class));
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain").send(String.format("%08x", crc.getValue()));
                });
        for (int i = 0; i < 100; i++) {
            String name = "r" + i;
            routing.get("/" + name + "/{id}", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "text/plain")
                    .send(name + ":" + req.path().pathParameters().get("id")));
        }
        PeerTls tls = PeerTls.from(args);
        var builder = WebServer.builder().host("127.0.0.1").port(port).routing(routing);
        if (tls != null) {
            var context = tls.sslContext();
            builder.tls(t -> t.sslContext(context));
        }
        WebServer server = builder.build().start();
        System.out.println("Running on " + PeerTls.scheme(tls) + "://127.0.0.1:" + server.port());
    }
}
