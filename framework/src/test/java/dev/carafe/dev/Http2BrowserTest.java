package dev.carafe.dev;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.carafe.App;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import dev.carafe.server.tls.DevCertificate;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real browser loads an app over HTTPS and ALPN gives it HTTP/2, as a developer with {@code --tls} sees it. */
class Http2BrowserTest {
    @TempDir
    Path dir;

    @Test
    void chromiumLoadsThePageOverH2() throws Exception {
        Path chromium = Chromium.binary();
        if ("required".equals(System.getenv("CARAFE_E2E"))) assertNotNull(chromium, "chromium is required (CI installs it)");
        assumeTrue(chromium != null, "chromium not installed");
        DevCertificate cert = DevCertificate.in(dir);
        App app = new App();
        app.get("/", ctx -> ctx.url());
        Server server = app.start(ServerConfig.builder().host("127.0.0.1").port(0).accessLog(null).tls(cert.tls()).build());
        // The browser accepts exactly this certificate, by its key's hash, as it would after a click-through.
        try (Chromium browser = new Chromium(chromium, "--ignore-certificate-errors-spki-list=" + spkiHash(cert.certificate()))) {
            String url = "https://127.0.0.1:" + server.port() + "/";
            Chromium.Page page = browser.open(url);
            String shown = awaitEval(page, "document.body && document.body.innerText", url);
            assertTrue(shown.contains(url), "the app built an https URL over h2: " + shown);
            String protocol = page.eval("performance.getEntriesByType('navigation')[0].nextHopProtocol");
            assertTrue(protocol.contains("\"value\":\"h2\""), "the page came over h2: " + protocol);
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    /** Base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo, as Chromium's SPKI flag wants it. */
    private static String spkiHash(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            byte[] spki = CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey().getEncoded();
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        }
    }

    private static String awaitEval(Chromium.Page page, String expression, String expected) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            last = page.eval(expression);
            if (last.contains(expected)) return last;
            Thread.sleep(50);
        }
        throw new AssertionError("Page never showed " + expected + "; last: " + last);
    }
}
