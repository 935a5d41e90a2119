package dev.carafe.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Benchmark peer: Undertow core with its RoutingHandler (100 path templates {@code /r{i}/{id}}),
 * handlers on the IO thread (Undertow's fast path), the POST body received without blocking,
 * Jackson for JSON. With {@code --tls-cert/--tls-key}: an HTTPS listener on the JDK's
 * SSLContext with HTTP/2 enabled (ALPN offers h2 and http/1.1), the same routes for both.
 */
public final class Peer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ByteBuffer HELLO = ByteBuffer.wrap("Hello, World!".getBytes()).asReadOnlyBuffer();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(Args.option(args, "--port", "8080"));
        RoutingHandler routes = new RoutingHandler()
                .get("/plaintext", ex -> {
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                    ex.getResponseSender().send(HELLO.duplicate());
                })
                .get("/json", ex -> {
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                    ex.getResponseSender().send(ByteBuffer.wrap(JSON.writeValueAsBytes(Map.of("message", "Hello, World!"))));
                })
                .post("/post", ex -> ex.getRequestReceiver().receiveFullBytes((e, body) -> {
                    CRC32 crc = new CRC32();
                    crc.update(body);
                    e.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                    e.getResponseSender().send(String.format("%08x", crc.getValue()));
                }));
        for (int i = 0; i < 100; i++) {
            String name = "r" + i;
            routes.get("/" + name + "/{id}", (HttpServerExchange ex) -> {
                String id = ex.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("id");
                ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                ex.getResponseSender().send(name + ":" + id);
            });
        }
        PeerTls tls = PeerTls.from(args);
        Undertow.Builder builder = Undertow.builder().setHandler(routes);
        if (tls == null) builder.addHttpListener(port, "127.0.0.1");
        else builder.addHttpsListener(port, "127.0.0.1", tls.sslContext()).setServerOption(UndertowOptions.ENABLE_HTTP2, true);
        builder.build().start();
        System.out.println("Running on " + PeerTls.scheme(tls) + "://127.0.0.1:" + port);
    }
}
