package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void answersKeepsAliveAndPipelines() throws Exception {
        try (Server server = TestServers.start((req, res) -> res.send("hi " + req.path()));
             RawClient c = new RawClient(server.port())) {
            c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp a = c.read();
            RawClient.Resp b = c.read();
            assertEquals(200, a.status);
            assertEquals("hi /a", a.body);
            assertEquals("hi /b", b.body);
            assertNotNull(a.header("Date"));
            c.send("GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawClient.Resp cl = c.read();
            assertEquals("close", cl.header("Connection"));
            assertTrue(c.closedWithin(2000));
        }
    }

    @Test
    void garbageGets400AtOnce() throws Exception {
        try (Server server = TestServers.start((req, res) -> res.send("x"));
             RawClient c = new RawClient(server.port())) {
            c.send(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
            assertEquals(400, c.read().status);
            assertTrue(c.closedWithin(2000));
        }
    }
}
