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

    /** The cookies the client holds (name → value), updated from every {@code Set-Cookie}. */
    public Map<String, String> cookies() {
        return cookies;
    }

    TestResponse execute(TestRequest r) {
        if (!cookies.isEmpty() && !r.headers.has("Cookie")) {
            StringBuilder sb = new StringBuilder();
            cookies.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "; ").append(k).append('=').append(v));
            r.headers.set("Cookie", sb.toString());
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
        for (String setCookie : response.headers().all("Set-Cookie")) remember(setCookie);
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

    private void remember(String setCookie) {
        String pair = setCookie.split(";", 2)[0];
        int eq = pair.indexOf('=');
        if (eq <= 0) return;
        String name = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        boolean expired = setCookie.toLowerCase(java.util.Locale.ROOT).contains("max-age=0") || value.isEmpty();
        if (expired) cookies.remove(name);
        else cookies.put(name, value);
    }
}
