package dev.carafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tls}: an app started from the command line serves HTTPS with the development certificate. */
class TlsOptionTest {
    /** The app the test starts in a process of its own. */
    public static final class Demo {
        public static void main(String[] args) {
            App app = new App();
            app.get("/", ctx -> ctx.url());
            app.run(args);
        }
    }

    @Test
    void runWithTlsServesHttpsAndSaysSo(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Demo.class.getName(),
                "--port", "0", "--tls").redirectErrorStream(true);
        pb.environment().put("CARAFE_TLS_DIR", dir.toString());
        pb.environment().remove("CARAFE_DEBUG");
        Process p = pb.start();
        try {
            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) lines.add(l);
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            String running = null;
            StringBuilder seen = new StringBuilder();
            for (String l; running == null && (l = lines.poll(20, TimeUnit.SECONDS)) != null; ) {
                seen.append(l).append('\n');
                if (l.startsWith("Running on ")) running = l;
            }
            assertTrue(running != null, "no Running on line:\n" + seen);
            Matcher m = Pattern.compile("Running on https://127\\.0\\.0\\.1:(\\d+)$").matcher(running);
            assertTrue(m.find(), running);
            Path cert = dir.resolve("localhost-cert.pem");
            assertTrue(Files.isRegularFile(cert), "the dev certificate is kept in CARAFE_TLS_DIR");
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(cert)).build();
            String url = "https://localhost:" + m.group(1) + "/?a=1";
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(url, r.body(), "the context builds https URLs");
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
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
