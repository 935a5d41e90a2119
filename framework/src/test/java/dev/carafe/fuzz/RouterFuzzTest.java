package dev.carafe.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carafe.routing.PathPattern;
import dev.carafe.routing.Router;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The router's path decoding on arbitrary raw paths (docs/fuzzing.md). It either finds a result
 * or refuses malformed percent-encoding with {@link IllegalArgumentException}, as documented.
 * A string parameter is its segment percent-decoded independently ({@link #decode}); building the
 * path back from the parameters finds the same route with the same parameters.
 */
class RouterFuzzTest {
    private static final Router<String> ROUTER = new Router<>();
    private static final String[] PATTERNS = {"/about", "/users/{id:int}", "/users/{id:int}/posts/", "/s/{name}",
            "/s/{name}/x", "/files/{rest:path}", "/{a}/{b}/c"};

    static {
        for (String p : PATTERNS) ROUTER.add("GET", PathPattern.parse(p), p);
        ROUTER.add("POST", PathPattern.parse("/about"), "/about");
    }

    @FuzzTest
    void decodesSegmentsAndRoundTrips(String tail) {
        if (tail == null || !tail.chars().allMatch(c -> c > 0x20 && c < 0x7f)) return; // what a request target can hold
        String raw = "/" + tail;
        Router.Result<String> r;
        try {
            r = ROUTER.find("GET", raw);
        } catch (IllegalArgumentException e) {
            assertTrue(segments(raw) == null, "refused a well-formed path: " + e.getMessage());
            return;
        }
        List<String> decoded = segments(raw);
        assertTrue(decoded != null, "accepted malformed percent-encoding");
        if (!(r instanceof Router.Found<String> found)) return;
        if (found.target().equals("/s/{name}")) assertEquals(decoded.get(1), found.params().get("name"));
        if (found.target().equals("/{a}/{b}/c")) {
            assertEquals(decoded.get(0), found.params().get("a"));
            assertEquals(decoded.get(1), found.params().get("b"));
        }
        String rebuilt = PathPattern.parse(found.target()).build(found.params());
        Router.Result<String> again = ROUTER.find("GET", rebuilt);
        Router.Found<String> f2 = assertInstanceOf(Router.Found.class, again, rebuilt);
        assertEquals(found.target(), f2.target(), rebuilt);
        assertEquals(found.params(), f2.params(), rebuilt);
    }

    /** The path's segments, each percent-decoded as UTF-8 on its own; null when an escape is malformed. */
    static List<String> segments(String raw) {
        String path = raw.length() > 1 && raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        List<String> out = new ArrayList<>();
        if (path.length() <= 1) return out;
        for (String seg : path.substring(1).split("/", -1)) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int i = 0; i < seg.length(); i++) {
                char c = seg.charAt(i);
                if (c != '%') {
                    b.write(c);
                    continue;
                }
                if (i + 2 >= seg.length()) return null;
                int hi = hex(seg.charAt(i + 1)), lo = hex(seg.charAt(i + 2));
                if (hi < 0 || lo < 0) return null;
                b.write(hi << 4 | lo);
                i += 2;
            }
            out.add(b.toString(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** An ASCII hex digit's value, or -1: Character.digit would also take other scripts' digits. */
    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
