package dev.carafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.testing.TestClient;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RoutingTest {
    private static App app() {
        App app = new App();
        app.get("/", ctx -> "home");
        app.get("/users/{id:int}", ctx -> "user " + (ctx.pathParam("id", Integer.class) + 1)).name("user");
        app.get("/users/new", ctx -> "new user form");
        app.get("/users/{name}", ctx -> "by name " + ctx.pathParam("name"));
        app.get("/price/{p:float}", ctx -> "price " + ctx.pathParam("p", Double.class));
        app.get("/keys/{k:uuid}", ctx -> "key " + ctx.pathParam("k", UUID.class));
        app.get("/files/{rest:path}", ctx -> "file " + ctx.pathParam("rest")).name("file");
        app.get("/projects/", ctx -> "projects");
        app.get("/about", ctx -> "about");
        app.post("/users/{id:int}", ctx -> "posted " + ctx.pathParam("id"));
        app.route("/multi", ctx -> ctx.method(), "PUT", "PATCH");
        return app;
    }

    @Test
    void staticBeatsParameterAndTypedBeatsString() {
        TestClient c = TestClient.of(app());
        c.get("/users/new").send().assertStatus(200).assertBody("new user form");
        c.get("/users/41").send().assertBody("user 42");
        c.get("/users/ada").send().assertBody("by name ada");
        c.get("/").send().assertBody("home").assertContentType("text/html");
    }

    @Test
    void convertersTypeTheirValuesAndRefuseBadOnesWith404() {
        App app = new App();
        app.get("/n/{id:int}", ctx -> "n " + ctx.pathParam("id", Integer.class));
        app.get("/price/{p:float}", ctx -> "price " + ctx.pathParam("p", Double.class));
        app.get("/keys/{k:uuid}", ctx -> "key " + ctx.pathParam("k", UUID.class));
        TestClient c = TestClient.of(app);
        c.get("/n/x1").send().assertStatus(404);
        c.get("/n/-1").send().assertStatus(404);
        c.get("/n/99999999999").send().assertStatus(404);
        c.get("/price/2.5").send().assertBody("price 2.5");
        c.get("/price/abc").send().assertStatus(404);
        UUID u = UUID.randomUUID();
        c.get("/keys/" + u).send().assertBody("key " + u);
        c.get("/keys/not-a-uuid").send().assertStatus(404);
    }

    @Test
    void pathConverterTakesTheRestAndSegmentsAreDecoded() {
        TestClient c = TestClient.of(app());
        c.get("/files/a/b/c.txt").send().assertBody("file a/b/c.txt");
        c.get("/users/Zo%C3%AB").send().assertBody("by name Zoë");
        c.get("/users/a%2Fb").send().assertBody("by name a/b"); // an encoded slash stays inside its segment
        c.get("/users/%zz").send().assertStatus(400);
    }

    @Test
    void headOptionsAnd405() {
        TestClient c = TestClient.of(app());
        c.head("/about").send().assertStatus(200).assertBody("");
        var opt = c.options("/users/3").send().assertStatus(204);
        assertEquals("GET, HEAD, OPTIONS, POST", opt.header("Allow"));
        var r = c.delete("/users/3").send().assertStatus(405);
        assertEquals("GET, HEAD, OPTIONS, POST", r.header("Allow"));
        c.put("/multi").send().assertBody("PUT");
        c.patch("/multi").send().assertBody("PATCH");
        c.get("/multi").send().assertStatus(405);
    }

    @Test
    void flaskTrailingSlashRules() {
        TestClient c = TestClient.of(app());
        var r = c.get("/projects?page=2").send().assertStatus(308);
        assertEquals("/projects/?page=2", r.header("Location"));
        c.get("/projects/").send().assertBody("projects");
        c.get("/about/").send().assertStatus(404);
    }

    @Test
    void reverseRoutingEncodesAndAppendsExtraParamsAsQuery() {
        App app = app();
        TestClient.of(app); // builds the table
        assertEquals("/users/7", app.urlFor("user", Map.of("id", 7)));
        assertEquals("/files/a%20b/c", app.urlFor("file", Map.of("rest", "a b/c")));
        String withQuery = app.urlFor("user", new java.util.LinkedHashMap<>(Map.of("id", 7, "tab", "a&b")));
        assertEquals("/users/7?tab=a%26b", withQuery);
        assertThrows(IllegalArgumentException.class, () -> app.urlFor("user", Map.of("id", "x")));
        assertThrows(IllegalArgumentException.class, () -> app.urlFor("nope", Map.of()));
    }

    @Test
    void ambiguousRoutesFailAtStartupWithBothNamed() {
        App app = new App();
        app.get("/u/{id:int}", ctx -> "a");
        app.get("/u/{uid:int}", ctx -> "b");
        var e = assertThrows(IllegalArgumentException.class, () -> TestClient.of(app));
        assertTrue(e.getMessage().contains("/u/{id:int}") && e.getMessage().contains("/u/{uid:int}"), e.getMessage());
    }

    @Test
    void parameterAndBlueprintNamesMustBeIdentifiers() {
        for (String good : new String[] {"id", "_", "user_id2", "X"}) {
            App app = new App();
            app.get("/u/{" + good + "}", ctx -> ctx.pathParam(good));
            TestClient.of(app).get("/u/7").send().assertStatus(200).assertBody("7");
            new Blueprint(good, "/b");
        }
        for (String bad : new String[] {"", "2id", "user-id", "é", "a b"}) {
            App app = new App();
            app.get("/u/{" + bad + "}", ctx -> "x");
            var e = assertThrows(IllegalArgumentException.class, () -> TestClient.of(app), bad);
            assertTrue(e.getMessage().contains("Bad parameter name"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new Blueprint(bad, "/b"), bad);
        }
    }

    @Test
    void blueprintsNestWithPrefixesHooksAndQualifiedNames() {
        App app = new App();
        Blueprint api = new Blueprint("api", "/api");
        Blueprint v1 = new Blueprint("v1", "/v1");
        api.before(ctx -> ctx.header("X-Key") == null ? Reply.json(Map.of("error", "no key")).status(401) : null);
        v1.get("/items/{id:int}", ctx -> Map.of("id", ctx.pathParam("id", Integer.class))).name("item");
        v1.after((ctx, reply) -> reply.header("X-Version", "1"));
        api.register(v1);
        app.register(api);
        app.get("/open", ctx -> "open");
        TestClient c = TestClient.of(app);
        c.get("/api/v1/items/3").send().assertStatus(401);
        var ok = c.get("/api/v1/items/3").header("X-Key", "k").send().assertStatus(200).assertBody("{\"id\":3}");
        assertEquals("1", ok.header("X-Version"));
        c.get("/open").send().assertStatus(200);
        assertEquals("/api/v1/items/3", app.urlFor("api.v1.item", Map.of("id", 3)));
    }

    @Test
    void routeListingShowsNamesMethodsAndRules() {
        App app = app();
        var out = new java.io.ByteArrayOutputStream();
        app.printRoutes(new java.io.PrintStream(out, true));
        String table = out.toString();
        assertTrue(table.contains("user") && table.contains("GET, POST") && table.contains("/users/{id:int}"), table);
    }

    @Test
    void aThousandRoutesStillResolveExactly() {
        App app = new App();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            app.get("/r" + i + "/{id:int}", ctx -> "r" + n + ":" + ctx.pathParam("id"));
        }
        TestClient c = TestClient.of(app);
        c.get("/r999/5").send().assertBody("r999:5");
        c.get("/r0/1").send().assertBody("r0:1");
        c.get("/r1000/1").send().assertStatus(404);
    }
}
