package dev.carafe.server.http2;

import static dev.carafe.server.http2.ErrorCode.*;
import static dev.carafe.server.http2.Frames.*;
import static dev.carafe.server.http2.H2Client.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.server.Http2Config;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An HTTP/2 connection's life: how it starts (preface, Upgrade), idles with no thread, times out, and stops gracefully. */
class Http2LifecycleTest {
    @AfterEach
    void releaseHeld() {
        ConformanceServer.releaseAll();
    }

    /**
     * Two steps (RFC 9113 §6.8): GOAWAY with the largest id and a PING, so a request already on its
     * way is still served; then, when the PING returns, GOAWAY with the last stream taken.
     */
    @Test
    void gracefulStopSaysGoAwayFinishesStreamsInFlightAndRefusesNewOnes() throws Exception {
        Server server = ConformanceServer.start();
        try (H2Client c = H2Client.connect(server.port())) {
            c.assertStillServes(1);
            c.headers(3, true, get("/hold?stop"));
            Thread.sleep(100); // the handler is running
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(5)));
            H2Client.Frame first = c.await(GOAWAY, 0);
            assertEquals(Integer.MAX_VALUE, first.int32(0), "first GOAWAY: nothing refused yet");
            assertEquals(NO_ERROR, first.int32(4));
            H2Client.Frame ping = c.await(PING, 0);
            c.headers(5, true, get("/crossing"));
            assertEquals("ok /crossing", c.response(5).body(), "a request sent before the client saw the GOAWAY is served");
            c.send(PING, ACK, 0, ping.payload());
            H2Client.Frame last = c.await(GOAWAY, 0);
            assertEquals(5, last.int32(0), "final GOAWAY: the last stream taken");
            c.headers(7, true, get("/late"));
            c.expectReset(7, REFUSED_STREAM);
            ConformanceServer.hold("stop").release();
            assertEquals("held", c.response(3).body(), "the stream in flight finishes");
            c.expectClosed();
            assertTrue(stopped.get(), "stopped cleanly, before the deadline");
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    /** A client that never answers the PING gets the final GOAWAY a second later; an idle connection then closes. */
    @Test
    void gracefulStopOfAnIdleConnection() throws Exception {
        Server server = ConformanceServer.start();
        try (H2Client c = H2Client.connect(server.port())) {
            c.assertStillServes(1);
            Thread.sleep(100); // parked idle, no thread
            long start = System.nanoTime();
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(5)));
            assertEquals(Integer.MAX_VALUE, c.await(GOAWAY, 0).int32(0));
            assertEquals(1, c.await(GOAWAY, 0).int32(0));
            c.expectClosed();
            assertTrue(stopped.get());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 900 && millis < 4000, "about a second: " + millis);
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void idleConnectionsHoldNoThreadAndAreServedAgain() throws Exception {
        Server server = ConformanceServer.start();
        List<H2Client> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                H2Client c = H2Client.connect(server.port());
                c.assertStillServes(1);
                clients.add(c);
            }
            long threads = -1;
            for (int i = 0; i < 50 && threads != 0; i++) {
                Thread.sleep(20);
                threads = ThreadDump.http2Threads();
            }
            assertEquals(0, threads, "20 idle HTTP/2 connections, no thread in their read loops");
            for (H2Client c : clients) c.assertStillServes(3);
        } finally {
            for (H2Client c : clients) c.close();
            server.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void idleTimeoutSaysGoAwayAndCloses() throws Exception {
        Server server = ConformanceServer.start(Http2Config.defaults(), ServerConfig.builder().idleTimeout(Duration.ofMillis(300)));
        try (H2Client c = H2Client.connect(server.port())) {
            c.assertStillServes(1);
            long start = System.nanoTime();
            H2Client.Frame g = c.await(GOAWAY, 0);
            assertEquals(NO_ERROR, g.int32(4));
            assertEquals(1, g.int32(0));
            assertTrue((System.nanoTime() - start) / 1_000_000 >= 250);
            c.expectClosed();
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    /** RFC 7540 §3.2: the 101, the server's SETTINGS, and the upgrading request answered on stream 1. */
    @Test
    void upgradeFromHttp11AnswersTheRequestOnStream1() throws Exception {
        Server server = ConformanceServer.start();
        try (H2Client c = new H2Client(server.port())) {
            c.raw(("GET /first HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                    + "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String head = readHead(c.socket.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
            assertTrue(head.contains("Upgrade: h2c"), head);
            c.raw(PREFACE);
            c.settings();
            assertEquals(SETTINGS, c.read().type(), "the server's preface");
            assertEquals("ok /first", c.response(1).body());
            c.assertStillServes(3);
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    /** An absolute-form request line (as to a proxy) still gives stream 1 a path. */
    @Test
    void upgradeOfAnAbsoluteFormRequest() throws Exception {
        Server server = ConformanceServer.start();
        try (H2Client c = new H2Client(server.port())) {
            c.raw(("GET http://localhost/abs?x=1 HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: \r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(readHead(c.socket.getInputStream()).startsWith("HTTP/1.1 101 "));
            c.raw(PREFACE);
            c.settings();
            assertEquals("ok /abs", c.response(1).body());
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void upgradeWithABodyOrWithoutSettingsStaysOnHttp11() throws Exception {
        Server server = ConformanceServer.start();
        try {
            String[] requests = {
                "POST /echo HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: \r\nContent-Length: 2\r\n\r\nhi",
                "GET /x HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n",
            };
            for (String r : requests) {
                try (Socket s = new Socket("127.0.0.1", server.port())) {
                    s.setSoTimeout(5000);
                    s.getOutputStream().write(r.getBytes(StandardCharsets.ISO_8859_1));
                    String head = readHead(s.getInputStream());
                    assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
                }
            }
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    /** Only the exact preface at a connection's start switches; HTTP/1.1 still answers 505 to the rest. */
    @Test
    void anythingButTheExactPrefaceIsHttp11() throws Exception {
        Server server = ConformanceServer.start();
        try {
            for (String r : List.of("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", "GET / HTTP/1.1\r\nHost: h\r\n\r\nPRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")) {
                try (Socket s = new Socket("127.0.0.1", server.port())) {
                    s.setSoTimeout(5000);
                    s.getOutputStream().write(r.getBytes(StandardCharsets.ISO_8859_1));
                    String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                    assertTrue(all.contains("HTTP/1.1 505 "), all);
                }
            }
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    /** The preface in pieces, a byte at a time, is still recognized. */
    @Test
    void prefaceArrivingInPiecesIsRecognized() throws Exception {
        Server server = ConformanceServer.start();
        try (H2Client c = new H2Client(server.port())) {
            for (byte b : PREFACE) {
                c.raw(new byte[] {b});
                Thread.sleep(2);
            }
            c.settings();
            assertEquals(SETTINGS, c.read().type());
            c.assertStillServes(1);
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    private static String readHead(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) break;
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
