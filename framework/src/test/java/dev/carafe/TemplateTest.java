package dev.carafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.template.PebbleTemplates;
import dev.carafe.template.TemplateException;
import dev.carafe.testing.TestClient;
import dev.carafe.testing.TestResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateTest {
    private static App app(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("CARAFE_SECRET_KEY", "template-test-secret");
        return new App(new Config(all, null));
    }

    private static App app() {
        return app(Map.of());
    }

    @Test
    void childTemplateFillsTheBlocksOfItsBase() {
        App app = app();
        app.get("/", ctx -> ctx.render("child.html", Map.of("name", "Ada")));
        TestResponse r = TestClient.of(app).get("/").send().assertStatus(200).assertContentType("text/html; charset=utf-8");
        r.assertBodyContains("<title>Child of Ada</title>")
                .assertBodyContains("<nav>base nav</nav>")
                .assertBodyContains("<main>child content for Ada;")
                .assertBodyContains("<footer>base footer</footer>")
                .assertBodyLacks("Base title")
                .assertBodyLacks("base content");
    }

    @Test
    void htmlTemplatesAreAutoescapedAndTextTemplatesAreNot() {
        App app = app();
        String evil = "<script>alert('x')</script>";
        app.get("/html", ctx -> ctx.render("escape.html", Map.of("value", evil)));
        app.get("/text", ctx -> ctx.render("escape.txt", Map.of("value", evil)));
        TestClient c = TestClient.of(app);
        String html = c.get("/html").send().assertStatus(200).body();
        assertTrue(html.startsWith("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>"), html);
        assertTrue(html.contains("<div>" + evil + "</div>"), "| raw opts out: " + html);
        c.get("/text").send().assertStatus(200).assertContentType("text/plain").assertBody("text: " + evil);
    }

    @Test
    void urlForBuildsRouteUrlsInTemplates() {
        App app = app();
        app.get("/", ctx -> ctx.render("links.html")).name("home");
        app.get("/todos/{id:int}", ctx -> "todo").name("todo");
        TestClient.of(app).get("/").send().assertStatus(200)
                .assertBodyContains("<a href=\"/todos/7\">seven</a>")
                .assertBodyContains("<a href=\"/todos/8?tab=a%20b\">eight</a>")
                .assertBodyContains("<a href=\"/\">home</a>");
    }

    @Test
    void requestAndSessionAreTemplateGlobals() {
        App app = app().enableSessions();
        app.get("/login", ctx -> {
            ctx.session().put("user", "<b>ada</b>");
            return "ok";
        });
        app.get("/g/{x}", ctx -> ctx.render("globals.html")).name("globals");
        TestClient c = TestClient.of(app);
        c.get("/login").send().assertStatus(200);
        c.get("/g/here?q=milk&q=eggs").send().assertStatus(200)
                .assertBody("GET /g/here q=milk endpoint=globals user=&lt;b&gt;ada&lt;/b&gt;");
    }

    @Test
    void flashedMessagesAreShownOnceAndTwiceInTheSamePage() {
        App app = app().enableSessions();
        app.post("/save", ctx -> {
            ctx.flash("Saved <1>");
            ctx.flash("error", "Disk almost full");
            return ctx.redirect("/");
        });
        app.get("/", ctx -> ctx.render("child.html", Map.of("name", "x")));
        TestClient c = TestClient.of(app);
        c.post("/save").send().assertStatus(302);
        c.get("/").send().assertStatus(200)
                .assertBodyContains("<p class=\"flash message\">Saved &lt;1&gt;</p>")
                .assertBodyContains("<p class=\"flash error\">Disk almost full</p>")
                // the base template took them; the child's second call in the same request sees the same two
                .assertBodyContains("again: 2 flashes");
        c.get("/").send().assertStatus(200).assertBodyLacks("class=\"flash").assertBodyContains("again: 0 flashes");
    }

    @Test
    void templatesAreCachedUnlessDebugModeReloadsThem(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("page.html");
        for (boolean debug : new boolean[] {false, true}) {
            Files.writeString(page, "version 1");
            App app = app(Map.of("CARAFE_TEMPLATE_FOLDER", dir.toString())).debug(debug);
            app.get("/", ctx -> ctx.render("page.html"));
            TestClient c = TestClient.of(app);
            c.get("/").send().assertBody("version 1");
            Files.writeString(page, "version 2 {{ 1 + 1 }}");
            c.get("/").send().assertBody(debug ? "version 2 2" : "version 1");
        }
    }

    @Test
    void templateFolderMustExist(@TempDir Path dir) {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PebbleTemplates.fromFolder(dir.resolve("missing"), false));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void templateErrorsAreAGeneric500OutsideDebugMode() {
        App app = app();
        app.get("/broken", ctx -> ctx.render("broken.html"));
        app.get("/missing", ctx -> ctx.render("nope.html"));
        app.get("/bad-url", ctx -> ctx.render("bad_url.html"));
        TestClient c = TestClient.of(app);
        for (String path : new String[] {"/broken", "/missing", "/bad-url"}) {
            c.get(path).header("Accept", "text/html").send().assertStatus(500)
                    .assertBodyContains("Internal Server Error").assertBodyLacks(".html").assertBodyLacks("line");
        }
    }

    @Test
    void templateErrorsNameTheFileAndLineInDebugMode() {
        App app = app().debug(true);
        app.get("/broken", ctx -> ctx.render("broken.html"));
        app.get("/missing", ctx -> ctx.render("nope.html"));
        app.get("/bad-url", ctx -> ctx.render("bad_url.html"));
        TestClient c = TestClient.of(app);
        c.get("/broken").header("Accept", "text/html").send().assertStatus(500)
                .assertBodyContains(TemplateException.class.getName()).assertBodyContains("(broken.html, line 3)")
                .assertBodyContains("<h2>broken.html, line 3</h2>")
                .assertBodyContains("&gt;    3  &lt;p&gt;{{ 1 + }}&lt;/p&gt;\n");
        c.get("/missing").header("Accept", "text/html").send().assertStatus(500)
                .assertBodyContains("Template not found").assertBodyContains("nope.html");
        c.get("/bad-url").header("Accept", "text/html").send().assertStatus(500)
                .assertBodyContains("no_such_route").assertBodyContains("bad_url.html, line 2");
    }

    @Test
    void theEngineCanBeReplaced() {
        App app = app();
        app.templates((name, model) -> name + " with " + model.get("x") + " at " + ((dev.carafe.template.RequestView) model.get("request")).path());
        app.get("/", ctx -> ctx.render("any.html", Map.of("x", 1)));
        TestClient.of(app).get("/").send().assertStatus(200).assertBody("any.html with 1 at /");
    }

    @Test
    void rendersWithoutARequestForMailsAndTheLike() {
        App app = app();
        String text = app.templates().render("escape.txt", Map.of("value", "<b>"));
        assertEquals("text: <b>", text);
    }
}
