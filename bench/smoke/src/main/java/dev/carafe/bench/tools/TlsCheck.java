package dev.carafe.bench.tools;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Checks a peer's TLS mode with two requests for {@code /plaintext}: one over HTTPS HTTP/1.1 on a
 * socket offering no ALPN (what wrk does), and one by the JDK's HttpClient asking for HTTP/2, which
 * offers h2 and http/1.1 by ALPN and says which one it got. The certificate must be the one given.
 *
 * <pre>java -cp bench/smoke/target/classes dev.carafe.bench.tools.TlsCheck 127.0.0.1 8443 cert.pem [--expect-h2]</pre>
 *
 * Prints {@code ALPN h2} or {@code ALPN http/1.1}, then one line per failure; exits 0 when all
 * passed. With {@code --expect-h2} an HTTP/1.1 answer to the h2 request is a failure.
 */
public final class TlsCheck {
    /** What the check found: the protocol the h2 request got ("h2", "http/1.1"), and the failures. */
    public record Result(String alpn, List<String> failures) {}

    public static void main(String[] args) throws Exception {
        Result r = check(args[0], Integer.parseInt(args[1]), Path.of(args[2]), List.of(args).contains("--expect-h2"));
        System.out.println("ALPN " + r.alpn());
        r.failures().forEach(System.out::println);
        System.exit(r.failures().isEmpty() ? 0 : 1);
    }

    public static Result check(String host, int port, Path cert, boolean expectH2) throws IOException, GeneralSecurityException {
        SSLContext ctx = TlsClients.trusting(cert);
        List<String> failures = new ArrayList<>();
        try (SSLSocket s = TlsClients.socket(ctx, host, port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /plaintext HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Check.Reply r = Check.read(new BufferedInputStream(s.getInputStream()));
            if (r.status() != 200 || !"Hello, World!".equals(r.body())) {
                failures.add("https http/1.1: status " + r.status() + " body '" + r.body() + "'");
            }
        } catch (IOException e) {
            failures.add("https http/1.1: " + e);
        }
        String alpn = "none";
        try (HttpClient client = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://" + host + ":" + port + "/plaintext"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            alpn = r.version() == HttpClient.Version.HTTP_2 ? "h2" : "http/1.1";
            if (r.statusCode() != 200 || !"Hello, World!".equals(r.body())) {
                failures.add("https " + alpn + ": status " + r.statusCode() + " body '" + r.body() + "'");
            }
        } catch (IOException e) {
            failures.add("https with ALPN h2: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted");
        }
        if (expectH2 && !alpn.equals("h2")) failures.add("ALPN gave " + alpn + ", not h2");
        return new Result(alpn, failures);
    }
}
