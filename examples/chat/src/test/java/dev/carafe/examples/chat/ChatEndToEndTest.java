package dev.carafe.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chat example against strict real clients: the npm {@code ws} package (RFC 6455 and
 * permessage-deflate) and headless Chromium running {@code /selftest} (WebSocket and EventSource).
 * {@code bash .ci/run} installs both and sets {@code CARAFE_E2E=required}, which turns a missing
 * client into a failure; elsewhere a missing client skips the test with a message.
 */
class ChatEndToEndTest {
    private static final Path E2E = Path.of("e2e").toAbsolutePath();
    private static Server server;

    @BeforeAll
    static void start() throws IOException {
        server = Chat.create().start(ServerConfig.builder().host("127.0.0.1").port(0).accessLog(null).build());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop(java.time.Duration.ofSeconds(1));
    }

    private static void require(boolean present, String what) {
        if (present) return;
        String message = what + " is not installed (bash .ci/run installs it)";
        if ("required".equals(System.getenv("CARAFE_E2E"))) throw new AssertionError(message);
        Assumptions.abort(message);
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).directory(E2E.toFile()).redirectErrorStream(true).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "client did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
        return out;
    }

    @Test
    void theNpmWsClientPassesEveryCheck() throws Exception {
        require(Files.isDirectory(E2E.resolve("node_modules/ws")), "the npm ws package (npm ci in examples/chat/e2e)");
        String out = run(List.of("node", "ws-client.mjs", "ws://127.0.0.1:" + server.port()));
        assertTrue(out.contains("ok echo with permessage-deflate"), out);
        assertTrue(out.contains("ok a message over 1 MiB is closed with 1009"), out);
        assertTrue(out.strip().endsWith("PASS"), out);
    }

    @Test
    void headlessChromiumRunsTheSelftestPage() throws Exception {
        require(Files.isDirectory(E2E.resolve("node_modules/ws")), "the npm ws package (npm ci in examples/chat/e2e)");
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        require(Files.isExecutable(Path.of(chromium)), "Chromium (" + chromium + ")");
        String out = run(List.of("node", "browser.mjs", server.url(), chromium));
        assertTrue(out.contains("echo extensions: permessage-deflate"), out);
        assertTrue(out.contains("chat and feed ok"), out);
        assertTrue(out.contains("clock ok"), out);
        assertTrue(out.strip().endsWith("PASS"), out);
    }
}
