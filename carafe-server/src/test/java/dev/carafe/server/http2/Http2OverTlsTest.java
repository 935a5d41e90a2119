package dev.carafe.server.http2;

import static dev.carafe.server.http2.ErrorCode.NO_ERROR;
import static dev.carafe.server.http2.Frames.*;
import static dev.carafe.server.http2.H2Client.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.server.Http2Config;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import dev.carafe.server.TlsClients;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 frames over TLS whose ALPN chose h2: the connection's life (a graceful stop's two GOAWAYs,
 * which reach a reader waiting on the TLS socket and one left idle with no thread) as on the plain port.
 */
class Http2OverTlsTest {
    @AfterEach
    void releaseHeld() {
        ConformanceServer.releaseAll();
    }

    private static Server start() throws Exception {
        return ConformanceServer.start(Http2Config.defaults(), ServerConfig.builder().tls(TlsClients.cert().tls()));
    }

    private static H2Client connect(Server server) throws Exception {
        SSLSocket s = TlsClients.socket(server.port(), "localhost", "h2", "http/1.1");
        assertEquals("h2", s.getApplicationProtocol(), "ALPN prefers h2");
        return H2Client.connect(s);
    }

    @Test
    void requestsOnOneTlsConnection() throws Exception {
        Server server = start();
        try (H2Client c = connect(server)) {
            for (int id = 1; id <= 7; id += 2) c.assertStillServes(id);
            c.headers(9, true, get("/big?60000"));
            H2Client.Response big = c.response(9);
            assertEquals(200, big.status());
            assertEquals(60_000, big.body().length(), "several TLS records, each of DATA frames");
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    /** The reader waits in the TLS socket while a stream runs; the stop's wake-up must reach it. */
    @Test
    void gracefulStopOverTls() throws Exception {
        Server server = start();
        try (H2Client c = connect(server)) {
            c.assertStillServes(1);
            c.headers(3, true, get("/hold?tlsstop"));
            Thread.sleep(100); // the handler is running
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(5)));
            H2Client.Frame first = c.await(GOAWAY, 0);
            assertEquals(Integer.MAX_VALUE, first.int32(0));
            assertEquals(NO_ERROR, first.int32(4));
            H2Client.Frame ping = c.await(PING, 0);
            c.send(PING, ACK, 0, ping.payload());
            assertEquals(3, c.await(GOAWAY, 0).int32(0), "final GOAWAY: the last stream taken");
            ConformanceServer.hold("tlsstop").release();
            assertEquals("held", c.response(3).body(), "the stream in flight finishes");
            c.expectClosed();
            assertTrue(stopped.get(), "stopped cleanly, before the deadline");
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    /** An idle connection has no thread: the final GOAWAY (a second after the unanswered PING) must resume it. */
    @Test
    void gracefulStopReachesAnIdleTlsConnection() throws Exception {
        Server server = start();
        try (H2Client c = connect(server)) {
            c.assertStillServes(1);
            Thread.sleep(200); // idle: the connection's thread has ended
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(5)));
            assertEquals(Integer.MAX_VALUE, c.await(GOAWAY, 0).int32(0));
            assertEquals(1, c.await(GOAWAY, 0).int32(0));
            c.expectClosed();
            assertTrue(stopped.get());
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }
}
