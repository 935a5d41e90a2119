package dev.carafe.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carafe.App;
import dev.carafe.testing.TestClient;
import dev.carafe.testing.TestResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An urlencoded form body of arbitrary bytes (docs/fuzzing.md). The app answers 200 with the
 * fields it read, or 400 for malformed percent-encoding, nothing else; the fields are those an
 * independent decoding (WHATWG application/x-www-form-urlencoded, as {@link #reference}) finds.
 */
class FormFuzzTest {
    private static final TestClient CLIENT;

    static {
        App app = new App();
        app.post("/", ctx -> Fuzzing.describe(ctx.formMap()));
        CLIENT = TestClient.of(app);
    }

    @FuzzTest
    void readsTheFieldsAnIndependentDecodingFinds(byte[] body) {
        if (body == null) return;
        TestResponse r = CLIENT.post("/").body(body, "application/x-www-form-urlencoded").send();
        Map<String, List<String>> expected = reference(new String(body, StandardCharsets.UTF_8));
        if (expected == null) {
            assertEquals(400, r.status(), r.body());
        } else {
            assertEquals(200, r.status(), r.body());
            assertEquals(Fuzzing.describe(expected), r.body());
        }
    }

    /** Pairs split at '&' and the first '='; '+' is a space; %XX runs are UTF-8 bytes. Null for a bad escape. */
    static Map<String, List<String>> reference(String s) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : s.split("&", -1)) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (name == null || value == null) return null;
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String s) {
        StringBuilder out = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) return null;
                int hi = hex(s.charAt(i + 1)), lo = hex(s.charAt(i + 2));
                if (hi < 0 || lo < 0) return null;
                bytes.write(hi << 4 | lo);
                i += 2;
                continue;
            }
            if (bytes.size() > 0) {
                out.append(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
            out.append(c == '+' ? ' ' : c);
        }
        out.append(bytes.toString(StandardCharsets.UTF_8));
        return out.toString();
    }

    /** An ASCII hex digit's value, or -1: Character.digit would also take other scripts' digits. */
    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
