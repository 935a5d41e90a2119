package dev.carafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import dev.carafe.testing.TestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthAndMetricsTest {
    private static App app() {
        return new App(new Config(Map.of("CARAFE_STATIC_FOLDER", ""), null));
    }

    @Test
    void readinessRunsEveryCheckAndSaysWhichFailedWithoutTheirMessages() {
        App app = app();
        app.health("/healthz").timeout(Duration.ofMillis(300))
                .check("db", () -> true)
                .check("cache", () -> false)
                .check("queue", () -> { throw new IllegalStateException("password=hunter2"); })
                .check("slow", () -> { Thread.sleep(5000); return true; });
        TestClient c = TestClient.of(app);
        c.get("/healthz").send().assertStatus(200).assertBody("{\"status\":\"up\"}").assertHeader("Cache-Control", "no-store");
        long t0 = System.nanoTime();
        String body = c.get("/healthz/ready").send().assertStatus(503).body();
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000, "checks run at once, bounded by the timeout");
        assertEquals("{\"status\":\"unavailable\",\"checks\":{\"db\":\"up\",\"cache\":\"down\","
                + "\"queue\":\"down: IllegalStateException\",\"slow\":\"down: timed out\"}}", body);
    }

    @Test
    void readinessTurnsFalseWhenTheStopBeginsWhileTheServerStillServes() throws Exception {
        App app = app();
        app.health("/healthz").check("db", () -> true);
        Server server = app.start(ServerConfig.builder().port(0).accessLog(null).build());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI ready = URI.create(server.url() + "/healthz/ready"), live = URI.create(server.url() + "/healthz");
        assertEquals(200, http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        Thread stopper = Thread.ofVirtual().start(() -> server.stop(Duration.ofMillis(800), Duration.ofSeconds(1)));
        Thread.sleep(200);
        var r = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, r.statusCode());
        assertEquals("{\"status\":\"stopping\"}", r.body());
        assertEquals("close", r.headers().firstValue("Connection").orElse(""), "draining: every response ends its connection");
        assertEquals(200, http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
                "still alive: a liveness probe must not get the instance killed while it drains");
        stopper.join(5000);
    }

    @Test
    void metricsCountByRoutePatternMethodAndStatus() {
        App app = app();
        app.metrics("/metrics");
        app.get("/items/{id:int}", ctx -> "item " + ctx.pathParam("id"));
        TestClient c = TestClient.of(app);
        c.get("/items/1").send().assertStatus(200);
        c.get("/items/2").send().assertStatus(200);
        c.get("/nope").send().assertStatus(404);
        c.request("BREW", "/items/3").send().assertStatus(405);
        var scrape = c.get("/metrics").send().assertStatus(200);
        assertEquals("text/plain; version=0.0.4; charset=utf-8", scrape.header("Content-Type"));
        String text = scrape.body();
        for (String line : new String[] {
                "carafe_http_requests_total{method=\"GET\",route=\"/items/{id:int}\",status=\"200\"} 2",
                "carafe_http_requests_total{method=\"GET\",route=\"(unmatched)\",status=\"404\"} 1",
                "carafe_http_requests_total{method=\"OTHER\",route=\"(unmatched)\",status=\"405\"} 1", // no route for BREW
                "carafe_http_request_duration_seconds_bucket{route=\"/items/{id:int}\",le=\"+Inf\"} 2",
                "carafe_http_request_duration_seconds_count{route=\"/items/{id:int}\"} 2",
                "carafe_http_requests_in_flight 1", // the scrape itself
                "# TYPE carafe_http_request_duration_seconds histogram",
                "# TYPE jvm_memory_used_bytes gauge"}) {
            assertTrue(text.lines().anyMatch(line::equals), line + " in\n" + text);
        }
        assertTrue(text.lines().noneMatch(l -> l.contains("BREW")), "unknown methods do not become labels");
    }
}
