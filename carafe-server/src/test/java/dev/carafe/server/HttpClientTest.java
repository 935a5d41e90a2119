package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JDK's {@link HttpClient} against the server. */
class HttpClientTest {
    private static final CountDownLatch clientSawFirstPiece = new CountDownLatch(1);
    private static Server server;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start((req, res) -> {
            switch (req.path()) {
                case "/hello" -> res.header("Content-Type", "text/plain; charset=utf-8").send("Hello, wörld");
                case "/echo" -> res.header("X-Method", req.method()).send(req.body().readAllBytes());
                case "/port" -> res.send(String.valueOf(req.remoteAddress().getPort()));
                case "/stream" -> {
                    try (OutputStream out = res.body()) {
                        out.write("first\n".getBytes());
                        out.flush();
                        if (!clientSawFirstPiece.await(5, TimeUnit.SECONDS)) throw new AssertionError("no first piece");
                        for (int i = 0; i < 1000; i++) out.write(("line " + i + "\n").getBytes());
                    }
                }
                default -> res.status(404).send("no");
            }
        });
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.stop(Duration.ofSeconds(1));
    }

    private static URI uri(String path) {
        return URI.create(server.url() + path);
    }

    @Test
    void get() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("Hello, wörld", r.body());
        assertEquals("text/plain; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(String.valueOf("Hello, wörld".getBytes(StandardCharsets.UTF_8).length),
                r.headers().firstValue("Content-Length").orElseThrow());
        assertTrue(r.headers().firstValue("Date").isPresent());
    }

    @Test
    void postWithBody() throws Exception {
        byte[] body = new byte[200_000];
        new java.util.Random(3).nextBytes(body);
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("POST", r.headers().firstValue("X-Method").orElseThrow());
        assertTrue(java.util.Arrays.equals(body, r.body()));
    }

    @Test
    void postWithUnknownLengthIsSentChunked() throws Exception {
        byte[] body = "streamed request body".getBytes();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("streamed request body", r.body());
    }

    @Test
    void streamedChunkedResponseArrivesPieceByPiece() throws Exception {
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(uri("/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals("chunked", r.headers().firstValue("Transfer-Encoding").orElseThrow());
        try (InputStream in = r.body()) {
            assertEquals("first\n", new String(in.readNBytes(6)), "before the handler wrote the rest");
            clientSawFirstPiece.countDown();
            String rest = new String(in.readAllBytes());
            assertTrue(rest.startsWith("line 0\n") && rest.endsWith("line 999\n"), rest);
        }
    }

    @Test
    void keepAliveReusesOneConnection() throws Exception {
        Set<String> ports = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/port")).build(),
                    HttpResponse.BodyHandlers.ofString());
            ports.add(r.body());
        }
        assertEquals(1, ports.size(), "requests sent one after another share one connection: " + ports);
    }

    @Test
    void defaultClientOfferingAnH2cUpgradeGetsHttp2() throws Exception {
        // A client left at its default version asks to upgrade to h2c; the server takes the offer.
        try (HttpClient h2 = HttpClient.newHttpClient()) {
            HttpResponse<String> r = h2.send(HttpRequest.newBuilder(uri("/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, r.version());
            assertEquals("Hello, wörld", r.body());
        }
    }

    @Test
    void headAndNotFound() throws Exception {
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(uri("/hello"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals("13", head.headers().firstValue("Content-Length").orElseThrow());
        HttpResponse<String> missing = client.send(HttpRequest.newBuilder(uri("/missing")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
    }
}
