package dev.carafe.testing;

import dev.carafe.App;
import dev.carafe.server.Handler;
import dev.carafe.server.Headers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends requests to an app and keeps its cookies, like Flask's test client. In-process by default
 * (the app's handler is called directly: no socket, no port), or against a running server over
 * real HTTP with the same API.
 *
 * <pre>{@code
 * TestClient client = app.test();                         // in-process
 * TestClient remote = TestClient.remote("http://127.0.0.1:8080");  // real HTTP
 *
 * client.post("/login").form("user", "ada").send().assertStatus(302);
 * client.get("/").send().assertBodyContains("Hello, ada");   // the session cookie came along
 * client.post("/api/todos").json(Map.of("title", "milk")).send().assertStatus(201);
 * }</pre>
 */
public final class TestClient {
    private final Handler handler;
    private final URI base;
    private final HttpClient http;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    /**
     * The Path a {@code Set-Cookie} gave a cookie, where it is not {@code /}, with the value it came
     * with: a value put into {@link #cookies()} by hand is another String, and goes everywhere.
     */
    private final Map<String, Scope> paths = new java.util.HashMap<>();

    private record Scope(String value, String path) {}

    private TestClient(Handler handler, URI base) {
        this.handler = handler;
        this.base = base;
        this.http = base == null ? null : HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A client calling {@code app} in-process. */
    public static TestClient of(App app) {
        return new TestClient(app.handler(), null);
    }

    /** A client calling a running server at {@code baseUrl} over HTTP. */
    public static TestClient remote(String baseUrl) {
        return new TestClient(null, URI.create(baseUrl));
    }

    public TestRequest get(String target) {
        return request("GET", target);
    }

    public TestRequest head(String target) {
        return request("HEAD", target);
    }

    public TestRequest post(String target) {
        return request("POST", target);
    }

    public TestRequest put(String target) {
        return request("PUT", target);
    }

    public TestRequest patch(String target) {
        return request("PATCH", target);
    }

    public TestRequest delete(String target) {
        return request("DELETE", target);
    }

    public TestRequest options(String target) {
        return request("OPTIONS", target);
    }

    /** A request with any method. */
    public TestRequest request(String method, String target) {
        return new TestRequest(this, method, target);
    }

    /**
     * The cookies the client holds (name → value), updated from every {@code Set-Cookie}. A request
     * carries those whose {@code Path} matches its path, as a browser does (RFC 6265 §5.1.4); one
     * cookie per name, and {@code Domain} is not looked at: the client talks to one app.
     */
    public Map<String, String> cookies() {
        return cookies;
    }

    TestResponse execute(TestRequest r) {
        String path = requestPath(r.target);
        if (!cookies.isEmpty() && !r.headers.has("Cookie")) {
            StringBuilder sb = new StringBuilder();
            cookies.forEach((k, v) -> {
                Scope scope = paths.get(k);
                // Identity, not equals: only the very String a Set-Cookie stored is scoped by its Path.
                if (scope == null || scope.value != v || pathMatches(path, scope.path)) sb.append(sb.isEmpty() ? "" : "; ").append(k).append('=').append(v);
            });
            if (!sb.isEmpty()) r.headers.set("Cookie", sb.toString());
        }
        TestResponse response;
        try {
            response = handler != null ? inProcess(r) : overHttp(r);
        } catch (IOException e) {
            throw TestResponse.unchecked(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        for (String setCookie : response.headers().all("Set-Cookie")) remember(setCookie, path);
        return response;
    }

    private TestResponse inProcess(TestRequest r) throws IOException {
        MemoryExchange exchange = new MemoryExchange(r.method, r.target, r.headers, r.body);
        try {
            handler.handle(exchange.request(), exchange.response());
            exchange.finish();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new TestResponse(exchange.status(), exchange.responseHeaders(), exchange.responseBody());
    }

    private TestResponse overHttp(TestRequest r) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(r.target))
                .method(r.method, r.body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(r.body));
        r.headers.forEach((n, v) -> {
            if (!n.equalsIgnoreCase("Host") && !n.equalsIgnoreCase("Content-Length")) b.header(n, v);
        });
        HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        Headers h = new Headers();
        res.headers().map().forEach((n, vs) -> vs.forEach(v -> h.add(n, v)));
        return new TestResponse(res.statusCode(), h, res.body());
    }

    private void remember(String setCookie, String requestPath) {
        String[] parts = setCookie.split(";");
        int eq = parts[0].indexOf('=');
        if (eq <= 0) return;
        String name = parts[0].substring(0, eq).trim();
        String value = parts[0].substring(eq + 1).trim();
        String path = null;
        for (int i = 1; i < parts.length; i++) {
            String attr = parts[i].trim();
            if (attr.regionMatches(true, 0, "Path=", 0, 5)) path = attr.substring(5);
        }
        // RFC 6265 §5.2.4: without a Path (or one not starting with '/'), the directory of the request's path.
        if (path == null || !path.startsWith("/")) {
            int slash = requestPath.lastIndexOf('/');
            path = slash <= 0 ? "/" : requestPath.substring(0, slash);
        }
        boolean expired = setCookie.toLowerCase(java.util.Locale.ROOT).contains("max-age=0") || value.isEmpty();
        if (expired) {
            cookies.remove(name);
            paths.remove(name);
        } else {
            cookies.put(name, value);
            if (path.equals("/")) paths.remove(name);
            else paths.put(name, new Scope(value, path));
        }
    }

    private static String requestPath(String target) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        if (path.startsWith("/")) return path;
        String absolute = URI.create(target).getRawPath(); // an absolute URI: its path
        return absolute == null || absolute.isEmpty() ? "/" : absolute;
    }

    /** RFC 6265 §5.1.4: the cookie's path is the request's, or a directory of it. */
    private static boolean pathMatches(String requestPath, String cookiePath) {
        if (!requestPath.startsWith(cookiePath)) return false;
        return requestPath.length() == cookiePath.length() || cookiePath.endsWith("/")
                || requestPath.charAt(cookiePath.length()) == '/';
    }
}
