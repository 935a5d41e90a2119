package dev.carafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carafe.testing.TestClient;
import dev.carafe.testing.TestResponse;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ReturnValuesTest {
    record Todo(int id, String title) {}

    private static App app(Map<String, String> env) {
        App app = new App(new Config(env, null));
        app.get("/string", ctx -> "<b>hi</b>");
        app.get("/record", ctx -> new Todo(1, "milk"));
        app.get("/map", ctx -> new java.util.TreeMap<>(Map.of("a", 1, "b", List.of(true, "x"))));
        app.get("/list", ctx -> List.of(new Todo(1, "a"), new Todo(2, "b")));
        app.get("/number", ctx -> 42);
        app.get("/bytes", ctx -> new byte[] {0, 1, 2, (byte) 255});
        app.get("/stream", ctx -> new ByteArrayInputStream(new byte[] {9, 8, 7}));
        app.get("/reply", ctx -> Reply.text("made").status(202).header("X-Made", "yes"));
        app.get("/empty-optional", ctx -> Optional.empty());
        app.get("/optional", ctx -> Optional.of(new Todo(3, "c")));
        app.get("/null", ctx -> null);
        app.get("/created", ctx -> ctx.status(201).header("Location", "/todos/1"));
        app.get("/status-string", ctx -> {
            ctx.status(418).header("X-Tea", "yes");
            return "teapot";
        });
        app.get("/async", ctx -> CompletableFuture.supplyAsync(() -> new Todo(4, "later")));
        app.get("/async-fail", ctx -> CompletableFuture.failedFuture(new HttpError(409, "conflict later")));
        app.get("/async-never", ctx -> new CompletableFuture<String>());
        app.get("/async-optional", ctx -> CompletableFuture.completedFuture(Optional.empty()));
        app.get("/redirect", ctx -> ctx.redirect("/string?a=1&b=\"2\""));
        app.get("/streamed", ctx -> Reply.stream("text/plain", out -> {
            for (int i = 0; i < 3; i++) {
                out.write(("line " + i + "\n").getBytes());
                out.flush();
            }
        }));
        return app;
    }

    @Test
    void valuesBecomeRepliesTheFlaskWay() {
        TestClient c = TestClient.of(app(Map.of()));
        c.get("/string").send().assertStatus(200).assertHeader("Content-Type", "text/html; charset=utf-8").assertBody("<b>hi</b>");
        c.get("/record").send().assertStatus(200).assertHeader("Content-Type", "application/json").assertBody("{\"id\":1,\"title\":\"milk\"}");
        c.get("/map").send().assertContentType("application/json").assertBody("{\"a\":1,\"b\":[true,\"x\"]}");
        c.get("/list").send().assertBody("[{\"id\":1,\"title\":\"a\"},{\"id\":2,\"title\":\"b\"}]");
        c.get("/number").send().assertContentType("application/json").assertBody("42");
        TestResponse bytes = c.get("/bytes").send().assertStatus(200).assertHeader("Content-Type", "application/octet-stream");
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, bytes.bodyBytes());
        assertArrayEquals(new byte[] {9, 8, 7}, c.get("/stream").send().assertContentType("application/octet-stream").bodyBytes());
        c.get("/reply").send().assertStatus(202).assertHeader("X-Made", "yes").assertBody("made");
        c.get("/streamed").send().assertStatus(200).assertBody("line 0\nline 1\nline 2\n");
    }

    @Test
    void emptinessHasMeaning() {
        TestClient c = TestClient.of(app(Map.of()));
        c.get("/empty-optional").acceptJson().send().assertStatus(404).assertBody("{\"status\":404,\"error\":\"Not Found\"}");
        c.get("/optional").send().assertStatus(200).assertBody("{\"id\":3,\"title\":\"c\"}");
        c.get("/null").send().assertStatus(204).assertBody("");
        c.get("/created").send().assertStatus(201).assertHeader("Location", "/todos/1").assertBody("");
        c.get("/status-string").send().assertStatus(418).assertHeader("X-Tea", "yes").assertBody("teapot");
    }

    @Test
    void completionStagesAreAwaitedAndTheirFailuresHandled() {
        TestClient c = TestClient.of(app(Map.of("CARAFE_ASYNC_TIMEOUT", "200ms")));
        c.get("/async").send().assertStatus(200).assertBody("{\"id\":4,\"title\":\"later\"}");
        c.get("/async-fail").acceptJson().send().assertStatus(409).assertBodyContains("conflict later");
        c.get("/async-optional").send().assertStatus(404);
        c.get("/async-never").acceptJson().send().assertStatus(503).assertBodyContains("took too long");
    }

    @Test
    void redirectsEscapeTheirLinkAndKeepTheLocation() {
        TestResponse r = TestClient.of(app(Map.of())).get("/redirect").send().assertStatus(302)
                .assertHeader("Location", "/string?a=1&b=\"2\"");
        assertEquals(true, r.body().contains("href=\"/string?a=1&amp;b=&quot;2&quot;\""), r.body());
    }
}
