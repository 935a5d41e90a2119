package dev.carafe.bench.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.server.tls.DevCertificate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test of the benchmark harness, run by {@code ./carafe test}: every Java peer jar built
 * under bench/peers starts, prints its {@code Running on} line and answers each endpoint it serves
 * once with the right body. The peers with a TLS mode are started a second time with
 * {@code --tls-cert/--tls-key} and answer one HTTPS HTTP/1.1 request and one request offering h2
 * by ALPN ({@link TlsCheck}); those that serve h2 must get it. It runs no load; the benchmark
 * itself is {@code bench/run}.
 */
class PeersSmokeTest {
    private static final Path PEERS = Path.of("..", "peers").toAbsolutePath().normalize();
    private static final List<String> EXPECTED = List.of(
            "carafe-server", "carafe-framework", "jdk-httpserver", "netty", "undertow", "vertx", "helidon", "javalin", "bare-loop");
    /** Peers that answer only some endpoints: bare-loop is the ceiling row, one canned response for everything. */
    private static final Map<String, List<String>> ENDPOINTS = Map.of("bare-loop", List.of("plaintext"));
    /** Peers with a TLS mode (bench/run's tls workloads), and those of them whose ALPN must give h2. */
    private static final List<String> TLS = List.of(
            "carafe-server", "carafe-framework", "netty", "vertx", "undertow", "helidon", "javalin");
    private static final List<String> H2 = List.of(
            "carafe-server", "carafe-framework", "netty", "vertx", "undertow", "helidon", "javalin");

    @TempDir
    static Path certs;

    @TestFactory
    Stream<DynamicTest> everyPeerAnswersEveryEndpoint() throws IOException {
        List<Path> jars;
        try (Stream<Path> dirs = Files.list(PEERS)) {
            jars = dirs.map(d -> d.resolve("target").resolve("peer-" + d.getFileName() + ".jar"))
                    .filter(Files::isRegularFile).sorted().toList();
        }
        for (String name : EXPECTED) {
            assertTrue(jars.stream().anyMatch(j -> j.getFileName().toString().equals("peer-" + name + ".jar")),
                    "peer jar not built: " + name);
        }
        DevCertificate cert = DevCertificate.in(certs);
        return jars.stream().flatMap(jar -> {
            String name = name(jar);
            DynamicTest plain = DynamicTest.dynamicTest(jar.getFileName().toString(), () -> smoke(jar, null));
            return TLS.contains(name)
                    ? Stream.of(plain, DynamicTest.dynamicTest(jar.getFileName() + " over TLS", () -> smoke(jar, cert)))
                    : Stream.of(plain);
        });
    }

    private static String name(Path jar) {
        return jar.getFileName().toString().replaceAll("^peer-|\\.jar$", "");
    }

    /** Starts the peer (in its TLS mode when {@code cert} is given) and checks its answers. */
    private static void smoke(Path jar, DevCertificate cert) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-jar", jar.toString(), "--port", String.valueOf(port)));
        if (cert != null) {
            command.addAll(List.of("--tls-cert", cert.certificate().toString(), "--tls-key", cert.privateKey().toString()));
        }
        String running = "Running on " + (cert == null ? "http" : "https") + "://127.0.0.1:" + port;
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder log = new StringBuilder();
            CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        log.append(line).append('\n');
                        if (line.startsWith(running)) return true;
                    }
                } catch (IOException e) {
                    // fall through
                }
                return false;
            });
            assertTrue(ready.get(60, TimeUnit.SECONDS), () -> "no 'Running on' line from " + jar + ":\n" + log);
            Thread.ofPlatform().daemon().start(() -> { // keep draining the peer's output
                try {
                    while (out.readLine() != null) { }
                } catch (IOException ignored) {
                    // the peer was stopped
                }
            });
            String name = name(jar);
            if (cert == null) {
                assertEquals(List.of(), Check.check("127.0.0.1", port, ENDPOINTS.getOrDefault(name, Check.ALL)), jar.getFileName().toString());
            } else {
                TlsCheck.Result r = TlsCheck.check("127.0.0.1", port, cert.certificate(), H2.contains(name));
                assertEquals(List.of(), r.failures(), jar.getFileName() + " over TLS (ALPN gave " + r.alpn() + ")");
            }
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }
}
