package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connection poller as JDK 21–24 run it, on a platform thread of its own (JDK 25+ runs it on a
 * virtual thread; {@code -Dcarafe.poller=platform} forces the older way, which is how this runs on
 * the JDK the build uses). Keep-alive, pipelining, idle connections woken again and idle timeouts
 * all go through the poller. A platform-thread poller runs beside the connections' threads, which
 * makes it likely to see a socket readable again before the woken thread has read it.
 */
class PlatformPollerTest {
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("carafe.poller", "platform");
        try {
            server = TestServers.start(TestServers.config().idleTimeout(Duration.ofMillis(500)),
                    (req, res) -> res.send("hi " + req.target()));
        } finally {
            System.clearProperty("carafe.poller");
        }
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(1));
    }

    @Test
    void theLoopRunsOnAPlatformThread() {
        // Thread.getAllStackTraces lists platform threads only: a virtual poller would not be there.
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("carafe-poller-") && !t.isVirtual() && t.isAlive()));
    }

    @Test
    void keepAliveAndPipelinedRequests() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 50; i++) {
            HttpResponse<String> res = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/k" + i)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("hi /k" + i, res.body());
        }
        try (RawClient c = new RawClient(server.port())) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 16; i++) batch.append("GET /p").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            c.send(batch.toString());
            for (int i = 0; i < 16; i++) assertEquals("hi /p" + i, c.read().body);
        }
    }

    @Test
    void idleConnectionsAreWokenAndTimedOut() throws Exception {
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                RawClient c = new RawClient(server.port());
                clients.add(c);
                c.send("GET /a" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("hi /a" + i, c.read().body);
            }
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 50; i++) clients.get(i).send("GET /b" + round + "." + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                for (int i = 0; i < 50; i++) assertEquals("hi /b" + round + "." + i, clients.get(i).read().body);
                // Served and idle again, well before the idle timeout: no connection may hold a thread.
                // One the poller woke twice would wait for a head (readiness is level-triggered).
                long deadline = System.nanoTime() + 200_000_000L;
                while (IdleConnectionsTest.connectionThreads() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
                assertEquals(0, IdleConnectionsTest.connectionThreads(), "idle connections holding a thread after round " + round);
            }
            for (RawClient c : clients) assertTrue(c.closedWithin(3000), "an idle connection outlived its timeout");
        } finally {
            for (RawClient c : clients) c.close();
        }
    }
}
