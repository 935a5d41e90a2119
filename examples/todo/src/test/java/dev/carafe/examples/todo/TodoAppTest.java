package dev.carafe.examples.todo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.App;
import dev.carafe.Config;
import dev.carafe.testing.TestClient;
import dev.carafe.testing.TestResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The todo app through Carafe's in-process test client: pages, forms, CSRF, sessions, the API. */
class TodoAppTest {
    private static final Pattern TOKEN = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"");
    private final MemoryTodoRepository repo = new MemoryTodoRepository();
    private final App app = TodoApp.create(new Config(Map.of("CARAFE_SECRET_KEY", "todo-test-secret"), null), repo);
    private final TestClient client = TestClient.of(app);

    /** The CSRF token of the last form on {@code page}, fetched as a browser would before posting. */
    private String token(String page) {
        Matcher m = TOKEN.matcher(client.get(page).send().assertStatus(200).body());
        String token = null;
        while (m.find()) token = m.group(1);
        if (token == null) throw new AssertionError("No form with a CSRF token on " + page);
        return token;
    }

    @Test
    void pagesExtendTheLayoutAndLinkTheStylesheet() {
        client.get("/").send().assertStatus(200).assertContentType("text/html")
                .assertBodyContains("<title>Todos · Carafe</title>")
                .assertBodyContains("<link rel=\"stylesheet\" href=\"/static/style.css\">")
                .assertBodyContains("<h1>Todos</h1>")
                .assertBodyContains("Nothing to do.")
                .assertBodyContains("<form method=\"post\" action=\"/todos\" enctype=\"multipart/form-data\"");
        client.get("/static/style.css").send().assertStatus(200).assertContentType("text/css").assertBodyContains("--accent");
        client.get("/static/missing.css").send().assertStatus(404);
    }

    @Test
    void addingATodoRedirectsFlashesOnceAndCountsInTheSession() {
        String token = token("/");
        client.post("/todos").form("csrf_token", token).form("title", "Buy <milk>").form("notes", "2 litres").send()
                .assertStatus(303).assertHeader("Location", "/");
        client.get("/").send().assertStatus(200)
                .assertBodyContains("<p class=\"flash flash-success\" role=\"status\">Added “Buy &lt;milk&gt;”.</p>")
                .assertBodyContains("<a href=\"/todos/1\">Buy &lt;milk&gt;</a>")
                .assertBodyContains("You added 1 in this session.");
        client.get("/").send().assertStatus(200).assertBodyLacks("class=\"flash").assertBodyContains("You added 1 in this session.");
        client.post("/todos").form("csrf_token", token).form("title", "Tea").send().assertStatus(303);
        client.get("/").send().assertBodyContains("You added 2 in this session.");
        assertEquals(List.of("Buy <milk>", "Tea"), repo.all().stream().map(Todo::title).toList());
        assertEquals("2 litres", repo.find(1).orElseThrow().notes());
        // another browser has its own session
        TestClient.of(app).get("/").send().assertBodyContains("Nothing added in this session yet.");
    }

    @Test
    void invalidFormIsShownAgainWithErrorsAnd422() {
        String token = token("/");
        client.post("/todos").form("csrf_token", token).form("title", "   ").form("notes", "keep <this>").send()
                .assertStatus(422)
                .assertBodyContains("<p class=\"error\">Title is required.</p>")
                .assertBodyContains("aria-invalid=\"true\"")
                .assertBodyContains(">keep &lt;this&gt;</textarea>");
        client.post("/todos").form("csrf_token", token).form("title", "x".repeat(201)).send()
                .assertStatus(422).assertBodyContains("Title must be at most 200 characters.");
        assertTrue(repo.all().isEmpty());
    }

    @Test
    void formsWithoutAValidCsrfTokenAreRefused() {
        token("/");
        client.post("/todos").form("title", "forged").send().assertStatus(400).assertContentType("text/html")
                .assertBodyContains("<h1>This form has expired</h1>").assertBodyContains("CSRF token missing or invalid");
        client.post("/todos").form("title", "forged").form("csrf_token", "bm9wZQ").send().assertStatus(400);
        assertTrue(repo.all().isEmpty());
    }

    @Test
    void attachmentIsUploadedAndDownloadedAsAFile() {
        String token = token("/");
        byte[] content = "<html><script>alert(1)</script>".getBytes(StandardCharsets.UTF_8);
        client.post("/todos").form("csrf_token", token).form("title", "Read report")
                .file("attachment", "../../Report ü.html", "text/html", content).send().assertStatus(303);
        Attachment stored = repo.find(1).orElseThrow().attachment();
        assertEquals("Report ü.html", stored.filename()); // the client's path is dropped
        client.get("/todos/1").send().assertStatus(200)
                .assertBodyContains("<a href=\"/todos/1/attachment\">Report ü.html</a> (" + content.length + " bytes)");
        TestResponse file = client.get("/todos/1/attachment").send().assertStatus(200)
                .assertContentType("application/octet-stream")
                .assertHeader("X-Content-Type-Options", "nosniff")
                .assertHeader("Content-Disposition", "attachment; filename=\"Report__.html\"; filename*=UTF-8''Report%20%C3%BC.html");
        assertArrayEquals(content, file.bodyBytes());
        client.get("/todos/1").send().assertBodyLacks("class=\"flash"); // the flash was shown on the redirect's page
    }

    @Test
    void tooLargeAnAttachmentIsAFormError() {
        String token = token("/");
        client.post("/todos").form("csrf_token", token).form("title", "Big")
                .file("attachment", "big.bin", "application/octet-stream", new byte[(int) TodoApp.MAX_ATTACHMENT_BYTES + 1]).send()
                .assertStatus(422).assertBodyContains("The attachment must be at most 1024 KiB.");
        assertTrue(repo.all().isEmpty());
        client.get("/todos/1/attachment").send().assertStatus(404);
    }

    @Test
    void editToggleAndDelete() {
        String token = token("/");
        client.post("/todos").form("csrf_token", token).form("title", "Draft").send().assertStatus(303);
        client.get("/todos/1").send().assertStatus(200).assertBodyContains("<title>Draft · Carafe</title>")
                .assertBodyContains("value=\"Draft\"");
        client.post("/todos/1").form("csrf_token", token).form("title", "").send().assertStatus(422)
                .assertBodyContains("Title is required.").assertBodyContains("<h1>Draft</h1>");
        client.post("/todos/1").form("csrf_token", token).form("title", "Final").form("done", "on").send()
                .assertStatus(303).assertHeader("Location", "/todos/1");
        client.get("/todos/1").send().assertBodyContains("Saved.").assertBodyContains("<h1 class=\"done\">Final</h1>")
                .assertBodyContains(" checked>");
        client.post("/todos/1/toggle").form("csrf_token", token).send().assertStatus(303);
        assertEquals(false, repo.find(1).orElseThrow().done());
        client.post("/todos/1/delete").form("csrf_token", token).send().assertStatus(303);
        client.get("/").send().assertBodyContains("Deleted “Final”.");
        client.get("/todos/1").send().assertStatus(404).assertBodyContains("<h1>Not found</h1>");
        client.post("/todos/1/delete").form("csrf_token", token).send().assertStatus(404);
    }

    @Test
    void customNotFoundPageEscapesThePath() {
        client.get("/no/%3Cscript%3E").send().assertStatus(404).assertContentType("text/html")
                .assertBodyContains("<h1>Not found</h1>")
                .assertBodyContains("<code>/no/&lt;script&gt;</code>")
                .assertBodyLacks("<script>");
        client.get("/todos/abc").send().assertStatus(404).assertBodyContains("<h1>Not found</h1>");
    }

    @Test
    void jsonApiCrudWithStatusCodes() {
        TestResponse created = client.post("/api/todos").json(Map.of("title", "Milk", "notes", "oat")).send()
                .assertStatus(201).assertContentType("application/json").assertHeader("Location", "/api/todos/1");
        assertEquals(Map.of("id", 1, "title", "Milk", "notes", "oat", "done", false, "url", "/api/todos/1"),
                withoutNull(created.json(Map.class)));
        client.get("/api/todos/1").send().assertStatus(200).assertBodyContains("\"title\":\"Milk\"");
        client.put("/api/todos/1").json(Map.of("title", "Oat milk", "done", true)).send().assertStatus(200)
                .assertBodyContains("\"title\":\"Oat milk\"").assertBodyContains("\"done\":true");
        client.put("/api/todos/1").json(Map.of("title", "")).send().assertStatus(422)
                .assertBody("{\"errors\":{\"title\":\"Title is required.\"}}");
        client.post("/api/todos").json(Map.of("notes", "no title")).send().assertStatus(422);
        client.get("/api/todos").send().assertStatus(200).assertBodyContains("\"title\":\"Oat milk\"");
        client.delete("/api/todos/1").send().assertStatus(204).assertBody("");
        client.delete("/api/todos/1").send().assertStatus(404).assertContentType("application/json")
                .assertBody("{\"error\":\"No todo 1\"}");
        client.get("/api/todos/1").send().assertStatus(404).assertContentType("application/json");
        client.put("/api/todos/1").json(Map.of("title", "x")).send().assertStatus(404);
        client.get("/api/todos").send().assertStatus(200).assertBody("[]");
        client.get("/api/nothing-here").send().assertStatus(404).assertContentType("application/json");
    }

    @Test
    void apiRefusesBadInputWith4xx() {
        client.post("/api/todos").body("{\"title\": ", "application/json").send().assertStatus(400)
                .assertContentType("application/json").assertBodyContains("Invalid JSON");
        client.post("/api/todos").body("[1, 2]", "application/json").send().assertStatus(400);
        client.post("/api/todos").body("null", "application/json").send().assertStatus(400);
        client.post("/api/todos").json(Map.of("title", "x", "owner", "eve")).send().assertStatus(400);
        client.post("/api/todos").json(Map.of("title", "x", "done", "maybe")).send().assertStatus(400);
        client.post("/api/todos").body("title=x", "application/x-www-form-urlencoded").send().assertStatus(415);
        client.post("/api/todos").body("{\"title\":\"x\"}", "text/plain").send().assertStatus(415);
        client.get("/api/todos/abc").send().assertStatus(404);
        client.get("/api/todos/99999999999").send().assertStatus(404);
        client.get("/api/todos/%zz").send().assertStatus(400);
        assertTrue(repo.all().isEmpty());
        client.get("/api/todos").send().assertStatus(200);
    }

    @Test
    void apiAndPagesShareTheData() {
        client.post("/api/todos").json(Map.of("title", "From the API")).send().assertStatus(201);
        client.get("/").send().assertBodyContains("<a href=\"/todos/1\">From the API</a>");
        String token = token("/");
        client.post("/todos").form("csrf_token", token).form("title", "From the form").send().assertStatus(303);
        client.get("/api/todos/2").send().assertStatus(200).assertBodyContains("From the form");
    }

    @Test
    void aTamperedSessionCookieIsAnEmptySession() {
        String token = token("/");
        client.post("/todos").form("csrf_token", token).form("title", "Mine").send().assertStatus(303);
        client.get("/").send().assertBodyContains("You added 1");
        String cookie = client.cookies().get("session");
        String[] parts = cookie.split("\\.");
        String forged = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("added=1000".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + "." + parts[2];
        client.cookies().put("session", forged);
        client.get("/").send().assertStatus(200).assertBodyContains("Nothing added in this session yet.")
                .assertBodyLacks("1000");
        client.cookies().put("session", forged);
        client.post("/todos").form("csrf_token", token).form("title", "Forged").send().assertStatus(400);
        assertEquals(1, repo.all().size());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutNull(Map<?, ?> m) {
        Map<String, Object> out = new java.util.HashMap<>();
        m.forEach((k, v) -> {
            if (v != null) out.put((String) k, v);
        });
        assertTrue(m.containsKey("attachment") && m.get("attachment") == null, "attachment is null when there is none: " + m);
        return out;
    }
}
