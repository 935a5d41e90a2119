package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real HTTP/2 clients against the plain port: curl with prior knowledge and with the h2c upgrade,
 * Node's {@code http2} module (prior knowledge), the JDK's HttpClient (upgrade), and h2load.
 */
class Http2ClientsTest {
    private static Server server;

    static final Handler HANDLER = (req, res) -> {
        switch (req.path()) {
            case "/upload" -> {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long n = 0;
                byte[] buf = new byte[8192];
                for (int r; (r = req.body().read(buf)) > 0; n += r) sha.update(buf, 0, r);
                res.send(n + " " + HexFormat.of().formatHex(sha.digest()) + "\n");
            }
            case "/stream" -> {
                OutputStream out = res.header("Content-Type", "text/plain").body();
                for (int i = 0; i < 3; i++) {
                    out.write(("part " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.close();
            }
            case "/big" -> {
                byte[] chunk = new byte[100_000];
                java.util.Arrays.fill(chunk, (byte) 'x');
                OutputStream out = res.body();
                for (int i = 0; i < 10; i++) out.write(chunk);
                out.close();
            }
            default -> res.header("Content-Type", "text/plain")
                    .header("X-Version", req.version())
                    .send(req.method() + " " + req.target() + " " + req.version() + " host=" + req.header("Host") + "\n");
        }
    };

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(HANDLER);
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(1));
    }

    private static String url(String path) {
        return server.url() + path;
    }

    /**
     * Three URLs at once. (curl 7.88 cannot send a second request on a reused prior-knowledge
     * connection: it fails the same way against Node's own h2c server, so each gets its own here;
     * reuse is checked with Node, the JDK client and h2load.)
     */
    @Test
    void curlWithPriorKnowledge() throws Exception {
        Commands.Result r = Commands.run(Duration.ofSeconds(20), List.of("curl", "-sS", "--http2-prior-knowledge", "--parallel",
                "--parallel-immediate", "-w", "%{http_version}\n", url("/a?x=1"), url("/b"), url("/c")));
        assertEquals(0, r.exitCode(), r.toString());
        String host = "host=127.0.0.1:" + server.port();
        List<String> lines = r.stdout().lines().sorted().toList();
        assertEquals(List.of("2", "2", "2", "GET /a?x=1 HTTP/2.0 " + host, "GET /b HTTP/2.0 " + host, "GET /c HTTP/2.0 " + host),
                lines, r.toString());
    }

    @Test
    void curlUploadsAndStreamsOverHttp2() throws Exception {
        byte[] data = new byte[300_000];
        new java.util.Random(7).nextBytes(data);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("h2", ".bin");
        try {
            java.nio.file.Files.write(file, data);
            Commands.Result r = Commands.run(Duration.ofSeconds(20), List.of("curl", "-sS", "--http2-prior-knowledge",
                    "--data-binary", "@" + file, url("/upload")));
            assertEquals(0, r.exitCode(), r.toString());
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            assertEquals("300000 " + sha + "\n", r.stdout(), r.toString());
        } finally {
            java.nio.file.Files.delete(file);
        }
        Commands.Result s = Commands.run(Duration.ofSeconds(20), List.of("curl", "-sS", "--http2-prior-knowledge", url("/stream")));
        assertEquals("part 0\npart 1\npart 2\n", s.stdout(), s.toString());
        Commands.Result big = Commands.run(Duration.ofSeconds(20), List.of("curl", "-sS", "--http2-prior-knowledge",
                "-o", "/dev/null", "-w", "%{size_download} %{http_version}", url("/big")));
        assertEquals("1000000 2", big.stdout(), big.toString());
    }

    @Test
    void curlUpgradesFromHttp11() throws Exception {
        Commands.Result r = Commands.run(Duration.ofSeconds(20), List.of("curl", "-sS", "-v", "--http2",
                "-w", "%{http_version}\n", url("/up"), url("/again")));
        assertEquals(0, r.exitCode(), r.toString());
        String host = "host=127.0.0.1:" + server.port();
        assertEquals("GET /up HTTP/2.0 " + host + "\n2\nGET /again HTTP/2.0 " + host + "\n2\n", r.stdout(), r.toString());
        assertTrue(r.stderr().contains("101 Switching Protocols"), r.stderr());
    }

    @Test
    void jdkHttpClientUpgrades() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (String path : List.of("/first", "/second", "/third")) {
            HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, res.version(), path);
            assertEquals("GET " + path + " HTTP/2.0 host=127.0.0.1:" + server.port() + "\n", res.body());
        }
        HttpResponse<String> up = client.send(HttpRequest.newBuilder(URI.create(url("/upload"))).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, up.version());
        assertTrue(up.body().startsWith("5 2cf24dba"), up.body());
    }

    private static final String NODE_SCRIPT = """
            const http2 = require('http2');
            const session = http2.connect('http://127.0.0.1:' + process.argv[1]);
            session.on('error', e => { console.log('ERROR ' + e.message); process.exitCode = 1; });
            const paths = ['/n1', '/n2', '/n3', '/n4', '/n5'];
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
    void nodeHttp2ModuleWithPriorKnowledge() throws Exception {
        Commands.Result r = Commands.run(Duration.ofSeconds(20), List.of("node", "-e", NODE_SCRIPT, String.valueOf(server.port())));
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = r.stdout().lines().sorted().toList();
        assertEquals(5, lines.size(), r.toString());
        for (int i = 0; i < 5; i++) {
            assertEquals("200 GET /n" + (i + 1) + " HTTP/2.0 host=127.0.0.1:" + server.port(), lines.get(i));
        }
    }

    /** A short, bounded load (a functional check, not a benchmark): many streams at once on a few connections. */
    @Test
    void h2loadShortBoundedRun() throws Exception {
        Commands.Result r = Commands.run(Duration.ofSeconds(60), List.of("h2load", "-n", "5000", "-c", "4", "-m", "16",
                url("/load")));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("requests: 5000 total, 5000 started, 5000 done, 5000 succeeded, 0 failed, 0 errored, 0 timeout"),
                r.stdout());
        assertTrue(r.stdout().contains("status codes: 5000 2xx"), r.stdout());
        System.out.println(r.stdout().lines().filter(l -> l.startsWith("finished in")).findFirst().orElse(""));
    }
}
