package dev.carafe.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.App;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debug mode end to end: a real project in a temp folder, a separate JVM, edits on disk, HTTP. */
class DevModeTest {
    @TempDir
    Path dir;
    DevProcess dev;

    static String app(String greeting) {
        return """
                package demo;

                import dev.carafe.App;

                public class Main {
                    public static void main(String[] args) {
                        var app = new App();
                        app.get("/", ctx -> Greeting.text("%s"));
                        app.get("/boom", ctx -> Boom.explode());
                        app.onStop(() -> {
                            try { java.nio.file.Files.writeString(java.nio.file.Path.of("stopped.txt"), "%s"); }
                            catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
                        });
                        app.run(args);
                    }
                }
                """.formatted(greeting, greeting);
    }

    static final String GREETING = """
            package demo;

            final class Greeting {
                static String text(String name) {
                    return "<html><body>Hello, " + name + "!</body></html>";
                }
            }
            """;

    static final String BOOM = """
            package demo;

            final class Boom {
                static String explode() {
                    throw new IllegalStateException("the kettle boiled dry");
                }
            }
            """;

    @BeforeEach
    void start() throws Exception {
        dev = new DevProcess(dir).source(DevProcess.MAIN, app("one")).source("demo/Greeting.java", GREETING)
                .source("demo/Boom.java", BOOM).start();
    }

    @AfterEach
    void stop() {
        dev.close();
    }

    @Test
    void bannerNamesWatchedFoldersAndLoopback() throws Exception {
        dev.awaitConsole(l -> l.contains("Debug mode: on"), 2000);
        dev.awaitConsole(l -> l.contains("Watching src/main/java"), 2000);
        dev.awaitConsole(l -> l.contains("loopback"), 2000);
        assertTrue(dev.url.startsWith("http://127.0.0.1:"), dev.url);
    }

