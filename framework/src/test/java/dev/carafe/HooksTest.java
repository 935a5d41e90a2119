package dev.carafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.testing.TestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HooksTest {
    private final List<String> log = new ArrayList<>();

    /** An app with a blueprint, each logging every hook, so the order is visible. */
    private App app() {
        App app = new App(new Config(java.util.Map.of(), null));
        app.before(ctx -> log("app.before1"));
        app.before(ctx -> log("app.before2"));
        app.after((ctx, reply) -> {
            log.add("app.after1");
            return reply.header("X-App-After", "1");
        });
        app.after((ctx, reply) -> {
            log.add("app.after2");
            return reply;
        });
        app.teardown((ctx, error) -> log.add("app.teardown " + (error == null ? "ok" : error.getClass().getSimpleName())));
        app.get("/", ctx -> {
            log.add("app.endpoint");
            return "home";
        });

        Blueprint bp = new Blueprint("admin", "/admin");
        bp.before(ctx -> {
            log.add("bp.before");
            return ctx.query("deny") != null ? Reply.text("denied").status(403) : null;
        });
        bp.after((ctx, reply) -> {
            log.add("bp.after");
            return Reply.text(reply.bodyText() + " (wrapped)").status(reply.status());
        });
        bp.teardown((ctx, error) -> log.add("bp.teardown " + (error == null ? "ok" : error.getMessage())));
        bp.get("/", ctx -> {
            log.add("bp.endpoint");
            return "admin home";
        });
        bp.get("/boom", ctx -> {
            log.add("bp.endpoint");
            throw new IllegalStateException("boom");
        });
        app.register(bp);
        return app;
    }

    private Object log(String entry) {
        log.add(entry);
        return null;
    }

    @Test
    void hooksRunOuterToInnerBeforeAndInnerToOuterAfter() {
        TestClient c = TestClient.of(app());
        c.get("/admin/").send().assertStatus(200).assertBody("admin home (wrapped)").assertHeader("X-App-After", "1");
        assertEquals(List.of("app.before1", "app.before2", "bp.before", "bp.endpoint", "bp.after", "app.after2", "app.after1",
                "bp.teardown ok", "app.teardown ok"), log);
    }

    @Test
    void appHooksAloneRunForAppRoutes() {
        TestClient.of(app()).get("/").send().assertBody("home");
        assertEquals(List.of("app.before1", "app.before2", "app.endpoint", "app.after2", "app.after1", "app.teardown ok"), log);
    }

    @Test
    void aBeforeHookThatReturnsAValueEndsTheRequestButAfterHooksStillSeeIt() {
        TestClient.of(app()).get("/admin/?deny=1").send().assertStatus(403).assertBody("denied (wrapped)").assertHeader("X-App-After", "1");
        assertEquals(List.of("app.before1", "app.before2", "bp.before", "bp.after", "app.after2", "app.after1",
                "bp.teardown ok", "app.teardown ok"), log);
    }

    @Test
    void teardownRunsAfterAnErrorAndSeesIt() {
        TestClient.of(app()).get("/admin/boom").send().assertStatus(500).assertBodyLacks("boom");
        assertEquals(List.of("app.before1", "app.before2", "bp.before", "bp.endpoint", "bp.teardown boom", "app.teardown IllegalStateException"),
                log, "after hooks are for successful endpoints; teardown always runs");
    }

    @Test
    void teardownRunsForUnroutedRequestsAndAFailingTeardownDoesNotBreakTheResponse() {
        App app = new App(new Config(java.util.Map.of(), null));
        AtomicReference<Throwable> seen = new AtomicReference<>();
        app.teardown((ctx, error) -> seen.set(error));
        app.teardown((ctx, error) -> {
            throw new IllegalStateException("teardown failed");
        });
        app.get("/", ctx -> "ok");
        TestClient c = TestClient.of(app);
        c.get("/nowhere").send().assertStatus(404);
        assertTrue(seen.get() instanceof HttpError he && he.status() == 404, String.valueOf(seen.get()));
        c.get("/").send().assertStatus(200).assertBody("ok");
        assertNull(seen.get());
    }

    @Test
    void hooksShareStateThroughContextAttributes() {
        App app = new App(new Config(java.util.Map.of(), null));
        AtomicReference<Object> atTeardown = new AtomicReference<>();
        app.before(ctx -> {
            ctx.attribute("user", "ada");
            return null;
        });
        app.teardown((ctx, error) -> atTeardown.set(ctx.attribute("user")));
        app.get("/", ctx -> "hello " + ctx.attribute("user"));
        TestClient.of(app).get("/").send().assertBody("hello ada");
        assertSame("ada", atTeardown.get());
    }

    @Test
    void anAfterHookReturningNullIsA500NotACrash() {
        App app = new App(new Config(java.util.Map.of(), null));
        app.after((ctx, reply) -> null);
        app.get("/", ctx -> "x");
        TestClient.of(app).get("/").acceptJson().send().assertStatus(500).assertBody("{\"status\":500,\"error\":\"Internal Server Error\"}");
    }

    @Test
    void hooksCannotBeAddedOnceServing() {
        App app = new App(new Config(java.util.Map.of(), null));
        app.get("/", ctx -> "x");
        TestClient.of(app);
        try {
            app.before(ctx -> null);
            throw new AssertionError("expected IllegalStateException");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage().contains("already serving"));
        }
    }
}
