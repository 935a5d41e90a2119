package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 over TLS, chosen by ALPN, with real clients trusting the development certificate: curl,
 * the JDK's HttpClient, Node's {@code http2} module and h2load; and HTTP/1.1 for a client that
 * offers only that.
 */
class TlsHttp2ClientsTest {
    private static final byte[] BIG = new byte[5 << 20];
    private static Server server;
    private static String cacert;

    @BeforeAll
    static void start() throws Exception {
        new Random(13).nextBytes(BIG);
        cacert = TlsClients.cert().certificate().toString();
        server = Server.start(TlsClients.config().build(), (req, res) -> {
            switch (req.path()) {
                case "/big" -> res.send(BIG);
                case "/upload" -> {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    long n = 0;
                    byte[] buf = new byte[16384];
                    for (int r; (r = req.body().read(buf)) > 0; n += r) sha.update(buf, 0, r);
                    res.send(n + " " + HexFormat.of().formatHex(sha.digest()));
                }
                default -> res.send(req.version() + " " + req.scheme() + " secure=" + req.secure() + " sni=" + req.serverName()
                        + " " + req.target() + "\n");
            }
        });
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(1));
    }

    private static String url(String path) {
        return "https://localhost:" + server.port() + path;
    }

    @Test
    void curlGetsH2ByAlpn() throws Exception {
        Commands.Result r = Commands.run(Duration.ofSeconds(20), List.of("curl", "-sS", "-v", "--fail", "--http2",
                "--cacert", cacert, "-w", "%{http_version}\n", url("/one"), url("/two")));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("ALPN: server accepted h2"), r.stderr());
        assertEquals("HTTP/2.0 https secure=true sni=localhost /one\n2\nHTTP/2.0 https secure=true sni=localhost /two\n2\n",
                r.stdout(), r.toString());
    }

    @Test
    void aClientOfferingOnlyHttp11GetsHttp11() throws Exception {
        Commands.Result r = Commands.run(Duration.ofSeconds(20), List.of("curl", "-sS", "-v", "--fail", "--http1.1",
                "--cacert", cacert, "-w", "%{http_version}\n", url("/old")));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("ALPN: server accepted http/1.1"), r.stderr());
        assertEquals("HTTP/1.1 https secure=true sni=localhost /old\n1.1\n", r.stdout(), r.toString());
    }

    /** No ALPN at all (a client that predates it): HTTP/1.1, whatever the server prefers. */
    @Test
    void aClientOfferingNoAlpnGetsHttp11() throws Exception {
        try (var s = TlsClients.socket(server.port(), "localhost")) {
            assertEquals("", s.getApplicationProtocol());
            s.getOutputStream().write("GET /none HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes());
            String reply = new String(s.getInputStream().readAllBytes());
            assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
            assertTrue(reply.endsWith("HTTP/1.1 https secure=true sni=localhost /none\n"), reply);
        }
    }

    private static HttpClient http2Client() throws Exception {
        return HttpClient.newBuilder().sslContext(TlsClients.trusting(TlsClients.cert().certificate()))
                .version(HttpClient.Version.HTTP_2).build();
    }

    @Test
    void jdkHttpClientSpeaksH2() throws Exception {
        HttpClient client = http2Client();
        for (String path : List.of("/a?x=1", "/b")) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, r.version(), path);
            assertEquals("HTTP/2.0 https secure=true sni=localhost " + path + "\n", r.body());
        }
    }

    @Test
    void largeBodiesBothWaysOverH2(@TempDir Path dir) throws Exception {
        HttpClient client = http2Client();
        HttpResponse<byte[]> down = client.send(HttpRequest.newBuilder(URI.create(url("/big"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(HttpClient.Version.HTTP_2, down.version());
        assertArrayEquals(BIG, down.body());
        HttpResponse<String> up = client.send(HttpRequest.newBuilder(URI.create(url("/upload")))
                .POST(HttpRequest.BodyPublishers.ofByteArray(BIG)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, up.version());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BIG));
        assertEquals(BIG.length + " " + sha, up.body());
        Path file = dir.resolve("big.bin");
        Files.write(file, BIG);
        Commands.Result r = Commands.run(Duration.ofSeconds(30), List.of("curl", "-sS", "--http2", "--cacert", cacert,
                "--data-binary", "@" + file, "-w", " %{http_version}", url("/upload")));
        assertEquals(BIG.length + " " + sha + " 2", r.stdout(), r.toString());
    }

    /** Idle HTTP/2 connections over TLS hold no thread, and serve again when the next request comes. */
    @Test
    void idleH2ConnectionsOverTlsHoldNoThread() throws Exception {
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) clients.add(http2Client()); // one connection each
        for (int round = 0; round < 2; round++) {
            for (HttpClient c : clients) {
                HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(url("/idle"))).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(HttpClient.Version.HTTP_2, r.version());
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (IdleConnectionsTest.connectionThreads() >= 5 && System.nanoTime() < deadline) Thread.sleep(50);
            assertTrue(IdleConnectionsTest.connectionThreads() < 5, "idle h2 connections should hold no thread: "
                    + IdleConnectionsTest.connectionThreads());
        }
        assertTrue(server.openConnections() >= 20, "the connections stayed open: " + server.openConnections());
    }

    private static final String NODE_SCRIPT = """
            const http2 = require('http2');
            const fs = require('fs');
            const session = http2.connect('https://localhost:' + process.argv[1], { ca: fs.readFileSync(process.argv[2]) });
            session.on('error', e => { console.log('ERROR ' + e.message); process.exitCode = 1; });
            const paths = ['/n1', '/n2', '/n3'];
            let left = paths.length;
            for (const p of paths) {
              const req = session.request({ ':path': p });
              let body = '';
              req.setEncoding('utf8');
              req.on('response', h => body += h[':status'] + ' ');
              req.on('data', d => body += d);
              req.on('end', () => { console.log(body.trim()); if (--left === 0) session.close(); });
              req.end();
            }
            """;

    @Test
    void nodeHttp2ModuleOverHttps() throws Exception {
        Commands.Result r = Commands.run(Duration.ofSeconds(20), List.of("node", "-e", NODE_SCRIPT, String.valueOf(server.port()), cacert));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("200 HTTP/2.0 https secure=true sni=localhost /n1", "200 HTTP/2.0 https secure=true sni=localhost /n2",
                "200 HTTP/2.0 https secure=true sni=localhost /n3"), r.stdout().lines().sorted().toList(), r.toString());
    }

    /** A short, bounded load (a functional check, not a benchmark): h2load over https, ALPN h2. */
    @Test
    void h2loadOverHttps() throws Exception {
        Commands.Result r = Commands.run(Duration.ofSeconds(60), List.of("h2load", "-n", "2000", "-c", "4", "-m", "8",
                "https://127.0.0.1:" + server.port() + "/load"));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("Application protocol: h2"), r.stdout());
        assertTrue(r.stdout().contains("requests: 2000 total, 2000 started, 2000 done, 2000 succeeded, 0 failed, 0 errored, 0 timeout"),
                r.stdout());
        assertTrue(r.stdout().contains("status codes: 2000 2xx"), r.stdout());
        System.out.println(r.stdout().lines().filter(l -> l.startsWith("finished in")).findFirst().orElse(""));
    }
}
