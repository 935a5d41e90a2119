package dev.carafe.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carafe.App;
import dev.carafe.testing.TestClient;
import dev.carafe.testing.TestResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A JSON request body of arbitrary bytes bound to a record (docs/fuzzing.md). The app answers 200
 * or, for malformed JSON or a wrong shape, 400 with a message: never 500. What it bound, written
 * back as JSON and bound again, is the same value.
 */
class JsonBodyFuzzTest {
    record Address(String city, int zip) {}

    record Order(String name, int count, double price, boolean gift, List<String> tags, Address ship, Map<String, Long> extra) {}

    private static final TestClient CLIENT;

    static {
        App app = new App();
        app.post("/", ctx -> ctx.bodyAs(Order.class));
        app.post("/same", ctx -> String.valueOf(ctx.bodyAs(Order.class)));
        CLIENT = TestClient.of(app);
    }

    @FuzzTest
    void bindsOrRefusesWith400AndRoundTrips(byte[] body) {
        if (body == null) return;
        TestResponse r = CLIENT.post("/").body(body, "application/json").send();
        assertTrue(r.status() == 200 || r.status() == 400, r.status() + " " + r.body());
        if (r.status() == 400) {
            assertTrue(!r.body().isBlank() && !r.body().contains("\tat "), "a message, no stack trace: " + r.body());
            return;
        }
        String once = CLIENT.post("/same").body(body, "application/json").send().body();
        TestResponse again = CLIENT.post("/same").body(r.bodyBytes(), "application/json").send();
        assertEquals(200, again.status(), new String(r.bodyBytes(), StandardCharsets.UTF_8));
        assertEquals(once, again.body());
    }
}
