package dev.carafe.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.App;
import dev.carafe.Config;
import dev.carafe.Reply;
import dev.carafe.http.Cookie;
import dev.carafe.session.Session;
import dev.carafe.testing.TestClient;
import dev.carafe.testing.TestResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private static App app(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("CARAFE_SECRET_KEY", "test-secret");
        App app = new App(new Config(all, null)).enableSessions();
        app.post("/login", ctx -> {
            ctx.session().put("user", ctx.query("name"));
            return "logged in";
        });
        app.get("/me", ctx -> {
            String user = ctx.session().get("user");
            return user == null ? "anonymous" : "user " + user;
        });
        app.post("/logout", ctx -> {
            ctx.session().clear();
            return "bye";
        });
        app.post("/save", ctx -> {
            ctx.flash("Saved.");
            ctx.flash("error", "But one field was ignored; really.");
            return Reply.redirect("/");
        });
        app.get("/", ctx -> {
            StringBuilder sb = new StringBuilder();
            for (Session.Flash f : ctx.flashedMessages()) sb.append(f.category()).append(": ").append(f.message()).append('\n');
            return sb.toString();
        });
        app.get("/cookies", ctx -> {
            ctx.cookie(Cookie.of("theme", "dark").maxAge(Duration.ofDays(30)).secure(true).sameSite("Strict"));
            ctx.cookie(Cookie.of("track", "1").httpOnly(false).sameSite("None").domain("example.com").path("/app"));
            ctx.removeCookie("old");
            return "theme " + ctx.cookie("theme") + ", quoted " + ctx.cookie("q");
        });
        return app;
    }

    @Test
    void cookiesCarryTheirAttributes() {
        TestResponse r = TestClient.of(app(Map.of())).get("/cookies").header("Cookie", "theme=light; q=\"v\"").send().assertStatus(200)
                .assertBody("theme light, quoted v");
        List<String> set = r.headers().all("Set-Cookie");
        assertEquals(List.of(
                "theme=dark; Path=/; Max-Age=2592000; Secure; HttpOnly; SameSite=Strict",
                "track=1; Path=/app; Domain=example.com; Secure; SameSite=None", // SameSite=None requires Secure
                "old=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax"), set);
        assertThrows(IllegalArgumentException.class, () -> Cookie.of("a b", "v"));
        assertThrows(IllegalArgumentException.class, () -> Cookie.of("a", "v;injected=1"));
        assertThrows(IllegalArgumentException.class, () -> Cookie.of("a", "v").sameSite("lax"));
    }

    @Test
    void aSessionRoundTripsThroughTheCookieJar() {
        TestClient c = TestClient.of(app(Map.of()));
        c.get("/me").send().assertBody("anonymous");
        assertTrue(c.cookies().isEmpty(), "an untouched session sets no cookie");
        TestResponse login = c.post("/login?name=ada%20lovelace").send().assertBody("logged in");
        String header = login.header("Set-Cookie");
        assertTrue(header.startsWith("session=") && header.contains("HttpOnly") && header.contains("SameSite=Lax")
                && header.contains("Max-Age=2678400"), header);
        assertEquals("Cookie", login.header("Vary"));
        c.get("/me").send().assertBody("user ada lovelace");
        c.post("/logout").send().assertBody("bye");
        assertFalse(c.cookies().containsKey("session"), "logging out deletes the cookie");
        c.get("/me").send().assertBody("anonymous");
    }

    @Test
    void aTamperedOrForeignCookieIsAnEmptySessionNotAnError() {
        App app = app(Map.of());
        TestClient c = TestClient.of(app);
        c.post("/login?name=ada").send();
        String good = c.cookies().get("session");
        String[] parts = good.split("\\.");
        String forgedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("user=admin".getBytes());
        for (String bad : new String[] {forgedPayload + "." + parts[1] + "." + parts[2], parts[0] + "." + parts[1] + ".AAAA",
                "garbage", "a.b.c", "...", parts[0] + "." + parts[1] + ".!!!", good + "x"}) {
            TestClient.of(app).get("/me").header("Cookie", "session=" + bad).send().assertStatus(200).assertBody("anonymous");
        }
        String otherKey = app(Map.of("CARAFE_SECRET_KEY", "another-secret")).sessions().sign(Map.of("user", "eve"), now());
        TestClient.of(app).get("/me").header("Cookie", "session=" + otherKey).send().assertBody("anonymous");
        TestClient.of(app).get("/me").header("Cookie", "session=" + good).send().assertBody("user ada");
    }

    @Test
    void everyOtherSpellingOfTheSignatureIsRefused() {
        App app = app(Map.of());
        String cookie = app.sessions().sign(Map.of("user", "ada"), now());
        assertEquals(Map.of("user", "ada"), app.sessions().verify(cookie, now()));
        String prefix = cookie.substring(0, cookie.length() - 1);
        char last = cookie.charAt(cookie.length() - 1);
        // A 32-byte HMAC in unpadded Base64 leaves the last character's two low bits unused: a
        // decoder accepts all four spellings, the signature check must not.
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray()) {
            if (c != last) assertEquals(Map.of(), app.sessions().verify(prefix + c, now()), "accepted ..." + c);
        }
    }

    @Test
    void anExpiredSessionIsEmpty() {
        App app = app(Map.of("CARAFE_SESSION_LIFETIME", "1h"));
        String fresh = app.sessions().sign(Map.of("user", "ada"), now() - 3500);
        String stale = app.sessions().sign(Map.of("user", "ada"), now() - 3700);
        String future = app.sessions().sign(Map.of("user", "ada"), now() + 3600);
        TestClient c = TestClient.of(app);
        c.get("/me").header("Cookie", "session=" + fresh).send().assertBody("user ada");
        c.get("/me").header("Cookie", "session=" + stale).send().assertBody("anonymous");
        c.get("/me").header("Cookie", "session=" + future).send().assertBody("anonymous");
    }

    @Test
    void oldKeysInFallbacksStillVerifyAndChangedSessionsAreResigned() {
        String signedWithOld = app(Map.of("CARAFE_SECRET_KEY", "old-key")).sessions().sign(Map.of("user", "ada"), now());
        App rotated = app(Map.of("CARAFE_SECRET_KEY", "new-key", "CARAFE_SECRET_KEY_FALLBACKS", "older-key, old-key"));
        App newOnly = app(Map.of("CARAFE_SECRET_KEY", "new-key"));
        TestClient.of(newOnly).get("/me").header("Cookie", "session=" + signedWithOld).send().assertBody("anonymous");

        TestClient c = TestClient.of(rotated);
        c.cookies().put("session", signedWithOld);
        c.get("/me").send().assertBody("user ada");
        c.post("/login?name=grace").send();
        String resigned = c.cookies().get("session");
        assertNotEquals(signedWithOld, resigned);
        TestClient.of(newOnly).get("/me").header("Cookie", "session=" + resigned).send().assertBody("user grace");
    }

    @Test
    void theSessionsVaryIsAddedToOneAlreadyThere() throws java.io.IOException {
        java.nio.file.Path css = java.nio.file.Files.createTempFile("carafe-vary", ".css");
        try {
            java.nio.file.Files.writeString(css, "p { margin: 0 }\n".repeat(100));
            App app = app(Map.of());
            app.get("/style", ctx -> {
                ctx.session().put("seen", "yes");
                return Reply.file(css);
            });
            TestClient.of(app).get("/style").header("Accept-Encoding", "gzip").send().assertStatus(200)
                    .assertHeader("Content-Encoding", "gzip").assertHeader("Vary", "Accept-Encoding, Cookie");
        } finally {
            java.nio.file.Files.deleteIfExists(css);
        }
    }

    @Test
    void flashedMessagesShowOnceWithTheirCategories() {
        TestClient c = TestClient.of(app(Map.of()));
        c.post("/save").send().assertStatus(302);
        c.get("/").send().assertBody("message: Saved.\nerror: But one field was ignored; really.\n");
        c.get("/").send().assertBody("");
    }

    @Test
    void withoutASecretKeySessionsRefuseOutsideDebugMode() {
        App app = new App(new Config(Map.of(), null)).enableSessions();
        app.get("/me", ctx -> String.valueOf(ctx.session().put("user", "ada").get("user")));
        TestClient.of(app).get("/me").send().assertStatus(500).assertBodyLacks("SECRET_KEY");
        App debug = new App(new Config(Map.of(), null)).enableSessions().debug(true);
        debug.get("/me", ctx -> String.valueOf(ctx.session().put("user", "ada").get("user")));
        TestClient c = TestClient.of(debug);
        c.get("/me").send().assertStatus(200).assertBody("ada"); // a random key, for this process only
        assertTrue(c.cookies().containsKey("session"));
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
