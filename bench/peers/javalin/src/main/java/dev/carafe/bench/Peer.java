package dev.carafe.bench;

import io.javalin.Javalin;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import java.util.zip.CRC32;

/**
 * Benchmark peer: Javalin 7 (Jetty 12) with virtual threads on, its router (100 routes
 * {@code /r{i}/{id}}) and {@code ctx.json} through Jackson. With {@code --tls-cert/--tls-key}:
 * one Jetty connector of TLS (the JDK's, via SslContextFactory) then ALPN choosing h2 or
 * http/1.1, Jetty's documented HTTP/2 setup; the same routes for both.
 */
public final class Peer {
    /** The JSON body, serialized by Javalin's Jackson mapper per request. */
    public record Message(String message) {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(Args.option(args, "--port", "8080"));
        PeerTls tls = PeerTls.from(args);
        Javalin app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = port;
            if (tls != null) config.jetty.addConnector((server, http) -> httpsConnector(server, http, tls, port));
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
        System.out.println("Running on " + PeerTls.scheme(tls) + "://127.0.0.1:" + app.port());
    }

    /** TLS, then ALPN (h2 preferred, http/1.1 the default), on Javalin's HTTP configuration. */
    private static ServerConnector httpsConnector(org.eclipse.jetty.server.Server server, HttpConfiguration http,
            PeerTls tls, int port) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        try {
            ssl.setKeyStore(tls.keyStore());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + tls, e);
        }
        ssl.setKeyStorePassword(new String(PeerTls.PASSWORD));
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // clients of 127.0.0.1 send no SNI; the certificate names localhost
        https.addCustomizer(secure);
        HttpConnectionFactory h1 = new HttpConnectionFactory(https);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(h1.getProtocol());
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, h1);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        return connector;
    }
}
