package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain server never loads the TLS socket class: the JIT then sees one implementation of each
 * socket method and keeps the plain path's calls direct (class hierarchy analysis). Checked in a
 * JVM of its own, from its class-loading log.
 */
class PlainPathLoadsNoTlsTest {
    /** Serves one request over plain HTTP, then exits. */
    public static final class OneRequest {
        public static void main(String[] args) throws Exception {
            try (Server s = Server.start(ServerConfig.builder().host("127.0.0.1").port(0).accessLog(null).build(),
                    (req, res) -> res.send("ok"));
                 Socket c = new Socket("127.0.0.1", s.port())) {
                c.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String r = new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                if (!r.endsWith("ok")) throw new AssertionError(r);
                System.out.println("served");
            }
        }
    }

    @Test
    void aPlainServerLoadsNoTlsClass(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("classes.txt");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xlog:class+load:file=" + log, "-cp", System.getProperty("java.class.path"),
                OneRequest.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String loaded = Files.readString(log);
        assertTrue(loaded.contains("dev.carafe.server.http1.Http1Connection "), "the log lists the connection class");
        assertFalse(loaded.contains("dev.carafe.server.http1.TlsSocket"), "the plain path loaded TlsSocket");
        assertFalse(loaded.contains("javax.net.ssl.SSLEngine "), "the plain path loaded SSLEngine");
    }
}
