package dev.carafe.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carafe.App;
import dev.carafe.testing.TestClient;
import dev.carafe.testing.TestResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Session cookies (docs/fuzzing.md). One the app did not sign, whatever its bytes, is no session:
 * the request is served (200) with an empty one. Values the app put in a session, any text, come
 * back exactly on the next request.
 */
class SessionFuzzTest {
    private static final App APP = new App();

    static {
        APP.config().setDefault("SECRET_KEY", "fuzzing-secret");
        APP.enableSessions();
        APP.get("/", ctx -> {
            Map<String, List<String>> seen = new LinkedHashMap<>();
            ctx.session().asMap().forEach((k, v) -> seen.put(k, List.of(v)));
            return Fuzzing.describe(seen);
        });
        APP.post("/put", ctx -> {
            ctx.session().put(ctx.form("k"), ctx.form("v"));
            return "ok";
        });
    }

    @FuzzTest
    void forgedCookiesAreNoSessionAndStoredValuesComeBack(FuzzedDataProvider data) {
        TestClient client = TestClient.of(APP);
        if (data.consumeBoolean()) {
            String forged = data.consumeRemainingAsAsciiString();
            if (!forged.chars().allMatch(c -> c >= 0x21 && c <= 0x7e && c != ';' && c != '"' && c != ',')) return;
            TestResponse r = client.get("/").header("Cookie", "session=" + forged).send();
            assertEquals(200, r.status(), r.body());
            assertEquals("", r.body(), "a session from a cookie the app never signed");
            return;
        }
        Map<String, List<String>> stored = new LinkedHashMap<>();
        int n = data.consumeInt(1, 4);
        for (int i = 0; i < n; i++) {
            String k = data.consumeString(30), v = data.consumeString(60);
            if (k.isEmpty()) continue;
            TestResponse put = client.post("/put").form("k", k).form("v", v).send();
            assertEquals(200, put.status(), put.body());
            stored.put(k, List.of(v));
        }
        TestResponse r = client.get("/").send();
        assertEquals(200, r.status(), r.body());
        assertEquals(Fuzzing.describe(new LinkedHashMap<>(stored)), r.body());
        assertTrue(stored.isEmpty() || client.cookies().containsKey("session"), "the session went out as a cookie");
    }
}
