package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curl and openssl against the TLS server: the certificate, ALPN and the protocol versions. */
class TlsCommandLineTest {
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        server = Server.start(TlsClients.config().build(), (req, res) -> {
            if (req.path().equals("/stream")) {
                try (java.io.OutputStream body = res.body()) {
                    body.write("streamed to the close\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
            } else if (req.path().equals("/upload")) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[16384];
                long n = 0;
                for (int r; (r = req.body().read(buf)) > 0; n += r) sha.update(buf, 0, r);
                res.send(n + " " + HexFormat.of().formatHex(sha.digest()) + "\n");
            } else {
                res.send(req.scheme() + " " + req.path() + " from " + req.remoteAddress().getPort() + "\n");
            }
        });
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(1));
    }

    private static String url(String host, String path) {
        return "https://" + host + ":" + server.port() + path;
    }

    @Test
    void curlTrustsTheDevCertificateAndReusesTheConnection() throws Exception {
        String cacert = TlsClients.cert().certificate().toString();
        for (String host : List.of("localhost", "127.0.0.1", "[::1]")) {
            if (host.equals("[::1]") && !ipv6Loopback()) continue;
            Server s = host.equals("[::1]") ? Server.start(TlsClients.config().host("::1").build(), (req, res) -> res.send("six\n")) : server;
            try {
                String u = "https://" + host + ":" + s.port();
                Commands.Result r = Commands.run(Duration.ofSeconds(20),
                        List.of("curl", "-sS", "-v", "--fail", "--http1.1", "--cacert", cacert, u + "/one", u + "/two"));
                assertEquals(0, r.exitCode(), r.toString());
                assertTrue(r.stderr().contains("ALPN: server accepted http/1.1"), r.stderr());
                assertTrue(r.stderr().contains("SSL certificate verify ok"), r.stderr());
                if (s == server) {
                    String[] lines = r.stdout().split("\n");
                    assertTrue(lines[0].startsWith("https /one from "), r.stdout());
                    assertEquals(lines[0].replace("/one", "/two"), lines[1], "both on one connection: " + r.stdout());
                } else {
                    assertEquals("six\nsix\n", r.stdout());
                    s.stop(Duration.ofSeconds(1));
                }
            } finally {
                if (s != server) s.stop(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void alpnSelectsH2WhenTheClientOffersIt() throws Exception {
        Commands.Result r = Commands.run(Duration.ofSeconds(20), List.of("curl", "-sS", "-v", "--insecure", "--http2",
                url("127.0.0.1", "/h2")));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("ALPN: offers h2"), r.stderr());
        assertTrue(r.stderr().contains("ALPN: server accepted h2"), r.stderr());
        assertTrue(r.stdout().startsWith("https /h2 from "), r.stdout());
    }

    @Test
    void aBodyThatEndsAtTheCloseEndsWithCloseNotify(@TempDir Path dir) throws Exception {
        // HTTP/1.0 and no declared length: the body ends where the connection does. Without
        // close_notify a client cannot tell that end from a cut (OpenSSL: "unexpected eof").
        Path request = dir.resolve("request.txt");
        Files.writeString(request, "GET /stream HTTP/1.0\r\n\r\n");
        Commands.require("openssl");
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + server.port(), "-msg", "-ign_eof")
                .redirectInput(request.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(out.contains("streamed to the close"), out);
        assertTrue(out.contains("<<< TLS 1.3, Alert [length 0002], warning close_notify"), out);
        assertTrue(!out.contains("unexpected eof"), out);
    }

    @Test
    void curlUploadsALargeBody(@TempDir Path dir) throws Exception {
        byte[] body = new byte[5 << 20];
        new Random(3).nextBytes(body);
        Path file = dir.resolve("body.bin");
        Files.write(file, body);
        String expected = body.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)) + "\n";
        for (List<String> mode : List.of(List.<String>of(), List.of("-H", "Transfer-Encoding: chunked"))) {
            List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--fail", "--insecure", "--data-binary", "@" + file));
            cmd.addAll(mode);
            cmd.add(url("127.0.0.1", "/upload"));
            Commands.Result r = Commands.run(Duration.ofSeconds(30), cmd);
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(expected, r.stdout());
        }
    }

    @Test
    void tls12IsSpokenWithAModernCipherSuite() throws Exception {
        Commands.Result r = openssl("-tls1_2");
        assertTrue(r.stdout().contains("Protocol  : TLSv1.2"), r.toString());
        assertTrue(r.stdout().contains("Cipher    : ECDHE-ECDSA-AES128-GCM-SHA256"), r.toString());
    }

    @Test
    void tls13IsSpoken() throws Exception {
        Commands.Result r = openssl("-tls1_3");
        assertTrue(r.stdout().contains("TLSv1.3"), r.toString());
        assertTrue(r.stdout().contains("Cipher is TLS_AES_128_GCM_SHA256"), r.toString());
    }

    @Test
    void tls10And11AreRefusedByTheServer() throws Exception {
        // SECLEVEL=0 makes the client willing; the refusal must then come from the server, as an alert
        for (String version : List.of("-tls1", "-tls1_1")) {
            Commands.Result r = openssl(version, "-cipher", "DEFAULT:@SECLEVEL=0");
            assertTrue(r.stderr().contains("alert protocol version"), version + ": " + r);
        }
    }

    @Test
    void cbcSuitesAreRefused() throws Exception {
        Commands.Result r = openssl("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA");
        assertTrue(r.stderr().contains("alert handshake failure"), r.toString());
    }

    private static boolean ipv6Loopback() {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("::1"))) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** One handshake with {@code openssl s_client}, sending nothing. */
    private static Commands.Result openssl(String... options) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.port(),
                "-servername", "localhost"));
        cmd.addAll(List.of(options));
        return Commands.run(Duration.ofSeconds(20), cmd); // stdin is closed: s_client quits after the handshake
    }
}
