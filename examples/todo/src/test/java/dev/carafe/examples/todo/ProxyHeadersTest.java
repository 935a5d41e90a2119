package dev.carafe.examples.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.App;
import dev.carafe.Config;
import dev.carafe.Reply;
import dev.carafe.server.AccessLog;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Forwarded headers through a real nginx: the app trusts one proxy, and only when the connection
 * comes from 127.0.0.1 (where nginx connects from). Clients connect from 127.0.0.2 and 127.0.0.3
 * (Linux routes all of 127/8 to loopback), so the test tells the proxy's address from theirs.
 */
class ProxyHeadersTest {
    private static Server xForwarded, rfc7239;
    private static Nginx nginx;
    private static final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        Nginx.binary();
        xForwarded = app("x-forwarded-for,x-forwarded-proto,x-forwarded-prefix").start(ServerConfig.builder().port(0)
                .accessLog(AccessLog.json(new PrintStream(log, true, StandardCharsets.UTF_8))).build());
        rfc7239 = app("forwarded").start(ServerConfig.builder().port(0).accessLog(null).build());
        String headers = """
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                """;
        nginx = Nginx.start("""
                map $http_forwarded $forwarded {
                    ""      "for=$remote_addr;proto=https";
                    default "$http_forwarded, for=$remote_addr;proto=https";
                }
                server {
                    listen 127.0.0.1:$PORT;
                    location / {
                        proxy_pass http://127.0.0.1:%1$d;
                        %3$s
                        proxy_set_header X-Forwarded-Proto $scheme;
                    }
                    location /tls/ {
                        proxy_pass http://127.0.0.1:%1$d/;
                        %3$s
                        proxy_set_header X-Forwarded-Proto https;
                        proxy_set_header X-Forwarded-Prefix /tls;
                    }
                    location /rfc7239/ {
                        proxy_pass http://127.0.0.1:%2$d/;
                        proxy_set_header Host $http_host;
                        proxy_set_header Forwarded $forwarded;
                    }
                }
                """.formatted(xForwarded.port(), rfc7239.port(), headers));
    }

    /** An app that trusts one proxy at 127.0.0.1, reading {@code headers}. */
    private static App app(String headers) {
        Config config = new Config(Map.of("CARAFE_SECRET_KEY", "proxy-test", "CARAFE_TRUST_PROXY_HEADERS", headers,
                "CARAFE_TRUSTED_PROXY_ADDRESSES", "127.0.0.1/32", "CARAFE_STATIC_FOLDER", ""), null);
        App app = new App(config).enableSessions().trustProxy(1);
        app.get("/whoami", ctx -> Map.of("remote", ctx.remoteAddress().getAddress().getHostAddress(),
                "scheme", ctx.scheme(), "host", ctx.host(), "url", ctx.url())).name("whoami");
        app.get("/go", ctx -> Reply.redirect(ctx.urlFor("whoami", Map.of(), true)));
        app.get("/login", ctx -> {
            ctx.session().put("user", "ada");
            return "ok";
        });
        app.get("/dir/", ctx -> "a folder");
        return app;
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) nginx.close();
        if (xForwarded != null) xForwarded.stop(java.time.Duration.ofSeconds(1));
        if (rfc7239 != null) rfc7239.stop(java.time.Duration.ofSeconds(1));
    }

    @Test
    void throughTheProxyTheClientIsTheOneNginxSawAndSpoofedValuesAreIgnored() throws Exception {
        Raw r = get("127.0.0.2", nginx.port, "/whoami", "X-Forwarded-For: 6.6.6.6", "X-Forwarded-Proto: https",
                "X-Forwarded-Host: evil.example");
        assertEquals(200, r.status, r.text);
        assertTrue(r.body.contains("\"remote\":\"127.0.0.2\""), r.body);
        assertTrue(r.body.contains("\"scheme\":\"http\""), r.body); // nginx wrote $scheme over the client's https
        assertTrue(r.body.contains("\"host\":\"127.0.0.1:" + nginx.port + "\""), "X-Forwarded-Host is not trusted: " + r.body);
        assertTrue(r.body.contains("\"url\":\"http://127.0.0.1:" + nginx.port + "/whoami\""), r.body);
        assertTrue(logLine("/whoami").contains("\"remote\":\"127.0.0.2\""), logLine("/whoami"));
        assertTrue(logLine("/whoami").matches(".*,\"duration_ms\":\\d+\\.\\d+,.*"), "the duration passes the proxy wrapper: " + logLine("/whoami"));
    }

    @Test
    void aTlsTerminatingProxyGivesHttpsRedirectsSecureCookiesAndThePrefix() throws Exception {
        Raw go = get("127.0.0.2", nginx.port, "/tls/go");
        assertEquals(302, go.status, go.text);
        assertEquals("https://127.0.0.1:" + nginx.port + "/tls/whoami", go.header("Location"));
        Raw login = get("127.0.0.2", nginx.port, "/tls/login");
        assertTrue(login.header("Set-Cookie").contains("; Secure"), login.header("Set-Cookie"));
        Raw plain = get("127.0.0.2", nginx.port, "/login");
        assertFalse(plain.header("Set-Cookie").contains("Secure"), "plain HTTP keeps the cookie usable: " + plain.header("Set-Cookie"));
        Raw slash = get("127.0.0.2", nginx.port, "/tls/dir");
        assertEquals(308, slash.status, slash.text);
        assertEquals("/tls/dir/", slash.header("Location"));
    }

    @Test
    void aPeerThatIsNotTheProxyCannotPoseAsOne() throws Exception {
        Raw direct = get("127.0.0.3", xForwarded.port(), "/whoami", "X-Forwarded-For: 6.6.6.6", "X-Forwarded-Proto: https");
        assertTrue(direct.body.contains("\"remote\":\"127.0.0.3\""), direct.body);
        assertTrue(direct.body.contains("\"scheme\":\"http\""), direct.body);
        assertTrue(logLine("/whoami").contains("\"remote\":\"127.0.0.3\""), logLine("/whoami"));
        // from the proxy's address the same header is believed: the address rule is what refused it above
        Raw fromProxy = get("127.0.0.1", xForwarded.port(), "/whoami", "X-Forwarded-For: 6.6.6.6");
        assertTrue(fromProxy.body.contains("\"remote\":\"6.6.6.6\""), fromProxy.body);
    }

    @Test
    void rfc7239ForwardedTakesTheLastProxysElementOnly() throws Exception {
        Raw r = get("127.0.0.2", nginx.port, "/rfc7239/whoami", "Forwarded: for=6.6.6.6;proto=http",
                "X-Forwarded-For: 7.7.7.7");
        assertTrue(r.body.contains("\"remote\":\"127.0.0.2\""), r.body);
        assertTrue(r.body.contains("\"scheme\":\"https\""), r.body);
        Raw malformed = get("127.0.0.1", rfc7239.port(), "/whoami", "Forwarded: for=\"6.6.6.6");
        assertTrue(malformed.body.contains("\"remote\":\"127.0.0.1\""), "a malformed header is ignored whole: " + malformed.body);
    }

    /** The last access log line for {@code target}. */
    private static String logLine(String target) {
        List<String> lines = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"target\":\"" + target + "\"")).toList();
        assertFalse(lines.isEmpty(), "no access log line for " + target + ": " + log);
        return lines.get(lines.size() - 1);
    }

    record Raw(int status, String text, String body) {
        String header(String name) {
            for (String line : text.substring(0, text.indexOf("\r\n\r\n")).split("\r\n")) {
                if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) return line.substring(name.length() + 1).trim();
            }
            return "";
        }
    }

    /** One GET over a socket bound to {@code from}, with {@code headers} as given. */
    private static Raw get(String from, int port, String path, String... headers) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n");
            for (String h : headers) req.append(h).append("\r\n");
            s.getOutputStream().write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            String text = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            return new Raw(status, text, text.substring(text.indexOf("\r\n\r\n") + 4));
        }
    }
}
