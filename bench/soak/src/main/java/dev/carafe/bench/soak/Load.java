package dev.carafe.bench.soak;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * The soak's traffic, every response checked: plaintext, JSON and multipart uploads at a fixed
 * rate over the JDK HTTP client's keep-alive pool, plus {@link #STREAMERS} loops of SSE streams
 * (some read to their end, some abandoned midway) and {@link #STREAMERS} loops of WebSocket
 * sessions (an echo per message, then a clean close). Anything unexpected is an error, and so is
 * a request unanswered after 10 s; a busy machine only shows in the latencies it reports.
 */
final class Load implements AutoCloseable {
    static final int STREAMERS = 4;
    private static final int SSE_EVENTS = 20, WS_MESSAGES = 50;
    /** Past this a request is an error: a server that holds one so long is stuck, not busy. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    static {
        // Shorter than the server's 60 s idle timeout, so the client, not the server, retires idle
        // pooled connections: otherwise a request can race the server's close, which is no error of the server's.
        System.setProperty("jdk.httpclient.keepalive.timeout", "20");
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger inFlight = new AtomicInteger(), maxInFlight = new AtomicInteger();
    private final Latencies latencies = new Latencies();
    private final List<Thread> streamers = new ArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private final Map<String, AtomicLong> counts = new TreeMap<>();
    private final AtomicLong errorCount = new AtomicLong(), httpFailures = new AtomicLong();
    private final ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    Load(int port, int requestsPerSecond) {
        base = URI.create("http://127.0.0.1:" + port);
        for (String k : List.of("plaintext", "json", "upload", "sse streams", "sse events", "sse abandoned",
                "ws sessions", "ws messages")) counts.put(k, new AtomicLong());
        ticker.scheduleAtFixedRate(this::tick, 0, 1_000_000 / requestsPerSecond, TimeUnit.MICROSECONDS);
        for (int i = 0; i < STREAMERS; i++) {
            int id = i;
            streamers.add(Thread.ofPlatform().name("sse-" + i).start(() -> loop(() -> sse(id))));
            streamers.add(Thread.ofPlatform().name("ws-" + i).start(() -> loop(() -> webSocket(id))));
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private void loop(Step step) {
        while (running) {
            try {
                step.run();
            } catch (Exception e) {
                error(Thread.currentThread().getName() + ": " + e);
            }
        }
    }

    private void tick() {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        long n = seq.incrementAndGet();
        int kind = (int) (n % 10);
        HttpRequest request;
        String expected, what;
        if (kind < 5) {
            what = "plaintext";
            request = HttpRequest.newBuilder(base.resolve("/plaintext")).timeout(REQUEST_TIMEOUT).build();
            expected = "Hello, World!";
        } else if (kind < 8) {
            what = "json";
            int q = (int) (n % 7) + 1;
            String order = "{\"id\":\"o" + n + "\",\"lines\":[{\"sku\":\"a\",\"quantity\":" + q + ",\"cents\":150},"
                    + "{\"sku\":\"b\",\"quantity\":1,\"cents\":" + n % 1000 + "}],\"total\":0}";
            request = HttpRequest.newBuilder(base.resolve("/json")).timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(order)).build();
            expected = order.replace("\"total\":0", "\"total\":" + (q * 150 + n % 1000));
        } else {
            what = "upload";
            byte[] file = new byte[1 + new Random(n).nextInt(64 * 1024)];
            new Random(n).nextBytes(file);
            CRC32 crc = new CRC32();
            crc.update(file);
            String boundary = "soak" + n;
            request = HttpRequest.newBuilder(base.resolve("/upload")).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, file))).build();
            expected = file.length + " " + Long.toHexString(crc.getValue());
        }
        long start = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            latencies.add(start, System.nanoTime() - start);
            inFlight.decrementAndGet();
            if (e != null || r.statusCode() != 200 || !r.body().equals(expected)) httpFailures.incrementAndGet();
            if (e != null) error(what + " " + n + ": " + e);
            else if (r.statusCode() != 200 || !r.body().equals(expected)) error(what + " " + n + ": " + r.statusCode() + " " + r.body());
            else counts.get(what).incrementAndGet();
        });
    }

    private static byte[] multipart(String boundary, byte[] file) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(file.length + 300);
        b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nsoak\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(file);
        b.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    /** One SSE stream: all {@value #SSE_EVENTS} events in order then the end, or (every third) abandoned after 5. */
    private void sse(int id) throws Exception {
        long n = counts.get("sse streams").incrementAndGet();
        boolean abandon = n % 3 == 0;
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/sse/ticks?n=" + SSE_EVENTS)).timeout(REQUEST_TIMEOUT).build();
        HttpResponse<java.util.stream.Stream<String>> r = http.send(request, HttpResponse.BodyHandlers.ofLines());
        try (var lines = r.body()) {
            if (r.statusCode() != 200 || !r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                throw new IllegalStateException("SSE answered " + r.statusCode() + " " + r.headers().map());
            }
            int expected = 1;
            var it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (!line.startsWith("data: ")) continue;
                if (!line.equals("data: tick " + expected)) throw new IllegalStateException("SSE event " + expected + " was " + line);
                counts.get("sse events").incrementAndGet();
                if (abandon && expected == 5) {
                    counts.get("sse abandoned").incrementAndGet();
                    return; // closing the stream mid-way: the server notices at its next write
                }
                expected++;
            }
            if (expected != SSE_EVENTS + 1) throw new IllegalStateException("SSE stream ended after " + (expected - 1) + " events");
        }
    }

    /** One WebSocket session: {@value #WS_MESSAGES} messages echoed (every fifth binary), then a clean close. */
    private void webSocket(int id) throws Exception {
        EchoListener echoes = new EchoListener();
        var ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + base.getPort() + "/ws/echo"), echoes).get(10, TimeUnit.SECONDS);
        counts.get("ws sessions").incrementAndGet();
        for (int i = 0; i < WS_MESSAGES && running; i++) {
            String text = "ws " + id + " message " + i + " " + "x".repeat(i * 20);
            if (i % 5 == 4) ws.sendBinary(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), true).get(5, TimeUnit.SECONDS);
            else ws.sendText(text, true).get(5, TimeUnit.SECONDS);
            String echo = echoes.next();
            if (!echo.equals((i % 5 == 4 ? "binary:" : "text:") + text)) throw new IllegalStateException("echo of " + text + " was " + echo);
            counts.get("ws messages").incrementAndGet();
            Thread.sleep(10);
        }
        ws.sendClose(1000, "done").get(5, TimeUnit.SECONDS);
        int code = echoes.awaitClose();
        if (code != 1000) throw new IllegalStateException("WebSocket closed with " + code);
    }

    private void error(String message) {
        if (!running) return; // what stopping cuts short is not the server's fault
        if (errorCount.incrementAndGet() <= 20) firstErrors.add(message);
    }

    long errors() {
        return errorCount.get();
    }

    List<String> firstErrors() {
        return List.copyOf(firstErrors);
    }

    /** HTTP request latencies so far and the most requests in flight at once. */
    String latencies() {
        return latencies + ", at most " + maxInFlight.get() + " in flight";
    }

    String counts() {
        java.util.StringJoiner s = new java.util.StringJoiner(", ", seq.get() + " HTTP requests sent: ", "");
        counts.forEach((k, v) -> s.add(v.get() + " " + k));
        return s.toString();
    }

    /** Stops the traffic, lets what is in flight finish, and closes every connection. */
    @Override
    public void close() throws Exception {
        ticker.shutdown();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        long until = System.nanoTime() + 2 * REQUEST_TIMEOUT.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < until) Thread.sleep(10);
        long answered = counts.get("plaintext").get() + counts.get("json").get() + counts.get("upload").get() + httpFailures.get();
        if (answered != seq.get()) error((seq.get() - answered) + " HTTP requests never completed");
        running = false;
        for (Thread t : streamers) t.join(Duration.ofSeconds(15));
        http.close(); // closes the pooled connections
    }
}
