package dev.carafe.dev;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the DevTools protocol with the JDK's own WebSocket client: enough
 * to open a page and evaluate JavaScript in it, without a browser-automation library.
 */
final class Chromium implements AutoCloseable {
    private final Process process;
    private final Path profile;
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    /** The browser binary, or null when absent (CI installs it; CARAFE_E2E=required makes absence a failure). */
    static Path binary() {
        Path p = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        return Files.isExecutable(p) ? p : null;
    }

    /** @param flags more command-line switches, e.g. {@code --ignore-certificate-errors-spki-list=…} */
    Chromium(Path binary, String... flags) throws IOException {
        profile = Files.createTempDirectory("carafe-chromium");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(binary.toString(), "--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--remote-debugging-port=0", "--user-data-dir=" + profile));
        command.addAll(java.util.List.of(flags));
        command.add("about:blank");
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Pattern devtools = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");
        int found = -1;
        for (String line; found < 0 && (line = r.readLine()) != null; ) {
            Matcher m = devtools.matcher(line);
            if (m.find()) found = Integer.parseInt(m.group(1));
        }
        if (found < 0) throw new IOException("Chromium did not start its DevTools endpoint");
        port = found;
        Thread.ofPlatform().daemon().start(() -> {
            try {
                r.transferTo(java.io.Writer.nullWriter());
            } catch (IOException ignored) {
                // browser closed
            }
        });
    }

    /** Opens {@code url} in a new tab. */
    Page open(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/new?" + url))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"webSocketDebuggerUrl\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        if (!m.find()) throw new IOException("No debugger URL: " + r.body());
        return new Page(http, m.group(1));
    }

    /** One tab: evaluates expressions and returns their values as JSON text. */
    static final class Page implements WebSocket.Listener {
        private final WebSocket socket;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();

        Page(HttpClient http, String ws) {
            socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), this).join();
        }

        /** The value of {@code expression} in the page, as the JSON the protocol returns it in. */
        String eval(String expression) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<String> reply = new CompletableFuture<>();
            pending.put(id, reply);
            String escaped = expression.replace("\\", "\\\\").replace("\"", "\\\"");
            socket.sendText("{\"id\":" + id + ",\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"" + escaped
                    + "\",\"returnByValue\":true}}", true);
            return reply.get(10, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String msg = partial.toString();
                partial.setLength(0);
                Matcher m = Pattern.compile("^\\{\"id\":(\\d+),").matcher(msg);
                if (m.find()) {
                    CompletableFuture<String> f = pending.remove(Integer.parseInt(m.group(1)));
                    if (f != null) f.complete(msg);
                }
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        // Chromium's helper processes (renderer, crashpad) outlive the browser process for a moment
        // and keep writing into the profile: end them all before deleting it.
        java.util.List<ProcessHandle> all = new java.util.ArrayList<>(process.descendants().toList());
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        all.addAll(process.descendants().toList());
        for (ProcessHandle p : all) p.destroyForcibly();
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // gone already, or stuck: the deletion below retries
            }
        }
        for (int attempt = 0; ; attempt++) {
            try {
                IncrementalCompiler.deleteTree(profile);
                return;
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                if (attempt == 20) throw e;
                try {
                    Thread.sleep(100); // a file was still being written as the tree went
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
