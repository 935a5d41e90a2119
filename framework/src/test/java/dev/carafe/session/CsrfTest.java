package dev.carafe.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.carafe.App;
import dev.carafe.Blueprint;
import dev.carafe.Config;
import dev.carafe.Reply;
import dev.carafe.session.CsrfError;
import dev.carafe.testing.TestClient;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CsrfTest {
    private static final Pattern TOKEN = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"");
    private final AtomicInteger ran = new AtomicInteger();

    private App app() {
        App app = new App(new Config(Map.of("CARAFE_SECRET_KEY", "csrf-test-secret"), null)).enableCsrf();
        app.before(ctx -> {
            ran.incrementAndGet(); // counts requests that got past the check
            return null;
        });
        app.get("/form", ctx -> ctx.render("form.html"));
        app.get("/token", ctx -> ctx.csrfToken());
        app.post("/save", ctx -> "saved " + ctx.form("title"));
        app.put("/save", ctx -> "put");
        app.delete("/save", ctx -> "deleted");
        app.post("/hook", ctx -> "hook " + ctx.form("event")).csrfExempt();
        Blueprint api = new Blueprint("api", "/api");
        api.csrfExempt();
        api.post("/things", ctx -> ctx.bodyAs(Map.class));
        app.register(api);
        return app;
    }

    private static String token(TestClient c) {
        Matcher m = TOKEN.matcher(c.get("/form").send().assertStatus(200).body());
        if (!m.find()) throw new AssertionError("no token in the form");
        return m.group(1);
    }

    @Test
    void formPostWithoutTokenIsRefusedBeforeAnyHookRuns() {
        TestClient c = TestClient.of(app());
        token(c); // the client has a session with a secret, but sends no token
        ran.set(0);
        c.post("/save").form("title", "milk").send().assertStatus(400).assertBodyContains("CSRF token missing or invalid");
        c.post("/save").form("title", "milk").form("csrf_token", "").send().assertStatus(400);
        c.post("/save").send().assertStatus(400); // no body at all
        c.post("/save").body("{\"title\":\"x\"}", "text/plain").send().assertStatus(400); // a form can send text/plain
        c.put("/save").form("title", "x").send().assertStatus(400);
        c.delete("/save").send().assertStatus(400);
        assertEquals(0, ran.get());
    }

    @Test
    void tokenFromTheFormOrTheHeaderIsAccepted() {
        TestClient c = TestClient.of(app());
        String t = token(c);
        c.post("/save").form("title", "milk").form("csrf_token", t).send().assertStatus(200).assertBody("saved milk");
        c.post("/save").form("title", "eggs").form("csrf_token", t).send().assertStatus(200); // reusable within the session
        c.post("/save").form("title", "tea").header("X-CSRF-Token", t).send().assertStatus(200).assertBody("saved tea");
        c.delete("/save").header("X-CSRF-Token", t).send().assertStatus(200).assertBody("deleted");
        c.put("/save").header("X-CSRF-Token", t).form("a", "b").send().assertStatus(200);
    }

    @Test
    void multipartFormsCarryTheTokenAsAField() {
        TestClient c = TestClient.of(app());
        String t = token(c);
        byte[] file = "attached".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        c.post("/save").form("title", "with file").file("doc", "a.txt", "text/plain", file).send().assertStatus(400);
        c.post("/save").form("csrf_token", t).form("title", "with file").file("doc", "a.txt", "text/plain", file).send()
                .assertStatus(200).assertBody("saved with file");
    }

    @Test
    void tokensDifferPerRenderAndAllVerify() {
        TestClient c = TestClient.of(app());
        String a = token(c);
        String b = c.get("/token").send().assertStatus(200).body();
        assertNotEquals(a, b);
        c.post("/save").form("csrf_token", a).send().assertStatus(200);
        c.post("/save").form("csrf_token", b).send().assertStatus(200);
    }

    @Test
    void anotherSessionsTokenOrATamperedOneIsRefused() {
        App app = app();
        TestClient alice = TestClient.of(app);
        TestClient mallory = TestClient.of(app);
        String aliceToken = token(alice);
        token(mallory);
        mallory.post("/save").form("csrf_token", aliceToken).send().assertStatus(400);
        char[] chars = aliceToken.toCharArray();
        chars[10] = chars[10] == 'A' ? 'B' : 'A';
        alice.post("/save").form("csrf_token", new String(chars)).send().assertStatus(400);
        alice.post("/save").form("csrf_token", aliceToken.substring(1)).send().assertStatus(400);
        alice.post("/save").form("csrf_token", "%%%not base64").send().assertStatus(400);
        // a token without any session (cookie dropped) is refused too
        TestClient fresh = TestClient.of(app);
        fresh.post("/save").form("csrf_token", aliceToken).send().assertStatus(400);
    }

    @Test
    void jsonBodiesExemptRoutesAndSafeMethodsAreNotChecked() {
        TestClient c = TestClient.of(app());
        c.post("/api/things").json(Map.of("a", 1)).send().assertStatus(200);
        c.post("/save").body("{}", "application/json; charset=utf-8").send().assertStatus(200);
        c.post("/save").body("{}", "application/problem+json").send().assertStatus(200);
        // an exempt JSON endpoint still refuses what a cross-site form could send
        c.post("/api/things").body("{\"a\":1}", "text/plain").send().assertStatus(415);
        c.post("/hook").form("event", "push").send().assertStatus(200).assertBody("hook push");
        c.get("/form").send().assertStatus(200);
        c.head("/form").send().assertStatus(200);
    }

    @Test
    void failuresCanBeHandledAsCsrfError() {
        App app = app();
        app.exception(CsrfError.class, (ctx, e) -> Reply.text("Your form expired; reload the page.").status(400));
        TestClient.of(app).post("/save").form("title", "x").send().assertStatus(400).assertBody("Your form expired; reload the page.");
    }

    @Test
    void csrfIsOffUnlessEnabled() {
        App app = new App(new Config(Map.of(), null));
        app.post("/save", ctx -> "saved");
        TestClient.of(app).post("/save").form("title", "x").send().assertStatus(200);
    }
}
