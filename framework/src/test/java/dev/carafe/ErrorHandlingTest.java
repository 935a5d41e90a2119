package dev.carafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import dev.carafe.testing.TestClient;
import dev.carafe.testing.TestResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorHandlingTest {
    record Todo(String title, int priority) {}

    static class AppException extends RuntimeException {
        AppException(String m) {
            super(m);
        }
    }

    static final class QuotaException extends AppException {
        QuotaException() {
            super("quota");
        }
    }

    private static App app() {
        App app = new App(new Config(Map.of(), null));
        app.get("/missing", ctx -> {
            throw ctx.abort(404, "No todo 7");
        });
        app.get("/crash", ctx -> {
            throw new IllegalStateException("database password is hunter2");
        });
        app.get("/quota", ctx -> {
            throw new QuotaException();
        });
        app.get("/app-error", ctx -> {
            throw new AppException("plain");
        });
        app.post("/todos", ctx -> {
            Todo t = ctx.bodyAs(Todo.class);
            return Reply.json(t).status(201);
        });
        return app;
    }

    @Test
    void defaultErrorsAreHtmlForBrowsersAndJsonForApiClients() {
        TestClient c = TestClient.of(app());
        c.get("/missing").header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").send().assertStatus(404)
                .assertContentType("text/html").assertBodyContains("<h1>Not Found</h1>").assertBodyContains("No todo 7");
        c.get("/missing").acceptJson().send().assertStatus(404).assertContentType("application/json")
                .assertBody("{\"status\":404,\"error\":\"Not Found\",\"message\":\"No todo 7\"}");
        c.get("/missing").header("Accept", "application/json, text/html").send().assertContentType("application/json");
        c.get("/nowhere").send().assertStatus(404).assertContentType("text/html")
                .assertBodyContains("The requested URL was not found on the server.");
        c.get("/nowhere").acceptJson().send().assertBody("{\"status\":404,\"error\":\"Not Found\"}");
        c.get("/missing").send().assertContentType("text/html"); // no Accept at all: HTML
    }

    @Test
    void outsideDebugModeA500ShowsNeitherTheTraceNorTheMessage() {
        TestClient c = TestClient.of(app());
        for (String accept : new String[] {"text/html", "application/json", "*/*"}) {
            TestResponse r = c.get("/crash").header("Accept", accept).send().assertStatus(500);
            r.assertBodyLacks("hunter2").assertBodyLacks("IllegalStateException").assertBodyLacks("at dev.carafe");
        }
    }

    @Test
    void inDebugModeA500ShowsTheTrace() {
        App app = app().debug(true);
        TestClient c = TestClient.of(app);
        c.get("/crash").header("Accept", "text/html").send().assertStatus(500).assertContentType("text/html")
                .assertBodyContains("IllegalStateException").assertBodyContains("hunter2").assertBodyContains("ErrorHandlingTest");
        c.get("/crash").acceptJson().send().assertStatus(500).assertContentType("application/json")
                .assertBodyContains("\"exceptions\"").assertBodyContains("\"frames\"").assertBodyContains("ErrorHandlingTest");
        c.get("/missing").acceptJson().send().assertStatus(404).assertBodyLacks("frames"); // HTTP errors stay plain
    }

    @Test
    void exceptionHandlersPickTheMostSpecificTypeAndBlueprintsComeFirst() {
        App app = app();
        app.exception(RuntimeException.class, (ctx, e) -> Reply.text("app runtime: " + e.getMessage()).status(500));
        app.exception(QuotaException.class, (ctx, e) -> Reply.text("app quota").status(429));
        Blueprint bp = new Blueprint("api", "/api");
        bp.exception(AppException.class, (ctx, e) -> Reply.text("bp app-exception: " + e.getMessage()).status(400));
        bp.get("/quota", ctx -> {
            throw new QuotaException();
        });
        bp.get("/plain", ctx -> {
            throw new AppException("plain");
        });
        bp.get("/other", ctx -> {
            throw new IllegalArgumentException("other");
        });
        app.register(bp);
        TestClient c = TestClient.of(app);
        // The app's handler for the exact type beats the blueprint's for a supertype...
        c.get("/api/quota").send().assertStatus(429).assertBody("app quota");
        // ...while at equal specificity the blueprint's wins over the app's.
        c.get("/api/plain").send().assertStatus(400).assertBody("bp app-exception: plain");
        c.get("/api/other").send().assertStatus(500).assertBody("app runtime: other");
        c.get("/app-error").send().assertStatus(500).assertBody("app runtime: plain"); // blueprint handlers stay in the blueprint
        c.get("/quota").send().assertStatus(429);
    }

    @Test
    void statusHandlersRenderErrorsWithTheirStatusKeptAndBlueprintsFirst() {
        App app = app();
        app.error(404, (ctx, e) -> "app 404: " + e.getMessage());
        app.error(500, (ctx, e) -> Map.of("oops", true));
        app.error(405, (ctx, e) -> "app 405");
        Blueprint bp = new Blueprint("shop", "/shop");
        bp.error(404, (ctx, e) -> Reply.text("shop 404").status(410));
        bp.get("/item/{id:int}", ctx -> {
            throw ctx.abort(404);
        });
        app.register(bp);
        TestClient c = TestClient.of(app);
        c.get("/missing").send().assertStatus(404).assertBody("app 404: No todo 7");
        c.get("/nowhere").send().assertStatus(404).assertBody("app 404: Not Found");
        c.get("/shop/item/3").send().assertStatus(410).assertBody("shop 404"); // an explicit status stands
        c.get("/shop/nothing-here").send().assertStatus(404).assertBody("app 404: Not Found"); // unrouted: the app's
        c.get("/crash").send().assertStatus(500).assertBody("{\"oops\":true}").assertBodyLacks("hunter2");
        c.delete("/missing").send().assertStatus(405).assertBody("app 405").assertHeader("Allow", "GET, HEAD, OPTIONS");
    }

    @Test
    void aStatusSetBeforeTheEndpointFailedDoesNotLeakIntoTheErrorReply() {
        App app = app();
        app.get("/half-done", ctx -> {
            ctx.status(201);
            throw ctx.abort(404, "gone after all");
        });
        app.get("/half-done-exception", ctx -> {
            ctx.status(201);
            throw new AppException("late");
        });
        app.error(404, (ctx, e) -> "custom: " + e.getMessage());
        app.exception(AppException.class, (ctx, e) -> Map.of("error", e.getMessage()));
        TestClient c = TestClient.of(app);
        c.get("/half-done").send().assertStatus(404).assertBody("custom: gone after all");
        c.get("/half-done-exception").send().assertStatus(200).assertBody("{\"error\":\"late\"}");
    }

    @Test
    void aFailingErrorHandlerFallsBackToThePlain500() {
        App app = app();
        app.error(404, (ctx, e) -> {
            throw new IllegalStateException("handler broke");
        });
        TestClient.of(app).get("/missing").acceptJson().send().assertStatus(500)
                .assertBody("{\"status\":500,\"error\":\"Internal Server Error\"}");
    }

    @Test
    void malformedJsonIsA400ThatSaysWhere() {
        TestClient c = TestClient.of(app());
        c.post("/todos").json(new Todo("milk", 2)).send().assertStatus(201).assertBody("{\"title\":\"milk\",\"priority\":2}");
        TestResponse r = c.post("/todos").body("{\n  \"title\": \"milk\",\n  \"priority\": }", "application/json").acceptJson()
                .send().assertStatus(400);
        String message = r.json(Map.class).get("message").toString();
        assertTrue(message.contains("line 3") && message.contains("column"), message);
        c.post("/todos").body("{\"title\": \"milk\", \"priority\": \"high\"}", "application/json").send().assertStatus(400)
                .assertBodyContains("line 1");
        c.post("/todos").body("", "application/json").send().assertStatus(400);
        c.post("/todos").body("null", "application/json").send().assertStatus(400);
        c.post("/todos").body("[1,2]", "application/json").send().assertStatus(400);
        // Found by JsonBodyFuzzTest: zero bytes make Jackson read UTF-32, whose decoding error was a 500.
        byte[] utf32 = {'t', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, 'r', (byte) 0x8e, (byte) 0x8e, ' '};
        c.post("/todos").body(utf32, "application/json").send().assertStatus(400).assertBodyContains("Invalid JSON");
    }

    @Test
    void jsonErrorsDoNotRevealJavaClassNames() {
        TestClient c = TestClient.of(app());
        for (String body : new String[] {"{\"title\": \"milk\", \"colour\": 1}", "[1,2]", "{\"title\": {}}"}) {
            TestResponse r = c.post("/todos").body(body, "application/json").acceptJson().send().assertStatus(400);
            String message = r.json(Map.class).get("message").toString();
            assertFalse(message.contains("dev.carafe") || message.contains("ErrorHandlingTest"), message);
        }
    }

    @Test
    void anUnserializableReturnValueIsAHandled500() {
        App app = app();
        app.get("/weird", ctx -> Map.of("self", new Object()));
        app.error(500, (ctx, e) -> Reply.text("custom 500").status(500));
        TestClient.of(app).get("/weird").send().assertStatus(500).assertBody("custom 500");
    }

    @Test
    void aRealServerStaysHealthyAfterBadRequests() throws Exception {
        App app = app();
        try (Server server = app.start(ServerConfig.builder().port(0).accessLog(null).build())) {
            TestClient c = TestClient.remote(server.url());
            for (int i = 0; i < 3; i++) {
                c.post("/todos").body("{oops", "application/json").acceptJson().send().assertStatus(400).assertBodyContains("line 1");
                c.get("/crash").send().assertStatus(500).assertBodyLacks("hunter2");
                assertTrue(raw(server, "GET /users/%zz HTTP/1.1").startsWith("HTTP/1.1 400 "));
                assertTrue(raw(server, "GET /missing?a=%zz HTTP/1.1").startsWith("HTTP/1.1 404 "));
            }
            c.post("/todos").json(new Todo("eggs", 1)).send().assertStatus(201).assertBody("{\"title\":\"eggs\",\"priority\":1}");
            assertEquals(404, c.get("/missing").send().status());
        }
    }

    /** Sends a request the JDK's client refuses to build (a malformed target) and returns the raw answer. */
    private static String raw(Server server, String requestLine) throws java.io.IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write((requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}
