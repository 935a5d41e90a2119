package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carafe.server.http1.ReferenceFraming;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Arbitrary bytes as one connection's request stream, through a real server (docs/fuzzing.md):
 * head parsing, Content-Length and chunked bodies, pipelining. The handler reads each body to its
 * end and names what it saw ({@link FramingProbe}). Invariants: the server answers every request
 * it serves with exactly the method, target and body length {@link ReferenceFraming} reads from the
 * same bytes; it serves no request that reading cannot frame; and it stops, if it stops early,
 * only with a 4xx or after a response that said {@code Connection: close} (HTTP/1.0, say).
 */
class ConnectionFuzzTest {
    private static FramingProbe probe;

    @BeforeAll
    static void start() throws IOException {
        probe = new FramingProbe();
    }

    @AfterAll
    static void stop() {
        probe.close();
    }

    @FuzzTest
    void servesExactlyTheRequestsAReferenceReadingFrames(byte[] stream) throws IOException {
        if (stream == null) return;
        FramingProbe.Served served;
        // Jazzer's SSRF detector flags every connection; this target's only one is to its own server.
        try (SilentCloseable allowed = BugDetectors.allowNetworkConnections((host, port) -> port == probe.server.port())) {
            served = probe.send(stream);
        }
        List<String> seen = served.requests();
        List<String> framed = ReferenceFraming.requests(stream).stream().map(Object::toString).toList();
        assertTrue(seen.size() <= framed.size() && framed.subList(0, seen.size()).equals(seen),
                "served " + seen + " but the reference frames " + framed);
        if (seen.size() < framed.size()) {
            assertTrue(served.stop() != 0, "stopped before " + framed.get(seen.size()) + " without a refusal or Connection: close");
        }
    }
}
