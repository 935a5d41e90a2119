package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curl against the server: connection reuse, chunked uploads and {@code Expect: 100-continue}. */
class CurlTest {
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start((req, res) -> {
            if (req.path().equals("/upload")) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long n = 0;
                byte[] buf = new byte[16384];
                int r;
                while ((r = req.body().read(buf)) > 0) {
                    sha.update(buf, 0, r);
                    n += r;
                }
                res.send(n + " " + HexFormat.of().formatHex(sha.digest()) + " "
                        + (req.contentLength() < 0 ? "chunked" : "length") + "\n");
            } else {
                res.header("Content-Type", "text/plain").send("page " + req.path() + " from " + req.remoteAddress().getPort() + "\n");
            }
        });
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(1));
    }

    private static String url(String path) {
        return server.url() + path;
    }

    @Test
    void twoUrlsReuseOneConnection() throws Exception {
        Commands.Result r = Commands.run(Duration.ofSeconds(20),
                List.of("curl", "-sS", "-v", "--fail", url("/one"), url("/two")));
        assertEquals(0, r.exitCode(), r.toString());
        String[] lines = r.stdout().split("\n");
        assertEquals(2, lines.length, r.toString());
        assertTrue(lines[0].startsWith("page /one from "), r.stdout());
        assertTrue(lines[1].startsWith("page /two from "), r.stdout());
        assertEquals(lines[0].substring(lines[0].lastIndexOf(' ')), lines[1].substring(lines[1].lastIndexOf(' ')),
                "both answered on the same client port");
        assertTrue(r.stderr().contains("Re-using existing connection"), r.stderr());
        assertTrue(r.stderr().contains("< HTTP/1.1 200 OK"), r.stderr());
        assertTrue(r.stderr().contains("< Content-Length: "), r.stderr());
    }

    @Test
    void headRequest() throws Exception {
        Commands.Result r = Commands.run(Duration.ofSeconds(20), List.of("curl", "-sS", "-I", "--fail", url("/h")));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().startsWith("HTTP/1.1 200 OK\r\n"), r.stdout());
        assertTrue(r.stdout().contains("Content-Length: "), r.stdout());
    }

    @Test
    void chunkedUpload(@TempDir Path dir) throws Exception {
        byte[] data = new byte[300_000];
        new java.util.Random(7).nextBytes(data);
        Path file = Files.write(dir.resolve("upload.bin"), data);
        Commands.Result r = Commands.run(Duration.ofSeconds(20), List.of("curl", "-sS", "-v", "--fail",
                "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + file, url("/upload")));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(data.length + " " + sha256(data) + " chunked\n", r.stdout());
        assertTrue(r.stderr().contains("> Transfer-Encoding: chunked"), r.stderr());
    }

    @Test
    void largeUploadWithExpectContinue(@TempDir Path dir) throws Exception {
        byte[] data = new byte[3_000_000];
        new java.util.Random(8).nextBytes(data);
        Path file = Files.write(dir.resolve("big.bin"), data);
        // curl waits up to --expect100-timeout for 100 Continue; a long one shows the server sent it.
        Commands.Result r = Commands.run(Duration.ofSeconds(30), List.of("curl", "-sS", "-v", "--fail",
                "--expect100-timeout", "20", "-H", "Expect: 100-continue", "--data-binary", "@" + file, url("/upload")));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(data.length + " " + sha256(data) + " length\n", r.stdout());
        assertTrue(r.stderr().contains("> Expect: 100-continue"), r.stderr());
        assertTrue(r.stderr().contains("< HTTP/1.1 100 Continue"), r.stderr());
    }

    @Test
    void http10Request() throws Exception {
        Commands.Result r = Commands.run(Duration.ofSeconds(20), List.of("curl", "-sS", "-v", "--fail", "--http1.0",
                url("/old")));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().startsWith("page /old from "), r.stdout());
        assertTrue(r.stderr().contains("< Connection: close"), r.stderr());
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
