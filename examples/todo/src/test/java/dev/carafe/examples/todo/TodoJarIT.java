package dev.carafe.examples.todo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code todo.jar}, started as a user would ({@code java -jar todo.jar --port 0}) and
 * driven over a real socket by the JDK's HttpClient, which keeps cookies like a browser.
 */
class TodoJarIT {
    private static final Pattern TOKEN = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"");
    private static Process process;
    private static String base;
    private static int port;
    private static final List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startTheJar() throws Exception {
        Path jar = Path.of(System.getProperty("todo.jar", "target/todo.jar"));
        assertTrue(Files.isRegularFile(jar), "build the jar first: " + jar.toAbsolutePath());
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar.toString(), "--port", "0").redirectErrorStream(true);
        pb.environment().put("CARAFE_SECRET_KEY", "todo-it-" + UUID.randomUUID());
        pb.environment().remove("CARAFE_DEBUG");
        process = pb.start();
        CompletableFuture<String> running = new CompletableFuture<>();
        Thread reader = new Thread(() -> { // drains the output (access log) so the server never blocks on it
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith("Running on http://")) running.complete(line.substring("Running on ".length()));
                }
            } catch (IOException ignored) {
                // the process ended
            }
            running.completeExceptionally(new AssertionError("The jar exited before serving: " + output));
        });
        reader.setDaemon(true);
        reader.start();
        base = running.get(60, TimeUnit.SECONDS);
        port = URI.create(base).getPort();
        assertTrue(port > 0, base);
    }

    @AfterAll
    static void stopTheJar() throws Exception {
        if (process == null) return;
        process.destroy(); // SIGTERM: the graceful stop
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("The jar did not stop within 15 s of SIGTERM");
        }
    }

    /** Every test leaves the server answering normally: bad input must not hurt it. */
    @AfterEach
    void serverIsStillHealthy() throws Exception {
        assertTrue(process.isAlive(), "the server process died: " + output);
        assertEquals(200, get("/api/todos").statusCode());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token() throws Exception {
        Matcher m = TOKEN.matcher(get("/").body());
        assertTrue(m.find(), "no CSRF token on /");
        return m.group(1);
    }

    /** A multipart body as a browser builds it; {@code fileContent} null means no file chosen. */
    private static HttpRequest.BodyPublisher multipart(String boundary, String token, String title, String filename, byte[] fileContent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String fields = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + token + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n" + title + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"notes\"\r\n\r\n\r\n";
        out.writeBytes(fields.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\""
                + (fileContent == null ? "" : filename) + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        if (fileContent != null) out.writeBytes(fileContent);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return HttpRequest.BodyPublishers.ofByteArray(out.toByteArray());
    }

    private HttpResponse<String> postForm(String token, String title, String filename, byte[] file) throws Exception {
        String boundary = "----CarafeIT" + UUID.randomUUID();
        return http.send(HttpRequest.newBuilder(URI.create(base + "/todos"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(multipart(boundary, token, title, filename, file)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void formPostWithAFileAndASessionThatSurvivesAcrossRequests() throws Exception {
        String title = "Upload " + UUID.randomUUID();
        byte[] file = new byte[50_000];
        new java.util.Random(7).nextBytes(file);
        HttpResponse<String> page = postForm(token(), title, "data.bin", file);
        // the client followed the 303 to / with the session cookie it was given
        assertEquals(200, page.statusCode(), page.body());
        assertEquals(URI.create(base + "/"), page.uri());
        assertTrue(page.body().contains("Added “" + title + "”."), page.body());
        assertTrue(page.body().contains("You added 1 in this session."), page.body());
        Matcher link = Pattern.compile("<a href=\"(/todos/\\d+)\">" + Pattern.quote(title) + "</a>").matcher(page.body());
        assertTrue(link.find(), page.body());
        String todo = link.group(1);

        HttpResponse<String> again = get("/");
        assertTrue(again.body().contains("You added 1 in this session."), "the session survives");
        assertTrue(!again.body().contains("Added “"), "a flash is shown once");
        assertTrue(get(todo).body().contains("data.bin</a> (50000 bytes)"));
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(base + todo + "/attachment")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertArrayEquals(file, download.body());

        postForm(token(), "Second " + UUID.randomUUID(), null, null);
        assertTrue(get("/").body().contains("You added 2 in this session."));
    }

    @Test
    void jsonApiOverHttp() throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/todos"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"via curl-like client\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElseThrow();
        assertEquals(200, get(location).statusCode());
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + location)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"title\":\"changed\",\"done\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        assertTrue(put.body().contains("\"done\":true"), put.body());
        HttpResponse<String> delete = http.send(HttpRequest.newBuilder(URI.create(base + location)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, delete.statusCode());
        assertEquals(404, get(location).statusCode());
    }

    @Test
    void malformedJsonAndBadPathParamsAre4xx() throws Exception {
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base + "/api/todos"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"title\": tru")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().startsWith("{\"error\":\"Invalid JSON"), bad.body());
        assertEquals(404, get("/api/todos/not-a-number").statusCode());
        assertEquals(404, get("/todos/-1").statusCode());
        assertEquals(400, rawStatus("GET /api/todos/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    }

    @Test
    void oversizedUploadIs413() throws Exception {
        byte[] huge = new byte[(int) TodoApp.MAX_CONTENT_LENGTH + 1];
        String boundary = "----CarafeIT" + UUID.randomUUID();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/todos")).expectContinue(true)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(multipart(boundary, token(), "huge", "huge.bin", huge)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode(), r.body());
        // between the form limit and the request limit: the form shows an error instead
        HttpResponse<String> big = postForm(token(), "big", "big.bin", new byte[(int) TodoApp.MAX_ATTACHMENT_BYTES + 1]);
        assertEquals(422, big.statusCode());
        assertTrue(big.body().contains("The attachment must be at most"), big.body());
    }

    @Test
    void aTamperedSessionCookieIsAnEmptySessionNotAnError() throws Exception {
        postForm(token(), "Before tampering", null, null);
        assertTrue(get("/").body().contains("You added 1 in this session."));
        String oldToken = token();
        HttpCookie session = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("session")).findFirst().orElseThrow();
        String value = session.getValue();
        char last = value.charAt(value.length() - 1);
        session.setValue(value.substring(0, value.length() - 1) + (last == 'A' ? 'B' : 'A'));
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Nothing added in this session yet."), page.body());
        // the forged cookie was replaced by a fresh session; the old session's token is worthless now
        HttpResponse<String> post = postForm(oldToken, "After tampering", null, null);
        assertEquals(400, post.statusCode());
        assertTrue(post.body().contains("CSRF token missing or invalid"), post.body());
    }

    @Test
    void pathTraversalFindsNothing() throws Exception {
        assertEquals(200, rawStatus("GET /static/style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        for (String path : List.of("/static/../../pom.xml", "/static/..%2f..%2fpom.xml", "/static/%2e%2e/%2e%2e/etc/passwd",
                "/static/..\\..\\pom.xml", "/static/templates/../dev/carafe/examples/todo/TodoApp.class",
                "/static//etc/passwd", "/todos/1/../../etc/passwd")) {
            int status = rawStatus("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(status == 404 || status == 400, path + " gave " + status);
        }
    }

    @Test
    void garbageOnTheSocketIsA400() throws Exception {
        assertEquals(400, rawStatus("NOT HTTP AT ALL\r\n\r\n"));
        assertEquals(400, rawStatus("POST /todos HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello"));
    }

    /** Sends raw bytes, as no well-behaved client would, and returns the status of the answer. */
    private static int rawStatus(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String statusLine = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1)).readLine();
            assertTrue(statusLine != null && statusLine.startsWith("HTTP/1.1 "), "status line: " + statusLine);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }
}
