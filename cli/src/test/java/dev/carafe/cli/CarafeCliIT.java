package dev.carafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Carafe for your own app, as a new user on a fresh machine: {@code ./carafe install} into a
 * throw-away HOME and local Maven repository (chained to the build's real one, read-only, so
 * nothing already downloaded is fetched again and nothing is installed there), then
 * {@code carafe new} of each template, its own tests, its jar, serving it and asking with curl;
 * live reload of a handler under {@code carafe dev} with requests running throughout; the same
 * for a single-file app with a {@code //DEPS} line. After the install, Maven runs offline.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CarafeCliIT {
    @TempDir
    static Path tmp;
    static Path home, work, carafe;
    static Shell shell;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void install() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        work = Files.createDirectories(tmp.resolve("work"));
        Path repo = Path.of(System.getProperty("carafe.repo")).toRealPath();
        String mvn = System.getProperty("carafe.mvn");
        Map<String, String> env = new HashMap<>();
        for (String keep : List.of("PATH", "JAVA_HOME", "LANG", "TMPDIR", "TERM")) {
            if (System.getenv(keep) != null) env.put(keep, System.getenv(keep));
        }
        env.put("HOME", home.toString());
        env.put("CARAFE_MVN", mvn);
        env.put("MAVEN_ARGS", "-Dmaven.repo.local=" + System.getProperty("carafe.e2eRepository")
                + " -Dmaven.repo.local.tail=" + System.getProperty("carafe.realRepository"));
        shell = new Shell(env);
        Shell.Result v = shell.run(work, 60, mvn, "-B", "-v");
        assertTrue(v.output().matches("(?s).*Apache Maven 3\\.(9|\\d\\d)\\..*|(?s).*Apache Maven [4-9]\\..*"),
                "the end-to-end test needs Maven 3.9+ for -Dmaven.repo.local.tail (./carafe fetches one): " + v.output());

        Shell.Result installed = shell.run(repo, 600, repo.resolve("carafe").toString(), "install");
        assertEquals(0, installed.status(), installed.output());
        Path bin = home.resolve(".local/bin");
        carafe = bin.resolve("carafe");
        assertTrue(Files.isExecutable(carafe), installed.output());
        assertTrue(installed.output().contains("carafe: " + bin + " is not on your PATH; add it: export PATH=\"" + bin + ":$PATH\""),
                installed.output());
        env.put("PATH", bin + ":" + env.get("PATH"));
        // Everything a project needs is in the chained repositories now: prove it by staying offline.
        env.put("MAVEN_ARGS", env.get("MAVEN_ARGS") + " -o");
    }

    @Test
    @Order(1)
    void versionAndMisuse() throws Exception {
        Shell.Result v = shell.run(work, 60, carafe.toString(), "--version");
        assertEquals(0, v.status(), v.output());
        assertTrue(v.output().startsWith("carafe 0.1.0-SNAPSHOT\nJava "), v.output());
        Shell.Result unknown = shell.run(work, 60, carafe.toString(), "serve");
        assertEquals(2, unknown.status());
        assertTrue(unknown.output().startsWith("carafe: unknown command 'serve'"), unknown.output());
        Shell.Result noProject = shell.run(work, 60, carafe.toString(), "run");
        assertEquals(1, noProject.status());
        assertTrue(noProject.output().startsWith("carafe: no pom.xml in "), noProject.output());
    }

    @Test
    @Order(2)
    void webTemplate() throws Exception {
        Path dir = create("web-demo", "web");
        assertServes(dir, "/hello/ada", "{\"message\":\"Hello, ada!\"}");
        Shell.Result routes = shell.run(dir, 300, carafe.toString(), "routes");
        assertEquals(0, routes.status(), routes.output());
        assertTrue(routes.output().matches("(?s).*hello\\s+GET\\s+/hello/\\{name}.*"), routes.output());

        int port = Shell.freePort();
        try (Shell.Running dev = shell.start(dir, carafe.toString(), "dev", "--port", Integer.toString(port))) {
            dev.await("Running on http://127.0.0.1:" + port, 300);
            assertTrue(dev.output().contains(" * Debug mode: on"), dev.output());
            Path source = dir.resolve("src/main/java/webdemo/WebDemoApp.java");
            reloadWithoutFailures(port, "/hello/ada", source, t -> t.replace("\"Hello, \"", "\"Howdy, \""),
                    body -> body.contains("Howdy, ada!"), dev, " * Reloaded in ");
        }
    }

    @Test
    @Order(3)
    void apiTemplate() throws Exception {
        Path dir = create("api-demo", "api");
        assertServes(dir, "/api/items", "[]");
    }

    @Test
    @Order(4)
    void minimalTemplate() throws Exception {
        Path dir = create("tiny", "minimal");
        assertServes(dir, "/", "Hello, world!");
    }

    @Test
    @Order(6)
    void singleFileWithDeps() throws Exception {
        Path dir = Files.createDirectories(work.resolve("single"));
        Path file = dir.resolve("Hello.java");
        Files.writeString(file, """
                //DEPS org.apache.commons:commons-text:1.13.0
                import dev.carafe.App;
                import org.apache.commons.text.WordUtils;

                public class Hello {
                    public static void main(String[] args) {
                        var app = new App();
                        app.get("/", ctx -> WordUtils.capitalize("hello from one file"));
                        app.run(args);
                    }
                }
                """);
        // The first run resolves the //DEPS line from Maven Central (or the chained repository): online
        shell.env.put("MAVEN_ARGS", shell.env.get("MAVEN_ARGS").replace(" -o", ""));
        int port = Shell.freePort();
        try (Shell.Running run = shell.start(dir, carafe.toString(), "run", "Hello.java", "--port", Integer.toString(port))) {
            run.await("Running on http://127.0.0.1:" + port, 300);
            assertEquals("Hello From One File", curl(port, "/"));
        }
        // From then on no Maven at all: the resolved class path is cached under a hash of the lines
        String mvn = shell.env.put("CARAFE_MVN", tmp.resolve("no-maven-here").toString());
        try (Shell.Running dev = shell.start(dir, carafe.toString(), "dev", "Hello.java", "--port", Integer.toString(port))) {
            dev.await("Running on http://127.0.0.1:" + port, 120);
            assertTrue(dev.output().contains(" * Watching Hello.java"), dev.output());
            assertTrue(curl(port, "/").startsWith("Hello From One File"));
            reloadWithoutFailures(port, "/", file, t -> t.replace("\"hello from one file\"", "\"edited in place\""),
                    body -> body.startsWith("Edited In Place"), dev, " * Reloaded in ");
            // Changed //DEPS cannot be absorbed by a class loader: the process restarts on the same port, no request fails
            reloadWithoutFailures(port, "/", file, t -> t.replace("//DEPS org.apache.commons:commons-text:1.13.0\n", "")
                    .replace("import org.apache.commons.text.WordUtils;\n", "")
                    .replace("WordUtils.capitalize(\"edited in place\")", "\"restarted without deps\""),
                    body -> body.startsWith("restarted without deps"), dev, " * //DEPS changed in Hello.java: restarting");
        } finally {
            shell.env.put("CARAFE_MVN", mvn);
        }
    }

    /**
     * A Maven project that {@code carafe new} did not make: no BOM, no main class named anywhere
     * (the one whose main calls {@code app.run(args)} is found among two), no shade plugin.
     */
    @Test
    @Order(5)
    void projectNotMadeByCarafeNew() throws Exception {
        Path dir = Files.createDirectories(work.resolve("plain/src/main/java/com/acme"));
        Files.writeString(work.resolve("plain/pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.acme</groupId>
                  <artifactId>plain</artifactId>
                  <version>1.0</version>
                  <properties><maven.compiler.release>21</maven.compiler.release></properties>
                  <dependencies>
                    <dependency><groupId>dev.carafe</groupId><artifactId>carafe</artifactId><version>0.1.0-SNAPSHOT</version></dependency>
                  </dependencies>
                  <build><plugins>
                    <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
                    <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                  </plugins></build>
                </project>
                """);
        Files.writeString(dir.resolve("Tool.java"), """
                package com.acme;
                public class Tool { public static void main(String[] args) { System.out.println("not the server"); } }
                """);
        Files.writeString(dir.resolve("Server.java"), """
                package com.acme;
                import dev.carafe.App;
                public class Server {
                    public static void main(String[] args) {
                        var app = new App();
                        app.get("/", ctx -> "plain project");
                        app.run(args);
                    }
                }
                """);
        int port = Shell.freePort();
        try (Shell.Running run = shell.start(work.resolve("plain"), carafe.toString(), "run", "--port", Integer.toString(port))) {
            run.await("Running on http://127.0.0.1:" + port, 300);
            assertEquals("plain project", curl(port, "/"));
        }
    }

    /** {@code carafe new}, then the project's own tests and its jar, all through the installed launcher. */
    private static Path create(String name, String template) throws Exception {
        Shell.Result created = shell.run(work, 60, carafe.toString(), "new", name, "--template", template);
        assertEquals(0, created.status(), created.output());
        Path dir = work.resolve(name);
        Shell.Result test = shell.run(dir, 300, carafe.toString(), "test");
        assertEquals(0, test.status(), test.output());
        assertTrue(test.output().matches("(?s).*carafe: [1-9]\\d* tests? passed.*"), test.output());
        Shell.Result build = shell.run(dir, 300, carafe.toString(), "build", "--skip-tests");
        assertEquals(0, build.status(), build.output());
        assertTrue(build.output().contains("Built target/" + name + ".jar"), build.output());
        assertTrue(Files.size(dir.resolve("target/" + name + ".jar")) > 1_000_000, "the jar carries its dependencies");
        Shell.Result again = shell.run(work, 60, carafe.toString(), "new", name);
        assertEquals(1, again.status());
        assertEquals("carafe: the folder " + name + " already exists and is not empty; pick another name or remove it", again.output());
        return dir;
    }

    /** {@code carafe run --port N} prints the contract line and answers curl with {@code body}. */
    private static void assertServes(Path dir, String path, String body) throws Exception {
        int port = Shell.freePort();
        try (Shell.Running run = shell.start(dir, carafe.toString(), "run", "--port", Integer.toString(port))) {
            run.await("Running on http://127.0.0.1:" + port, 300);
            assertEquals(body, curl(port, path));
            Shell.Result taken = shell.run(dir, 60, carafe.toString(), "run", "--port", Integer.toString(port));
            assertEquals(1, taken.status());
            assertEquals("carafe: port " + port + " is already in use on 127.0.0.1 (is another server running?);"
                    + " stop it or pick another port with --port N", taken.output());
        }
    }

    /** Edits {@code file} while a client sends requests back to back: the new response comes, and no request fails. */
    private static void reloadWithoutFailures(int port, String path, Path file, UnaryOperator<String> edit, Predicate<String> edited,
                                              Shell.Running server, String consoleLine) throws Exception {
        AtomicInteger ok = new AtomicInteger(), failed = new AtomicInteger();
        AtomicReference<String> lastFailure = new AtomicReference<>();
        AtomicReference<Boolean> seen = new AtomicReference<>(false);
        Thread client = Thread.ofPlatform().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        ok.incrementAndGet();
                        if (edited.test(r.body())) seen.set(true);
                    } else {
                        failed.incrementAndGet();
                        lastFailure.set(r.statusCode() + " " + r.body());
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                    lastFailure.set(e.toString());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            Thread.sleep(300);
            String text = Files.readString(file);
            String changed = edit.apply(text);
            assertTrue(!changed.equals(text), "the edit changes " + file);
            Files.writeString(file, changed);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!seen.get() && System.nanoTime() < deadline) Thread.sleep(20);
            if (!seen.get()) fail("the edit never showed; server output:\n" + server.output());
            int before = ok.get();
            while (ok.get() < before + 20) Thread.sleep(5); // and it keeps serving
        } finally {
            client.interrupt();
            client.join(15_000);
        }
        assertEquals(0, failed.get(), "failed requests during the reload, last: " + lastFailure.get() + "\n" + server.output());
        server.await(consoleLine, 30); // printed just after the swap, so it may trail the first new responses
    }

    private static String curl(int port, String path) throws Exception {
        if (Files.isExecutable(Path.of("/usr/bin/curl")) || "required".equals(System.getenv("CARAFE_E2E"))) {
            Shell.Result r = shell.run(work, 30, "curl", "-sS", "-f", "http://127.0.0.1:" + port + path);
            assertEquals(0, r.status(), r.output());
            return r.output();
        }
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
