package dev.carafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.http.Cookie;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import dev.carafe.testing.TestClient;
import dev.carafe.testing.TestResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test client's own behaviour, and the same scenario in-process and against a real server. */
class TestClientTest {
    record Todo(String title) {}

    private static App app() {
        App app = new App(new Config(Map.of("CARAFE_SECRET_KEY", "k", "CARAFE_STATIC_FOLDER", ""), null)).enableSessions();
        app.get("/", ctx -> "hello " + ctx.query("name", "world"));
        app.post("/login", ctx -> {
            ctx.session().put("user", ctx.form("user"));
            return Reply.redirect("/me", 303);
        });
        app.get("/me", ctx -> "me: " + ctx.session().get("user"));
        app.get("/set", ctx -> ctx.cookie(Cookie.of("pref", "a")).cookie(Cookie.of("other", "b")));
        app.get("/unset", ctx -> ctx.removeCookie("pref"));
        app.get("/echo-cookies", ctx -> {
            var cookies = new java.util.TreeMap<>(ctx.cookies());
            cookies.remove("session"); // signed with a timestamp: differs between runs
            return cookies.toString();
        });
        app.get("/echo-header", ctx -> String.valueOf(ctx.header("X-Test")));
        app.post("/api/todos", ctx -> Reply.json(ctx.bodyAs(Todo.class)).status(201));
        app.post("/upload", ctx -> ctx.file("f").filename() + " " + ctx.file("f").size() + " " + ctx.form("note"));
        return app;
    }

    /** Runs one scenario and returns what came back, to compare the two transports. */
    private static List<String> scenario(TestClient c) {
        List<String> seen = new ArrayList<>();
        TestResponse r;
        r = c.get("/?name=Zo%C3%AB").send().assertStatus(200).assertBody("hello Zoë").assertContentType("text/html");
        seen.add(r.status() + " " + r.body());
        r = c.post("/login").form("user", "ada & co").send().assertStatus(303).assertHeader("Location", "/me");
        seen.add(r.status() + " " + r.header("Location"));
        r = c.get("/me").send().assertBody("me: ada & co");
        seen.add(r.body());
        r = c.post("/api/todos").json(new Todo("milk")).send().assertStatus(201).assertContentType("application/json")
                .assertBody("{\"title\":\"milk\"}");
        seen.add(r.status() + " " + r.body());
        r = c.get("/api/missing").acceptJson().send().assertStatus(404).assertBody("{\"status\":404,\"error\":\"Not Found\"}");
        seen.add(r.status() + " " + r.body());
        r = c.head("/").send().assertStatus(200).assertBody("");
        seen.add(r.status() + " " + r.body() + " " + r.header("Content-Type"));
        r = c.delete("/").send().assertStatus(405).assertHeader("Allow", "GET, HEAD, OPTIONS");
        seen.add(r.status() + " " + r.header("Allow"));
        r = c.post("/upload").form("note", "hi").file("f", "../a.txt", "text/plain", "abc".getBytes(StandardCharsets.UTF_8)).send()
                .assertStatus(200).assertBody("a.txt 3 hi");
        seen.add(r.body());
        r = c.get("/echo-header").header("X-Test", "v1").send().assertBody("v1");
        seen.add(r.body());
        c.get("/set").send().assertStatus(204);
        r = c.get("/echo-cookies").send();
        seen.add(r.body());
        c.get("/unset").send();
        r = c.get("/echo-cookies").send();
        seen.add(r.body());
        return seen;
    }

    @Test
    void theSameScenarioPassesInProcessAndOverRealHttp() throws Exception {
        App app = app();
        List<String> inProcess = scenario(TestClient.of(app));
        List<String> overHttp;
        try (Server server = app.start(ServerConfig.builder().port(0).accessLog(null).build())) {
            overHttp = scenario(TestClient.remote(server.url()));
        }
        assertEquals(inProcess, overHttp);
        assertTrue(inProcess.get(9).contains("pref=a") && !inProcess.get(10).contains("pref="), inProcess.toString());
    }

    @Test
    void theCookieJarSendsACookieOnlyUnderItsPath() {
        App app = new App(new Config(Map.of("CARAFE_SECRET_KEY", "k", "CARAFE_STATIC_FOLDER", ""), null));
        app.get("/admin/login", ctx -> ctx.cookie(Cookie.of("adm", "1").path("/admin")));
        app.get("/shop/cart/add", ctx -> ctx.cookie(Cookie.of("cart", "2").path(null))); // no Path: /shop/cart
        for (String path : List.of("/admin", "/admin/users", "/administrator", "/shop/cart", "/shop/cart/items", "/shop", "/")) {
            app.get(path, ctx -> new java.util.TreeMap<>(ctx.cookies()).toString());
        }
        TestClient c = TestClient.of(app);
        c.get("/admin/login").send();
        c.get("/shop/cart/add").send();
        c.cookies().put("everywhere", "3");
        c.get("/admin").send().assertBody("{adm=1, everywhere=3}");
        c.get("/admin/users?page=2").send().assertBody("{adm=1, everywhere=3}");
        c.get("/administrator").send().assertBody("{everywhere=3}");
        c.get("/shop/cart").send().assertBody("{cart=2, everywhere=3}");
        c.get("/shop/cart/items").send().assertBody("{cart=2, everywhere=3}");
        c.get("/shop").send().assertBody("{everywhere=3}");
        c.get("/").send().assertBody("{everywhere=3}");
        c.cookies().remove("adm");
        c.cookies().put("adm", "4"); // put by hand: no Path any more
        c.get("/").send().assertBody("{adm=4, everywhere=3}");
    }

    @Test
    void theCookieJarKeepsSetsAndForgetsCookies() {
        TestClient c = TestClient.of(app());
        assertTrue(c.cookies().isEmpty());
        c.get("/set").send();
        assertEquals(Map.of("pref", "a", "other", "b"), c.cookies());
        c.get("/echo-cookies").send().assertBody("{other=b, pref=a}");
        c.get("/unset").send();
        assertEquals(Map.of("other", "b"), c.cookies());
        c.cookies().put("manual", "m");
        c.get("/echo-cookies").send().assertBody("{manual=m, other=b}");
        // An explicit Cookie header replaces the jar for that request.
        c.get("/echo-cookies").header("Cookie", "only=this").send().assertBody("{only=this}");
        assertFalse(TestClient.of(app()).cookies().containsKey("other"), "each client has its own jar");
    }
}