    @Test
    void anEditIsServedByTheNextRequestsWithoutARestartAndTheOldAppIsStopped() throws Exception {
        dev.awaitBody("/", null, b -> b.contains("Hello, one!"), 5000);
        dev.source(DevProcess.MAIN, app("two"));
        dev.awaitBody("/", null, b -> b.contains("Hello, two!"), 10_000);
        dev.awaitConsole(l -> l.contains("Detected change in src/main/java/demo/Main.java"), 2000);
        dev.awaitConsole(l -> l.matches(" \\* Reloaded in \\d+ ms \\(compile \\d+ ms, swap \\d+ ms\\)"), 2000);
        // The launch generation's stop hooks ran when it retired.
        long deadline = System.currentTimeMillis() + 5000;
        while (!Files.exists(dir.resolve("stopped.txt")) && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertEquals("one", Files.readString(dir.resolve("stopped.txt")));
    }

    @Test
    void aChangedClassRecompilesItsDependentsToo() throws Exception {
        dev.source("demo/Greeting.java", GREETING.replace("Hello, ", "Howdy, "));
        dev.awaitBody("/", null, b -> b.contains("Howdy, one!"), 10_000);
    }

    @Test
    void pagesGetTheLiveReloadScript() throws Exception {
        HttpResponse<String> r = dev.get("/", "text/html");
        assertTrue(r.body().contains("/__carafe/events") && r.body().indexOf("<script>") < r.body().indexOf("</body>"), r.body());
    }

    @Test
    void aCompileErrorIsShownOnEveryPageUntilFixed() throws Exception {
        dev.source("demo/Greeting.java", GREETING.replace("\"!</body></html>\";", "\"!</body></html>\""));
        HttpResponse<String> html = dev.awaitBody("/", "text/html", b -> b.contains("Compile error"), 10_000);
        assertEquals(500, html.statusCode());
        assertTrue(html.body().contains("src/main/java/demo/Greeting.java:5:") && html.body().contains("<mark>"), html.body());
        assertTrue(html.body().contains("&#39;;&#39; expected") || html.body().contains("';' expected"), html.body());
        HttpResponse<String> other = dev.get("/anything", "text/html");
        assertTrue(other.body().contains("Compile error"), "every URL shows it");
        HttpResponse<String> text = dev.get("/", null);
        assertTrue(text.body().contains("Greeting.java:5:") && text.body().contains(">    5 |"), text.body());
        HttpResponse<String> json = dev.get("/", "application/json");
        assertTrue(json.body().contains("\"line\":5") && json.body().contains("\"file\":\"src/main/java/demo/Greeting.java\""),
                json.body());
        dev.awaitConsole(l -> l.contains("Compile failed (1 error)"), 2000);
        dev.source("demo/Greeting.java", GREETING.replace("Hello, ", "Fixed, "));
        dev.awaitBody("/", null, b -> b.contains("Fixed, one!"), 10_000);
    }

    @Test
    void anExceptionGivesTheDebugPageWithTheDevelopersOwnSourceInThreeForms() throws Exception {
        HttpResponse<String> html = dev.get("/boom", "text/html");
        assertEquals(500, html.statusCode());
        assertTrue(html.body().contains("java.lang.IllegalStateException") && html.body().contains("the kettle boiled dry"));
        assertTrue(html.body().contains("throw new IllegalStateException"), "own frame's source is shown");
        assertTrue(html.body().contains("<details"), "library frames are folded");
        HttpResponse<String> text = dev.get("/boom", null);
        assertTrue(text.body().startsWith("java.lang.IllegalStateException: the kettle boiled dry"), text.body());
        assertTrue(text.body().contains("> at ") && text.body().contains("Boom.java:5"), text.body());
        HttpResponse<String> json = dev.get("/boom", "application/json");
        assertTrue(json.body().contains("\"own\":true") && json.body().contains("\"request\""), json.body());
    }

    @Test
    void noRequestFailsWhileTheAppReloadsAgainAndAgain() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger(), failed = new AtomicInteger();
        Thread client = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                try {
                    HttpResponse<String> r = dev.get("/", null);
                    if (r.statusCode() == 200 && r.body().contains("Hello")) ok.incrementAndGet();
                    else failed.incrementAndGet();
                } catch (Exception e) {
                    failed.incrementAndGet();
                }
            }
        });
        for (int i = 0; i < 5; i++) {
            String name = "v" + i;
            dev.source(DevProcess.MAIN, app(name));
            dev.awaitBody("/", null, b -> b.contains("Hello, " + name + "!"), 10_000);
        }
        running.set(false);
        client.join();
        assertEquals(0, failed.get(), "failed requests during reloads");
        assertTrue(ok.get() > 20, "requests served: " + ok.get());
    }

    @Test
    void retiredGenerationsAreCollected() throws Exception {
        for (int i = 0; i < 6; i++) {
            String name = "g" + i;
            dev.source(DevProcess.MAIN, app(name));
            dev.awaitBody("/", null, b -> b.contains("Hello, " + name + "!"), 10_000);
        }
        long deadline = System.currentTimeMillis() + 10_000;
        String status = dev.status();
        while (!status.contains("\"liveRetiredGenerations\":0") && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            status = dev.status();
        }
        assertTrue(status.contains("\"liveRetiredGenerations\":0"), status);
    }

    @Test
    void touchingOrRewritingAFileUnchangedDoesNotReload() throws Exception {
        int before = dev.generation();
        Path main = dir.resolve("src/main/java").resolve(DevProcess.MAIN);
        Files.setLastModifiedTime(main, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Files.writeString(main, Files.readString(main));
        Files.writeString(dir.resolve("src/main/java/demo/.Main.java.swp"), "editor junk");
        Thread.sleep(800);
        assertEquals(before, dev.generation());
    }

    @Test
    void aBurstOfChangesIsOneReload() throws Exception {
        int before = dev.generation();
        for (int i = 0; i < 20; i++) {
            dev.source("demo/Extra" + i + ".java", "package demo; final class Extra" + i + " {}");
        }
        dev.source(DevProcess.MAIN, app("burst"));
        dev.awaitBody("/", null, b -> b.contains("Hello, burst!"), 10_000);
        Thread.sleep(500);
        assertEquals(before + 1, dev.generation(), String.join("\n", dev.console));
    }

    @Test
    void openPagesAreToldToReload() throws Exception {
        var events = dev.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(dev.url + "/__carafe/events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        var lines = events.body().iterator();
        assertEquals("retry: 300", lines.next());
        assertEquals("event: hello", lines.next());
        dev.source(DevProcess.MAIN, app("sse"));
        String line;
        do {
            line = lines.next();
        } while (!line.startsWith("event:"));
        assertEquals("event: reload", line);
    }

    @Test
    void aBuildFileChangeRestartsTheProcessOnTheSamePortWithoutRefusingRequests() throws Exception {
        Files.writeString(dir.resolve("pom.xml"), "<project/>");
        dev.close();
        dev = new DevProcess(dir).start(); // now with a build file to watch
        dev.source(DevProcess.MAIN, app("edited"));
        dev.awaitBody("/", null, b -> b.contains("Hello, edited!"), 10_000);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger(), failed = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread client = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                try {
                    HttpResponse<String> r = dev.get("/", null);
                    if (r.statusCode() == 200) ok.incrementAndGet();
                    else {
                        failed.incrementAndGet();
                        failures.add(r.statusCode() + " " + r.body());
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                    failures.add(e + (e.getCause() == null ? "" : " caused by " + e.getCause()));
                }
            }
        });
        Files.writeString(dir.resolve("pom.xml"), "<project><!-- a new dependency --></project>");
        dev.awaitConsole(l -> l.contains("pom.xml changed: rebuilding and restarting"), 5000);
        long deadline = System.currentTimeMillis() + 30_000;
        while (dev.console.stream().filter(l -> l.startsWith("Running on ")).count() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(500);
        running.set(false);
        client.join();
        assertEquals(2, dev.console.stream().filter(l -> l.startsWith("Running on " + dev.url)).count(), String.join("\n", dev.console));
        dev.awaitBody("/", null, b -> b.contains("Hello, edited!"), 5000); // the edit made before the restart survives it
        assertTrue(ok.get() > 0);
        assertEquals(0, failed.get(), "requests failed during the restart: " + failures + "\nConsole:\n" + String.join("\n", dev.console));
        assertTrue(dev.alive(), "the first process stays as the new one's parent");
    }

    @Test
    void templateAndStaticEditsShowOnTheNextRequestWithoutAReload() throws Exception {
        dev.close();
        dev = new DevProcess(dir)
                .source(DevProcess.MAIN, app("one").replace("app.get(\"/boom\"", "app.get(\"/page\", ctx -> ctx.render(\"page.html\"));\n        app.get(\"/boom\""))
                .source("src/main/resources/templates/page.html", "<html><body><p>{{ 'first' }}</p></body></html>")
                .source("src/main/resources/static/site.css", "body { color: red; }")
                .start();
        dev.awaitBody("/page", null, b -> b.contains("<p>first</p>"), 5000);
        dev.awaitBody("/static/site.css", null, b -> b.contains("red"), 5000);
        int generation = dev.generation();
        dev.source("src/main/resources/templates/page.html", "<html><body><p>{{ 'second' }}</p></body></html>");
        dev.source("src/main/resources/static/site.css", "body { color: blue; }");
        dev.awaitBody("/page", null, b -> b.contains("<p>second</p>"), 5000);
        dev.awaitBody("/static/site.css", null, b -> b.contains("blue"), 5000);
        Thread.sleep(300);
        assertEquals(generation, dev.generation(), "no class reload for templates and static files");
    }
}
