package dev.carafe.examples.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three {@code todo.jar} instances behind a real nginx, sharing a secret and a store, restarted
 * one by one (out of nginx by a reload, SIGTERM, a new process on the same port, back in) twice, while clients keep about 250
 * requests a second going: no request may fail, a logged-in session must survive every hop
 * (across a key rotation, too), and no todo may be lost.
 */
class FleetIT {
    private static final Pattern TOKEN = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"");
    private static final int INSTANCES = 3;
    private final String oldKey = "fleet-old-" + UUID.randomUUID(), newKey = "fleet-new-" + UUID.randomUUID();
    private final Process[] instances = new Process[INSTANCES];
    private final int[] ports = new int[INSTANCES];
    private Path dir;
    private Nginx nginx;
    private volatile boolean running = true;
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stopEverything() throws Exception {
        running = false;
        for (Process p : instances) if (p != null) p.destroyForcibly();
        if (nginx != null) nginx.close();
    }

    @Test
    void rollingRestartsThroughNginxFailNothingAndLoseNothing() throws Exception {
        Nginx.binary();
        long began = System.nanoTime();
        dir = Files.createTempDirectory("carafe-fleet");
        for (int i = 0; i < INSTANCES; i++) ports[i] = Nginx.freePort();
        for (int i = 0; i < INSTANCES; i++) instances[i] = startInstance(i, oldKey, null, 0);
        nginx = Nginx.start(nginxConfig(-1));
        String base = "http://127.0.0.1:" + nginx.port;
        HttpClient shared = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        String firstId = post(shared, base, "seed").orElseThrow();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < 5; t++) load.add(Thread.ofVirtual().start(() -> loadLoop(shared, base, firstId)));
        UserSession user = new UserSession(base);
        Thread userThread = Thread.ofVirtual().start(user);
        Thread.sleep(1000);

        List<String> readiness = null;
        for (int round = 1; round <= 2; round++) {
            for (int i = 0; i < INSTANCES; i++) {
                // round 1 adds the new key as a fallback everywhere, round 2 signs with it: a rotation no session notices
                String key = round == 1 ? oldKey : newKey, fallback = round == 1 ? newKey : oldKey;
                List<String> seen = restart(i, key, fallback, round, readiness == null);
                if (readiness == null) readiness = seen;
            }
        }
        Thread.sleep(500);
        running = false;
        for (Thread t : load) t.join(10_000);
        userThread.join(10_000);

        assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())), failures.size() + " of " + requests + " requests failed");
        assertTrue(requests.get() > 2000, "the load kept going: " + requests);
        assertTrue(user.added >= 30, "the session user kept adding: " + user.added);
        // readiness answered 503 "stopping" while the instance still served, before its port closed
        assertTrue(readiness.contains("503 stopping") && readiness.get(readiness.size() - 1).equals("refused"), readiness.toString());
        assertEquals("200", readiness.get(0), "ready before the SIGTERM: " + readiness);

        String all = shared.send(HttpRequest.newBuilder(URI.create(base + "/api/todos")).build(), HttpResponse.BodyHandlers.ofString()).body();
        List<String> missing = created.stream().filter(title -> !all.contains("\"title\":\"" + title + "\"")).toList();
        assertEquals(List.of(), missing, "todos lost of " + created.size());

        String metrics = shared.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        List<PrometheusText.Sample> samples = PrometheusText.parse(metrics);
        double apiRequests = samples.stream().filter(s -> s.name().equals("carafe_http_requests_total")
                && s.labels().get("route").equals("/api/todos/{id:int}") && s.labels().get("status").equals("200"))
                .mapToDouble(PrometheusText.Sample::value).sum();
        assertTrue(apiRequests > 0, metrics);
        assertTrue(samples.stream().anyMatch(s -> s.name().equals("carafe_http_connections_open") && s.value() >= 1), metrics);
        assertTrue(samples.stream().anyMatch(s -> s.name().equals("jvm_memory_used_bytes") && s.value() > 0), metrics);
        String logs = Files.readString(dir.resolve("instance-0-2.log"));
        assertTrue(logs.lines().anyMatch(l -> l.startsWith("{\"time\":\"") && l.contains("\"remote\":\"127.0.0.1\"")), "JSON access log lines");
        // Taken out of nginx before each SIGTERM, no instance may have had a request cut (a reset or a
        // premature close: retried for a GET, a 502 for a POST) or a connect refused.
        String errors = nginx.errorLog();
        long cut = errors.lines().filter(l -> l.contains("prematurely closed") || l.contains("reset by peer")
                || l.contains("connect() failed")).count();
        System.out.println("nginx error log (" + cut + " requests cut or refused):\n" + errors);
        assertEquals(0, cut, errors);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began);
        System.out.printf("fleet: %d requests, %d session adds, %d todos, %d s, %d resent after nginx's reload closed the client's connection%n",
                requests.get(), user.added, created.size(), seconds, clientRetries.get());
        assertTrue(seconds < 90, "took " + seconds + " s");
    }

    /**
     * nginx in front of the instances, with instance {@code down} (or none) marked {@code down}: how
     * a careful operator of an nginx fleet takes an instance out before stopping it. Open-source
     * nginx has no active health checks; left to find out by itself (a refused connect once the
     * drain ends), it got one request in about thirty stops reset at the instant the port closed
     * (docs/deployment.md).
     */
    private String nginxConfig(int down) {
        StringBuilder upstream = new StringBuilder("upstream todo {\n");
        for (int i = 0; i < INSTANCES; i++) {
            upstream.append("    server 127.0.0.1:").append(ports[i]).append(i == down ? " down" : " max_fails=1 fail_timeout=1s").append(";\n");
        }
        return "log_format fleet '$msec $upstream_addr $upstream_status $status c=$upstream_connect_time r=$upstream_response_time $request';\n"
                + "access_log logs/fleet.log fleet;\n" + upstream + """
                    keepalive 32;
                    keepalive_timeout 1s;   # shorter than the drain: see docs/deployment.md
                }
                server {
                    listen 127.0.0.1:$PORT;
                    location / {
                        proxy_pass http://todo;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_connect_timeout 1s;
                    }
                }
                """;
    }

    /**
     * Instance {@code i} out of nginx (a reload), SIGTERM (readiness off, drain, stop), a new process
     * on its port, ready, back in nginx; returns what readiness said meanwhile when asked to watch.
     */
    private List<String> restart(int i, String key, String fallback, int round, boolean watch) throws Exception {
        nginx.reload(nginxConfig(i));
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Thread watcher = watch ? Thread.ofVirtual().start(() -> watchReadiness(ports[i], seen)) : null;
        for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); watch && seen.isEmpty() && System.nanoTime() < until; ) {
            Thread.sleep(10); // the watcher's first answer comes before the SIGTERM, however slow its first request
        }
        long term = System.currentTimeMillis();
        instances[i].destroy(); // SIGTERM
        assertTrue(instances[i].waitFor(20, TimeUnit.SECONDS), "instance " + i + " did not stop");
        System.out.printf("instance %d (port %d): SIGTERM %d.%03d, exited %.3f s later%n", i, ports[i], term / 1000, term % 1000,
                (System.currentTimeMillis() - term) / 1000.0);
        if (watcher != null) watcher.join(5000);
        instances[i] = startInstance(i, key, fallback, round);
        HttpClient direct = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                var r = direct.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[i] + "/healthz/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) break;
            } catch (IOException notYet) {
                // not listening yet
            }
            assertTrue(System.nanoTime() < deadline, "instance " + i + " never became ready");
            Thread.sleep(50);
        }
        nginx.reload(nginxConfig(-1));
        return seen;
    }

    private void watchReadiness(int port, List<String> seen) {
        HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int n = 0; n < 400; n++) {
            try {
                var r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                String s = r.statusCode() + (r.body().contains("\"stopping\"") ? " stopping" : "");
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) seen.add(s);
            } catch (ConnectException e) {
                seen.add("refused");
                return;
            } catch (IOException | InterruptedException e) {
                // a connection closed by the drain: ask again
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Process startInstance(int i, String key, String fallback, int generation) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("todo.jar", "target/todo.jar"));
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--port", Integer.toString(ports[i]), "--trust-proxy", "1", "--log-format", "json")
                .redirectErrorStream(true).redirectOutput(dir.resolve("instance-" + i + "-" + generation + ".log").toFile());
        var env = pb.environment();
        env.remove("CARAFE_DEBUG");
        env.put("CARAFE_SECRET_KEY", key);
        if (fallback != null) env.put("CARAFE_SECRET_KEY_FALLBACKS", fallback);
        env.put("CARAFE_TODO_STORE", dir.resolve("todos.log").toString());
        env.put("CARAFE_DRAIN_DELAY", "1500ms");
        env.put("CARAFE_SHUTDOWN_GRACE_SECONDS", "5");
        env.put("CARAFE_TRUSTED_PROXY_ADDRESSES", "127.0.0.1/32");
        Process p = pb.start();
        Path log = dir.resolve("instance-" + i + "-" + generation + ".log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(log).contains("Running on http://")) {
            assertTrue(p.isAlive() && System.nanoTime() < deadline, "instance " + i + " did not start: " + Files.readString(log));
            Thread.sleep(20);
        }
        return p;
    }

    private final AtomicInteger clientRetries = new AtomicInteger();

    /**
     * Sends once more, as a browser does, when a reused connection to nginx closed before any
     * response byte: nginx's reload closes its idle keep-alive connections to clients, and the
     * request crossing that close was never read. An answer from nginx (a 502 included) is never
     * retried, so nothing an instance did is hidden; the retries are counted and printed.
     */
    private HttpResponse<String> send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) throw e;
            clientRetries.incrementAndGet();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** About 50 requests a second: reads of one todo, and every fourth a new todo through the JSON API. */
    private void loadLoop(HttpClient http, String base, String id) {
        long next = System.nanoTime();
        for (int n = 0; running; n++) {
            try {
                if (n % 4 == 3) {
                    post(http, base, "load-" + UUID.randomUUID());
                } else {
                    var r = send(http, HttpRequest.newBuilder(URI.create(base + "/api/todos/" + id)).build());
                    requests.incrementAndGet();
                    if (r.statusCode() != 200) failures.add("GET " + r.statusCode() + " " + r.body());
                }
                next += TimeUnit.MILLISECONDS.toNanos(20);
                long wait = next - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (Exception e) {
                failures.add("load: " + e);
            }
        }
    }

    private java.util.Optional<String> post(HttpClient http, String base, String title) {
        try {
            var r = send(http, HttpRequest.newBuilder(URI.create(base + "/api/todos")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"" + title + "\",\"notes\":\"\",\"done\":false}")).build());
            requests.incrementAndGet();
            if (r.statusCode() != 201) {
                failures.add("POST " + r.statusCode() + " " + r.body());
                return java.util.Optional.empty();
            }
            created.add(title);
            Matcher m = Pattern.compile("\"id\":(\\d+)").matcher(r.body());
            return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
        } catch (Exception e) {
            failures.add("POST: " + e);
            return java.util.Optional.empty();
        }
    }

    /** A browser-like user: adds todos through the CSRF-protected form and checks the session's counter after each. */
    private final class UserSession implements Runnable {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build();
        final String base;
        volatile int added;

        UserSession(String base) {
            this.base = base;
        }

        @Override
        public void run() {
            try {
                String page = get();
                while (running) {
                    Matcher token = TOKEN.matcher(page);
                    if (!token.find()) {
                        failures.add("no CSRF token on the page");
                        return;
                    }
                    String title = "user-" + (added + 1) + "-" + UUID.randomUUID();
                    String form = "title=" + URLEncoder.encode(title, StandardCharsets.UTF_8) + "&notes=&csrf_token="
                            + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
                    var r = send(http, HttpRequest.newBuilder(URI.create(base + "/todos"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form)).build());
                    requests.incrementAndGet();
                    if (r.statusCode() != 303) {
                        failures.add("form POST " + r.statusCode() + ": " + r.body());
                        return;
                    }
                    added++;
                    created.add(title);
                    page = get();
                    if (!page.contains("You added " + added + " in this session.")) {
                        failures.add("the session lost its count at " + added);
                        return;
                    }
                    Thread.sleep(50);
                }
            } catch (Exception e) {
                failures.add("user: " + e);
            }
        }

        private String get() throws IOException, InterruptedException {
            var r = send(http, HttpRequest.newBuilder(URI.create(base + "/")).build());
            requests.incrementAndGet();
            if (r.statusCode() != 200) failures.add("GET / " + r.statusCode());
            return r.body();
        }
    }
}
