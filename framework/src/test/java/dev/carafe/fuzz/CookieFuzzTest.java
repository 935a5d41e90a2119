package dev.carafe.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carafe.App;
import dev.carafe.testing.TestClient;
import dev.carafe.testing.TestResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A {@code Cookie} request header of arbitrary text (docs/fuzzing.md). The app always answers
 * 200, and reads the cookies RFC 6265 §5.4's serialization gives back: pairs split at ';', each
 * name and value trimmed, a value's surrounding double quotes removed (RFC 6265 §4.1.1), the
 * first of two cookies with one name kept (the one with the longer path, sent first).
 */
class CookieFuzzTest {
    private static final TestClient CLIENT;

    static {
        App app = new App();
        app.get("/", ctx -> {
            Map<String, List<String>> seen = new LinkedHashMap<>();
            ctx.cookies().forEach((k, v) -> seen.put(k, List.of(v)));
            return Fuzzing.describe(seen);
        });
        CLIENT = TestClient.of(app);
    }

    /** Found by the fuzz target: a nameless pair after the first ("; =x") became a cookie named "". */
    @Test
    void aPairWithoutANameIsNoCookieWhereverItIs() {
        assertEquals("a=1\nb=2\n", CLIENT.get("/").header("Cookie", "=x; a=1;  =y; b=2").send().body());
    }

    @FuzzTest
    void readsTheCookiesTheHeaderSerializes(String header) {
        if (header == null || !header.chars().allMatch(c -> c == '\t' || c >= 0x20 && c <= 0xff && c != 0x7f)) return; // what a header can hold
        TestResponse r = CLIENT.get("/").header("Cookie", header).send();
        assertEquals(200, r.status(), r.body());
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (String pair : header.split(";", -1)) {
            int eq = pair.indexOf('=');
            if (eq < 0) continue;
            String name = pair.substring(0, eq).strip(), value = pair.substring(eq + 1).strip();
            if (name.isEmpty()) continue;
            if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
                value = value.substring(1, value.length() - 1);
            }
            expected.putIfAbsent(name, List.of(value));
        }
        assertEquals(Fuzzing.describe(expected), r.body());
    }
}
