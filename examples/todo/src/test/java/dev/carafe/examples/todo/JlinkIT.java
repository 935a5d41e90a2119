package dev.carafe.examples.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runtime of the Dockerfile in docs/deployment.md, built the same way: {@code jlink} with
 * only the modules the app needs ({@code MODULES}, what {@code jdeps --print-module-deps} reports
 * without the dev-mode and test-client ones), then {@code todo.jar} started from it, answering a
 * page, its readiness probe, and stopping cleanly on SIGTERM.
 */
class JlinkIT {
    /** Keep in step with docs/deployment.md's Dockerfile. */
    static final String MODULES = "java.base,java.management,java.sql";

    @Test
    void theAppRunsOnATrimmedRuntime() throws Exception {
        Path javaHome = Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().getParent();
        Path jlink = javaHome.resolve("bin/jlink");
        assertTrue(Files.isExecutable(jlink), "the JDK running the tests has jlink: " + jlink);
        Path runtime = Path.of("target/jlink-runtime");
        if (Files.exists(runtime)) {
            try (var files = Files.walk(runtime)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Process link = new ProcessBuilder(jlink.toString(), "--add-modules", MODULES, "--strip-debug", "--no-header-files",
                "--no-man-pages", "--output", runtime.toString()).redirectErrorStream(true).start();
        String linkOutput = new String(link.getInputStream().readAllBytes());
        assertTrue(link.waitFor(120, TimeUnit.SECONDS), "jlink took too long");
        assertEquals(0, link.exitValue(), linkOutput);
        assertFalse(Files.exists(runtime.resolve("bin/javac")), "a runtime, not a JDK");

        Path log = Files.createTempFile("todo-jlink", ".log");
        ProcessBuilder pb = new ProcessBuilder(runtime.resolve("bin/java").toString(), "-jar",
                System.getProperty("todo.jar", "target/todo.jar"), "--port", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CARAFE_SECRET_KEY", "jlink-it");
        pb.environment().remove("CARAFE_DEBUG");
        Process app = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String out;
            while (!(out = Files.readString(log)).contains("Running on http://")) {
                assertTrue(app.isAlive() && System.nanoTime() < deadline, "did not start: " + out);
                Thread.sleep(20);
            }
            String base = out.substring(out.indexOf("Running on ") + 11).lines().findFirst().orElseThrow().trim();
            HttpClient http = HttpClient.newHttpClient();
            var page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.body().contains("Try Carafe"), "a template rendered, with the seeded todo");
            var ready = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            app.destroy(); // SIGTERM: the graceful stop
            assertTrue(app.waitFor(20, TimeUnit.SECONDS), "stopped on SIGTERM");
            assertEquals(143, app.exitValue(), "128 + SIGTERM, as the JVM exits on it: " + Files.readString(log));
            assertFalse(Files.readString(log).contains("Exception"), Files.readString(log));
        } finally {
            app.destroyForcibly();
        }
    }
}
