package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTPS with real clients: the JDK's HttpClient and SSLSocket, over loopback. */
class TlsTest {
    private static final byte[] BIG = new byte[6 << 20];
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        new Random(11).nextBytes(BIG);
        server = Server.start(TlsClients.config().build(), (req, res) -> {
            switch (req.path()) {
                case "/big" -> res.send(BIG);
                case "/sleep" -> {
                    Thread.sleep(300);
                    res.send("slept");
                }
                case "/upload" -> {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    long n = 0;
                    byte[] buf = new byte[16384];
                    for (int r; (r = req.body().read(buf)) > 0; n += r) sha.update(buf, 0, r);
                    res.send(n + " " + HexFormat.of().formatHex(sha.digest()));
                }
                default -> res.send(req.scheme() + " secure=" + req.secure() + " sni=" + req.serverName() + " " + req.target());
            }
        });
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(1));
    }

    @Test
    void theUrlSaysHttps() {
        assertTrue(server.url().startsWith("https://127.0.0.1:"), server.url());
    }

    @Test
    void httpClientByNameAndByAddressSeesTheRequestAsSecure() throws Exception {
        var client = TlsClients.httpClient(); // verifies the host name: DNS:localhost and IP:127.0.0.1 are in the certificate
        for (String host : List.of("localhost", "127.0.0.1")) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://" + host + ":" + server.port() + "/x?y=1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            String sni = host.equals("localhost") ? "localhost" : "null"; // no SNI for an IP address (RFC 6066)
            assertEquals("https secure=true sni=" + sni + " /x?y=1", r.body());
        }
    }

    @Test
    void largeBodiesBothWays() throws Exception {
        var client = TlsClients.httpClient();
        HttpResponse<byte[]> down = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/big")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(BIG, down.body());
        HttpResponse<String> up = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(BIG)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(BIG.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BIG)), up.body());
    }

    @Test
    void sniReachesTheHandler() throws Exception {
        try (RawClient c = new RawClient(TlsClients.socket(server.port(), "app.localhost"))) {
            c.send("GET /sni HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("https secure=true sni=app.localhost /sni", c.read().body);
        }
        try (RawClient c = new RawClient(TlsClients.socket(server.port(), null))) {
            c.send("GET /none HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("https secure=true sni=null /none", c.read().body);
        }
    }

    @Test
    void keepAliveAndPipelining() throws Exception {
        SSLSocket s = TlsClients.socket(server.port(), "localhost");
        try (RawClient c = new RawClient(s)) {
            c.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("https secure=true sni=localhost /1", c.read().body);
            c.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\nGET /4 HTTP/1.1\r\nHost: x\r\n\r\n");
            for (int i = 2; i <= 4; i++) assertEquals("https secure=true sni=localhost /" + i, c.read().body);
            // Each request in a TLS record of its own, all sent while the server is busy, so that it
            // reads them in one go: after the first, the rest wait inside the TLS layer, where the
            // poller cannot see them.
            OutputStream out = s.getOutputStream();
            c.send("GET /sleep HTTP/1.1\r\nHost: x\r\n\r\n");
            Thread.sleep(50);
            for (int i = 5; i <= 8; i++) out.write(("GET /" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("slept", c.read().body);
            for (int i = 5; i <= 8; i++) assertEquals("https secure=true sni=localhost /" + i, c.read().body);
            assertEquals("TLSv1.3", s.getSession().getProtocol());
        }
    }

    @Test
    void plainHttpToTheTlsPortGetsAPlainTextAnswer() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals(400, r.status);
            assertEquals("close", r.header("Connection"));
            assertTrue(r.body.contains("The plain HTTP request was sent to the HTTPS port"), r.body);
            assertTrue(c.closedWithin(3000));
        }
    }

    @Test
    void tls12RenegotiationIsRefusedByClosing() throws Exception {
        java.net.Socket tcp = new java.net.Socket("127.0.0.1", server.port());
        SSLSocket s = (SSLSocket) TlsClients.trusting(TlsClients.cert().certificate()).getSocketFactory()
                .createSocket(tcp, "127.0.0.1", server.port(), true);
        s.setEnabledProtocols(new String[] {"TLSv1.2"});
        try (RawClient c = new RawClient(s)) {
            c.send("GET /before HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("https secure=true sni=null /before", c.read().body);
            assertEquals("TLSv1.2", s.getSession().getProtocol());
            s.startHandshake(); // on an established TLS 1.2 connection: asks to renegotiate
            boolean refused;
            try {
                c.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
                refused = c.closedWithin(3000);
            } catch (java.io.IOException e) {
                refused = true; // the handshake or the write saw the close
            }
            assertTrue(refused, "the renegotiated connection was still served");
        }
    }

    @Test
    void beyondMaxConnectionsATlsConnectionIsClosedWithoutAHandshake() throws Exception {
        try (Server s = Server.start(TlsClients.config().maxConnections(1).build(), (req, res) -> res.send("ok"));
             RawClient first = new RawClient(TlsClients.socket(s.port(), null))) {
            first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", first.read().body);
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> TlsClients.socket(s.port(), null));
            first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", first.read().body);
        }
    }

    @Test
    void aBadRequestOverTlsIsAnsweredOverTls() throws Exception {
        try (RawClient c = new RawClient(TlsClients.socket(server.port(), "localhost"))) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\nBad Field: y\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals(400, r.status);
            assertTrue(c.closedWithin(3000));
        }
    }

    @Test
    void garbageInsteadOfAClientHelloIsClosedAndTheServerGoesOn() throws Exception {
        for (byte[] junk : List.of(new byte[] {0x16, 0x03, 0x03, 0x00, 0x04, 0x7f, 0x7f, 0x7f, 0x7f}, new byte[] {0x00, 0x01, 0x02, 0x03})) {
            try (Socket raw = new Socket("127.0.0.1", server.port())) {
                raw.setSoTimeout(5000);
                raw.getOutputStream().write(junk);
                byte[] got = raw.getInputStream().readAllBytes(); // at most an alert record, then the close
                assertTrue(got.length == 0 || got[0] == 21, "an alert or nothing: " + HexFormat.of().formatHex(got));
            }
        }
        httpClientByNameAndByAddressSeesTheRequestAsSecure();
    }

    @Test
    void aStalledHandshakeHitsTheHeaderTimeout() throws Exception {
        try (Server s = Server.start(TlsClients.config().headerTimeout(Duration.ofMillis(300)).build(), (req, res) -> res.send("x"));
             Socket raw = new Socket("127.0.0.1", s.port())) {
            raw.setSoTimeout(5000);
            // the first bytes of a ClientHello record, and then nothing
            raw.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00});
            long t0 = System.nanoTime();
            InputStream in = raw.getInputStream();
            int b = in.read();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(-1, b, "the server should close without answering");
            assertTrue(ms >= 250 && ms < 3000, "closed after " + ms + " ms");
        }
    }

    @Test
    void idleTlsConnectionsHoldNoThreadAndAreServedAgain() throws Exception {
        int n = 100;
        List<RawClient> clients = new ArrayList<>();
        try (Server s = Server.start(TlsClients.config().build(), (req, res) -> res.send("hi " + req.target()))) {
            try {
                for (int i = 0; i < n; i++) {
                    RawClient c = new RawClient(TlsClients.socket(s.port(), "localhost"));
                    clients.add(c);
                    c.send("GET /" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertEquals("hi /" + i, c.read().body);
                }
                assertEquals(n, s.openConnections());
                int threads = IdleConnectionsTest.connectionThreads();
                assertTrue(threads < 5, "idle TLS connections should hold no threads: " + threads);
                for (int i = 0; i < n; i++) clients.get(i).send("GET /again" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                for (int i = 0; i < n; i++) assertEquals("hi /again" + i, clients.get(i).read().body);
            } finally {
                for (RawClient c : clients) c.close();
            }
        }
    }

    @Test
    void idleTimeoutClosesAnIdleTlsConnection() throws Exception {
        try (Server s = Server.start(TlsClients.config().idleTimeout(Duration.ofMillis(200)).build(), (req, res) -> res.send("ok"));
             RawClient c = new RawClient(TlsClients.socket(s.port(), null))) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", c.read().body);
            assertTrue(c.closedWithin(3000), "the idle TLS connection was not closed after its timeout");
        }
    }

    @Test
    void aPlainServerStillRefusesAClientHello() throws Exception {
        try (Server plain = TestServers.start((req, res) -> res.send("x"))) {
            // the handshake fails on the client: the server answered 400 in plain text
            org.junit.jupiter.api.Assertions.assertThrows(javax.net.ssl.SSLException.class, () -> TlsClients.socket(plain.port(), null));
            try (RawClient c = new RawClient(plain.port())) {
                c.send(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x03});
                assertEquals(400, c.read().status);
            }
        }
    }
}
