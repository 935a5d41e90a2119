package dev.carafe.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.App;
import dev.carafe.Config;
import dev.carafe.Reply;
import dev.carafe.testing.TestClient;
import dev.carafe.testing.TestRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ProxyFix's rules, through an app and the in-process client (whose peer is 127.0.0.1). */
class TrustedProxiesTest {
    private static TestClient client(int hops, Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("CARAFE_STATIC_FOLDER", "");
        App app = new App(new Config(all, null));
        if (hops >= 0) app.trustProxy(hops);
        app.get("/who", ctx -> ctx.remoteAddress().getAddress().getHostAddress() + " " + ctx.remoteAddress().getPort()
                + " " + ctx.scheme() + " " + ctx.host() + " " + ctx.url());
        app.get("/ext", ctx -> Reply.text(ctx.urlFor("ext", Map.of("q", "1"), true))).name("ext");
        return TestClient.of(app);
    }

    private static String who(TestRequest r) {
        return r.send().assertStatus(200).body();
    }

    @Test
    void offByDefaultEveryForwardingHeaderIsIgnored() {
        TestClient c = client(-1, Map.of());
        assertEquals("127.0.0.1 50000 http localhost http://localhost/who", who(c.get("/who").header("X-Forwarded-For", "6.6.6.6")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "evil.example").header("Forwarded", "for=7.7.7.7")));
    }

    @Test
    void theNthValueFromTheRightIsTheOneTheNthProxyWrote() {
        TestClient one = client(1, Map.of());
        assertTrue(who(one.get("/who").header("X-Forwarded-For", "6.6.6.6, 203.0.113.9").header("X-Forwarded-Proto", "https"))
                .startsWith("203.0.113.9 0 https "));
        TestClient two = client(2, Map.of());
        // split over two header lines, as a second proxy may append: still one list
        assertTrue(who(two.get("/who").header("X-Forwarded-For", "6.6.6.6, 198.51.100.1").header("X-Forwarded-For", "10.0.0.2"))
                .startsWith("198.51.100.1 0 http "));
        // fewer values than trusted proxies: the header did not pass through all of them, so it is ignored
        assertTrue(who(two.get("/who").header("X-Forwarded-For", "198.51.100.1")).startsWith("127.0.0.1 50000 "));
    }

    @Test
    void valuesThatAreNotWhatTheHeaderMeansAreIgnored() {
        TestClient c = client(1, Map.of("CARAFE_TRUST_PROXY_HEADERS", "x-forwarded-for,x-forwarded-proto,x-forwarded-host,x-forwarded-prefix"));
        assertTrue(who(c.get("/who").header("X-Forwarded-For", "evil.example")).startsWith("127.0.0.1 "), "names are never looked up");
        assertTrue(who(c.get("/who").header("X-Forwarded-For", "2001:db8::7")).startsWith("2001:db8:0:0:0:0:0:7 0 "));
        assertTrue(who(c.get("/who").header("X-Forwarded-Proto", "gopher")).contains(" http "));
        assertTrue(who(c.get("/who").header("X-Forwarded-Host", "a b")).contains(" localhost "), who(c.get("/who").header("X-Forwarded-Host", "a b")));
        assertTrue(who(c.get("/who").header("X-Forwarded-Host", "example.com:8443").header("X-Forwarded-Prefix", "/app/"))
                .endsWith(" example.com:8443 http://example.com:8443/app/who"));
        assertTrue(who(c.get("/who").header("X-Forwarded-Prefix", "//evil.example")).endsWith("/who"), "a prefix may not make URLs another site's");
        assertTrue(who(c.get("/who").header("X-Forwarded-Prefix", "//evil.example")).contains(" http://localhost/who"));
        assertEquals("https://example.com/app/ext?q=1", c.get("/ext").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "example.com").header("X-Forwarded-Prefix", "/app").send().body());
    }

    @Test
    void rfc7239ElementsQuotedPortsAndObfuscatedNodes() {
        TestClient c = client(1, Map.of("CARAFE_TRUST_PROXY_HEADERS", "forwarded"));
        assertTrue(who(c.get("/who").header("Forwarded", "for=6.6.6.6, for=\"[2001:db8::1]:4711\";proto=https;host=example.com"))
                .startsWith("2001:db8:0:0:0:0:0:1 4711 https example.com "));
        assertTrue(who(c.get("/who").header("Forwarded", "For=192.0.2.60;Proto=HTTPS")).startsWith("192.0.2.60 0 https "));
        assertTrue(who(c.get("/who").header("Forwarded", "for=_hidden;proto=https")).startsWith("127.0.0.1 50000 https "),
                "an obfuscated node keeps the peer's address, the rest of the element still counts");
        assertTrue(who(c.get("/who").header("Forwarded", "for=1.2.3.4;for=5.6.7.8")).startsWith("127.0.0.1 "), "a parameter twice");
        assertTrue(who(c.get("/who").header("Forwarded", "for=1.2.3.4,")).startsWith("127.0.0.1 "), "an empty element");
        assertTrue(who(c.get("/who").header("X-Forwarded-For", "1.2.3.4")).startsWith("127.0.0.1 "), "only the chosen kind is read");
    }

    @Test
    void onlyPeersInTheTrustedBlocksAreBelieved() {
        assertTrue(who(client(1, Map.of("CARAFE_TRUSTED_PROXY_ADDRESSES", "10.0.0.0/8, 192.168.0.0/16")).get("/who")
                .header("X-Forwarded-For", "6.6.6.6")).startsWith("127.0.0.1 "));
        assertTrue(who(client(1, Map.of("CARAFE_TRUSTED_PROXY_ADDRESSES", "10.0.0.0/8,127.0.0.0/8")).get("/who")
                .header("X-Forwarded-For", "6.6.6.6")).startsWith("6.6.6.6 "));
    }

    @Test
    void badSettingsFailAtStartup() {
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(1, "x-forwarded-for,forwarded", null));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(1, "x-real-ip", null));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(1, null, "10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(1, null, "proxy.internal"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(-1, null, null));
        assertNull(ForwardedParser.parse(java.util.List.of("for=\"unterminated")));
    }
}
