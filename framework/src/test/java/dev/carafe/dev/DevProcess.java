package dev.carafe.dev;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;

/**
 * A throw-away project in a temp folder, built once as an IDE would and started in debug mode in a
 * separate JVM from that folder: what a developer does, observed over real HTTP.
 */
final class DevProcess implements AutoCloseable {
    static final String MAIN = "demo/Main.java";
    final Path root;
    private Process process;
    final List<String> console = new CopyOnWriteArrayList<>();
    String url;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DevProcess(Path root) {
        this.root = root;
    }

    /** Writes {@code content} to {@code src/main/java/<relative>} (or any path under the root). */
    DevProcess source(String relative, String content) throws IOException {
        Path p = relative.startsWith("src/") ? root.resolve(relative) : root.resolve("src/main/java").resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return this;
    }

    /** Compiles the sources into target/classes (the IDE's build), then starts the app with --debug. */
    DevProcess start() throws Exception {
        Path classes = root.resolve("target/classes");
        Files.createDirectories(classes);
        List<String> sources;
        try (var walk = Files.walk(root.resolve("src/main/java"))) {
            sources = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        String cp = System.getProperty("java.class.path");
        List<String> args = new java.util.ArrayList<>(List.of("-d", classes.toString(), "-cp", cp));
        args.addAll(sources);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(new String[0]));
        if (rc != 0) throw new IllegalStateException("initial compile failed");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", classes + File.pathSeparator + cp, "demo.Main", "--debug",
                "--port", "0").directory(root.toFile()).redirectErrorStream(true);
        pb.environment().put("CARAFE_REBUILD", "true"); // the sources are compiled by the restarted process itself
        process = pb.start();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) console.add(line);
            } catch (IOException ignored) {
                // process ended
            }
        });
        String running = awaitConsole(l -> l.startsWith("Running on "), 20_000);
        Matcher m = Pattern.compile("Running on (http://\\S+)").matcher(running);
        if (!m.find()) throw new IllegalStateException(running);
        url = m.group(1);
        return this;
    }

    String awaitConsole(Predicate<String> p, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            for (String line : console) if (p.test(line)) return line;
            if (process != null && !process.isAlive() && console.stream().noneMatch(p)) break;
            Thread.sleep(20);
        }
        throw new AssertionError("Console never showed the expected line; it shows:\n" + String.join("\n", console));
    }

    HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10));
        if (accept != null) b.header("Accept", accept);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code path} until its body satisfies {@code p}; returns it. */
    HttpResponse<String> awaitBody(String path, String accept, Predicate<String> p, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        HttpResponse<String> last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                last = get(path, accept);
            } catch (java.net.ConnectException e) {
                throw new AssertionError("Connection refused; console:\n" + String.join("\n", console), e);
            }
            if (p.test(last.body())) return last;
            Thread.sleep(25);
        }
        throw new AssertionError("Body never matched; last: " + (last == null ? null : last.statusCode() + " " + last.body())
                + "\nConsole:\n" + String.join("\n", console));
    }

    /** The supervisor's status as JSON text. */
    String status() throws Exception {
        return get("/__carafe/status", null).body();
    }

    int generation() throws Exception {
        Matcher m = Pattern.compile("\"generation\":(\\d+)").matcher(status());
        if (!m.find()) throw new IllegalStateException(status());
        return Integer.parseInt(m.group(1));
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }
}
