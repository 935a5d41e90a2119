package dev.carafe.server.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.Set;

/**
 * The request-head parser on arbitrary bytes (docs/fuzzing.md). It gets what the connection gives
 * it, a head up to its empty line; it may refuse it only with a {@link ProtocolException} of a
 * status it documents, and a head it accepts must frame the body as {@link ReferenceFraming} does.
 */
class RequestHeadFuzzTest {
    private static final Set<Integer> STATUSES = Set.of(400, 417, 431, 501, 505);

    @FuzzTest
    void parsesOrRefusesWithADocumentedStatus(byte[] data) {
        int end = ReferenceFraming.indexOf(data, 0, "\r\n\r\n");
        byte[] head = end >= 0 ? Arrays.copyOf(data, end + 4) : Arrays.copyOf(data, data.length + 4);
        if (end < 0) System.arraycopy(new byte[] {'\r', '\n', '\r', '\n'}, 0, head, data.length, 4);
        Http1Request req;
        try {
            req = RequestParser.parse(head, 0, head.length, 100);
        } catch (ProtocolException e) {
            assertTrue(STATUSES.contains(e.status()), e.status() + " " + e.getMessage());
            return;
        }
        ReferenceFraming.Head ref = ReferenceFraming.head(head);
        assertNotNull(ref, "the parser accepted a head the reference cannot frame");
        assertEquals(ref.method(), req.method);
        assertEquals(ref.target(), req.target);
        assertEquals(ref.chunked(), req.chunked, "chunked");
        assertEquals(ref.contentLength(), req.contentLength, "Content-Length");
    }
}
