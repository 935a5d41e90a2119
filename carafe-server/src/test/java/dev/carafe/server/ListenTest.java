package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Where the server listens: loopback by default, ephemeral ports, a clear error for a taken port. */
class ListenTest {
    @Test
    void defaultsToLoopback() {
        assertEquals("127.0.0.1", ServerConfig.defaults().host());
        assertEquals(8080, ServerConfig.defaults().port());
    }

    @Test
    void portZeroPicksAFreePortAndReportsIt() throws Exception {
        try (Server s = Server.start(ServerConfig.builder().port(0).accessLog(null).build(), (req, res) -> res.send("up"))) {
            assertNotEquals(0, s.port());
            assertEquals(s.port(), s.address().getPort());
            assertEquals(InetAddress.getByName("127.0.0.1"), s.address().getAddress());
            assertEquals("http://127.0.0.1:" + s.port(), s.url());
            try (RawClient c = new RawClient(s.port())) {
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("up", c.read().body);
            }
        }
    }

    @Test
    void portInUseGivesAOneLineBindException() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            BindException e = assertThrows(BindException.class,
                    () -> Server.start(TestServers.config().port(port).build(), (req, res) -> {}));
            String message = e.getMessage();
            assertTrue(message.contains("127.0.0.1:" + port), message);
            assertTrue(message.contains("in use"), message);
            assertFalse(message.contains("\n"), message);
        }
    }

    @Test
    void stopReleasesThePort() throws Exception {
        Server first = TestServers.start((req, res) -> res.send("first"));
        int port = first.port();
        assertTrue(first.stop(Duration.ofSeconds(1)));
        try (Server second = TestServers.start(TestServers.config().port(port), (req, res) -> res.send("second"));
             RawClient c = new RawClient(port)) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("second", c.read().body);
        }
    }
}
