package dev.carafe.server.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import dev.carafe.server.tls.DevCertificate;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebSocket over TLS (wss) with the JDK's WebSocket client: the upgrade keeps the TLS layer. */
class WssTest {
    @Test
    void wssEchoesTextAndLargeBinaryMessages(@TempDir Path dir) throws Exception {
        DevCertificate cert = DevCertificate.in(dir);
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).accessLog(null).tls(cert.tls()).build();
        try (Server server = Server.start(config,
                (req, res) -> WebSocketHandshake.upgrade(req, res, WebSocketOptions.builder().maxMessageBytes(8 << 20).build(), WebSocketProtocolTest.ECHO))) {
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(cert.certificate())).build();
            LinkedBlockingQueue<Object> got = new LinkedBlockingQueue<>();
            WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create("wss://localhost:" + server.port() + "/ws"),
                    new WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();
                        private final java.io.ByteArrayOutputStream bin = new java.io.ByteArrayOutputStream();

                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                got.add(text.toString());
                                text.setLength(0);
                            }
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                            byte[] b = new byte[data.remaining()];
                            data.get(b);
                            bin.writeBytes(b);
                            if (last) {
                                got.add(bin.toByteArray());
                                bin.reset();
                            }
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                            got.add("closed " + code);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            ws.sendText("hello over tls", true).get(10, TimeUnit.SECONDS);
            assertEquals("hello over tls", got.poll(10, TimeUnit.SECONDS));
            byte[] big = new byte[3 << 20];
            new Random(5).nextBytes(big);
            ws.sendBinary(ByteBuffer.wrap(big), true).get(10, TimeUnit.SECONDS);
            Object echoed = got.poll(20, TimeUnit.SECONDS);
            assertEquals(true, echoed instanceof byte[] b && Arrays.equals(big, b), "the large binary message came back intact: " + (echoed instanceof byte[] b ? b.length + " bytes" : echoed));
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
            assertEquals("closed 1000", got.poll(10, TimeUnit.SECONDS));
        }
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("dev", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
