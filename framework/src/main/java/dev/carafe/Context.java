package dev.carafe;

import dev.carafe.http.Cookie;
import dev.carafe.http.Forms;
import dev.carafe.http.RequestBody;
import dev.carafe.http.UploadedFile;
import dev.carafe.proxy.Forwarded;
import dev.carafe.server.Headers;
import dev.carafe.server.Request;
import dev.carafe.session.Csrf;
import dev.carafe.session.Session;
import dev.carafe.staticfiles.StaticFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything about the current request and the response being prepared: what Flask spreads over
 * {@code request}, {@code g} and {@code make_response}, in one object passed to every endpoint
 * and hook.
 *
 * <pre>{@code
 * app.post("/todos/{id:int}", ctx -> {
 *     int id = ctx.pathParam("id", Integer.class);
 *     String title = ctx.form("title");
 *     if (title == null || title.isBlank()) throw ctx.abort(400, "title is required");
 *     ctx.status(201).header("X-Todo", String.valueOf(id));
 *     return Map.of("id", id, "title", title);
 * });
 * }</pre>
 *
 * <p>A context belongs to one request and one thread; don't keep it after the request ends.
 */
public final class Context {
    private final App app;
    private final Request request;
    private Map<String, Object> pathParams = Map.of();
    private String routeName;
    private Map<String, List<String>> query;
    private Map<String, String> cookies;
    private RequestBody body;
    private int status;
    private Headers headers;
    private Map<String, Object> attributes;
    private List<Session.Flash> flashes;
    Session session;
    /** The server's response, for what replies cannot express (a stop hook); null in unit uses. */
    dev.carafe.server.Response response;

    /**
     * Runs {@code action} when a graceful server stop begins while this request is being answered
     * (to end a stream that would hold the stop until its deadline); not run under the test client.
     */
    public void onServerStop(Runnable action) {
        if (response != null) response.onServerStop(action);
    }

    Context(App app, Request request) {
        this.app = app;
        this.request = request;
    }

    /** The matched route, or {@code null} before routing or when nothing matched. */
    Route route;

    void route(Route route, Map<String, Object> params) {
        this.route = route;
        this.routeName = route.name();
        this.pathParams = params;
    }

    /** The application handling the request. */
    public App app() {
        return app;
    }

    /** The server-level request, for what this class does not expose. */
    public Request request() {
        return request;
    }

    // ---- the request line -------------------------------------------------------------------

    /** The method, e.g. {@code GET}. */
    public String method() {
        return request.method();
    }

    /** The decoded path, e.g. {@code /users/Zoë} (without a proxy's {@code X-Forwarded-Prefix}). */
    public String path() {
        return URLDecoder.decode(request.path().replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The full URL as the client addressed it: scheme, host, prefix, path and query (see {@link App#trustProxy}). */
    public String url() {
        return forwarded().url(request);
    }

    /** {@code http}, or what the trusted proxy says the client used ({@code https} when it terminated TLS). */
    public String scheme() {
        return forwarded().scheme();
    }

    /** The host (and port) the client addressed: {@code Host}, or the trusted proxy's forwarded host. */
    public String host() {
        return forwarded().host();
    }

    private Forwarded forwarded; // resolved once, on first use

    private Forwarded forwarded() {
        if (forwarded == null) forwarded = app.proxies().resolve(request);
        return forwarded;
    }

    /** The name of the matched route, or {@code null} (no match, or an unnamed route). */
    public String routeName() {
        return routeName;
    }

    /** The client's address: the peer's, or what the trusted proxies forwarded (port 0 when they name none). */
    public InetSocketAddress remoteAddress() {
        return forwarded().client();
    }

    // ---- path parameters --------------------------------------------------------------------

    /** A path parameter as text, e.g. {@code "7"} for {@code /users/{id:int}}. */
    public String pathParam(String name) {
        Object v = pathParams.get(name);
        if (v == null) throw new IllegalArgumentException("No path parameter '" + name + "' in this route");
        return v.toString();
    }

    /**
     * A path parameter as the type its converter produced: {@code Integer} for {@code int},
     * {@code Double} for {@code float}, {@code UUID} for {@code uuid}, {@code String} otherwise.
     */
    public <T> T pathParam(String name, Class<T> type) {
        Object v = pathParams.get(name);
        if (v == null) throw new IllegalArgumentException("No path parameter '" + name + "' in this route");
        if (type.isInstance(v)) return type.cast(v);
        if (type == String.class) return type.cast(v.toString());
        if (type == Long.class && v instanceof Integer i) return type.cast(i.longValue());
        if (type == UUID.class) return type.cast(UUID.fromString(v.toString()));
        throw new IllegalArgumentException("Path parameter '" + name + "' is a " + v.getClass().getSimpleName()
                + ", not a " + type.getSimpleName() + " (declare it as {" + name + ":int} etc.)");
    }

    /** All path parameters by name. */
    public Map<String, Object> pathParams() {
        return pathParams;
    }

    // ---- query, headers, cookies ------------------------------------------------------------

    /** The first value of query parameter {@code name}, or {@code null}. */
    public String query(String name) {
        List<String> v = queryMap().get(name);
        return v == null ? null : v.get(0);
    }

    /** The query parameter {@code name}, or {@code fallback} when absent. */
    public String query(String name, String fallback) {
        String v = query(name);
        return v == null ? fallback : v;
    }

    /** Every value of query parameter {@code name}; empty when absent. */
    public List<String> queryAll(String name) {
        return queryMap().getOrDefault(name, List.of());
    }

    /** All query parameters, each with its values in order. */
    public Map<String, List<String>> queryMap() {
        if (query == null) query = Forms.parseUrlEncoded(request.query());
        return query;
    }

    /** A request header (case-insensitive), or {@code null}. */
    public String header(String name) {
        return request.header(name);
    }

    /** All request headers. */
    public Headers headers() {
        return request.headers();
    }

    /** A request cookie, or {@code null}. */
    public String cookie(String name) {
        return cookies().get(name);
    }

    /** All request cookies by name. */
    public Map<String, String> cookies() {
        if (cookies == null) cookies = Cookie.parse(request.headers().all("Cookie"));
        return cookies;
    }

    // ---- body -------------------------------------------------------------------------------

    private RequestBody requestBody() {
        if (body == null) body = new RequestBody(request, app.config(), app::jsonMapper);
        return body;
    }

    /** The body as a stream, unbuffered. Use it or the other body methods, not both. */
    public InputStream bodyStream() {
        return requestBody().stream();
    }

    /** Whether reading the body failed: the client went away or broke the protocol mid-body. */
    boolean bodyReadFailed() {
        return body != null && body.readFailed();
    }

    /** The whole body (at most the server's {@code maxBodyBytes}). */
    public byte[] bodyBytes() throws IOException {
        return requestBody().bytes();
    }

    /** The body as UTF-8 text. */
    public String body() throws IOException {
        return requestBody().text();
    }

    /**
     * The JSON body as a {@code type} (a record works). Malformed JSON or a wrong shape is a
     * {@code 400} whose message names the position; a {@code Content-Type} that is not JSON is a
     * {@code 415} (see {@link RequestBody#as}).
     */
    public <T> T bodyAs(Class<T> type) throws IOException {
        return requestBody().as(type);
    }

    /** The first value of form field {@code name} (urlencoded or multipart), or {@code null}. */
    public String form(String name) throws IOException {
        List<String> v = formMap().get(name);
        return v == null ? null : v.get(0);
    }

    /** Every value of form field {@code name}. */
    public List<String> formAll(String name) throws IOException {
        return formMap().getOrDefault(name, List.of());
    }

    /** All form fields. */
    public Map<String, List<String>> formMap() throws IOException {
        return requestBody().form().fields();
    }

    /** An uploaded file from a multipart form, or {@code null}. Files are streamed to disk while parsing. */
    public UploadedFile file(String name) throws IOException {
        List<UploadedFile> files = files(name);
        return files.isEmpty() ? null : files.get(0);
    }

    /** Every uploaded file of field {@code name}. */
    public List<UploadedFile> files(String name) throws IOException {
        return requestBody().form().files().getOrDefault(name, List.of());
    }

    void cleanup() {
        if (body != null) body.deleteUploads();
    }

    // ---- the response being prepared --------------------------------------------------------

    /** Sets the response status (applied to the endpoint's return value). */
    public Context status(int status) {
        if (status < 100 || status > 599) throw new IllegalArgumentException("Invalid status: " + status);
        this.status = status;
        return this;
    }

    /** Forgets the status the endpoint set before it failed: the error reply decides its own. */
    void resetStatus() {
        status = 0;
    }

    /** The status set with {@link #status(int)}, or 0. */
    public int status() {
        return status;
    }

    /** Sets a response header. */
    public Context header(String name, String value) {
        responseHeaders().set(name, value);
        return this;
    }

    /** Sets a cookie on the response. */
    public Context cookie(Cookie cookie) {
        responseHeaders().add("Set-Cookie", cookie.toHeader());
        return this;
    }

    /** Tells the browser to delete cookie {@code name}. */
    public Context removeCookie(String name) {
        return cookie(Cookie.expired(name));
    }

    Headers responseHeaders() {
        if (headers == null) headers = new Headers(4);
        return headers;
    }

    Headers pendingHeaders() {
        return headers;
    }

    /** The file at {@code path} (a path you chose, not one from the request): see {@link Reply#file(Path)}. */
    public Reply sendFile(java.nio.file.Path path) {
        return Reply.file(path);
    }

    /**
     * The file {@code name} from {@code folder}, like Flask's {@code send_from_directory}: safe with a
     * name from the request, since names that would leave the folder are a 400 or 404.
     *
     * <pre>{@code
     * app.get("/downloads/{name}", ctx -> ctx.sendFromDirectory(Path.of("downloads"), ctx.pathParam("name")));
     * }</pre>
     */
    public Reply sendFromDirectory(java.nio.file.Path folder, String name) {
        return StaticFiles.folder(folder).reply(this, name);
    }

    /** A {@code 302} redirect to {@code location}, to return from an endpoint. */
    public Reply redirect(String location) {
        return Reply.redirect(location);
    }

    /** An exception to throw to end the request with {@code status}: {@code throw ctx.abort(404)}. */
    public HttpError abort(int status) {
        throw new HttpError(status);
    }

    /** Like {@link #abort(int)} with a message shown to the client. */
    public HttpError abort(int status, String message) {
        throw new HttpError(status, message);
    }

    /** The URL path of the route named {@code name} (see {@link App#urlFor(String, Map)}), under a trusted proxy's {@code X-Forwarded-Prefix}. */
    public String urlFor(String name, Map<String, ?> params) {
        return forwarded().prefix() + app.urlFor(name, params);
    }

    /** With {@code external}, the absolute URL as the client would use it: {@code https://example.com/todos/7}. */
    public String urlFor(String name, Map<String, ?> params, boolean external) {
        return external ? scheme() + "://" + host() + urlFor(name, params) : urlFor(name, params);
    }

    /** The URL of the parameterless route named {@code name}. */
    public String urlFor(String name) {
        return app.urlFor(name, Map.of());
    }

    // ---- session and flash messages -------------------------------------------------------

    /** The client's signed-cookie session (see {@link App#enableSessions()}); changes are saved with the response. */
    public Session session() {
        if (session == null) session = app.sessions.load(this);
        return session;
    }

    /** Queues {@code message} for the next page, like Flask's {@code flash()}. */
    public Context flash(String message) {
        return flash("message", message);
    }

    /** Queues {@code message} under {@code category} (e.g. {@code error}, {@code success}). */
    public Context flash(String category, String message) {
        session().flash(category, message);
        return this;
    }

    /**
     * Takes the queued flash messages: each is shown once. Repeated calls in the same request return
     * the same messages (as Flask's {@code get_flashed_messages()}), so a layout and a page can both ask.
     */
    public List<Session.Flash> flashedMessages() {
        // without sessions nothing can have been flashed; layouts may still ask
        if (flashes == null) flashes = app.sessions.enabled() ? List.copyOf(session().takeFlashes()) : List.of();
        return flashes;
    }

    /**
     * A CSRF token for this client's session, for a hidden {@code csrf_token} form field or the
     * {@code X-CSRF-Token} header ({@link App#enableCsrf()}); each call differs, all stay valid.
     */
    public String csrfToken() {
        return Csrf.token(this);
    }

    // ---- templates ----------------------------------------------------------------------------

    /**
     * Renders template {@code name} with {@code model} into a reply (HTML for {@code .html}). The
     * template also sees {@code request} ({@link dev.carafe.template.RequestView}), {@code session}
     * (a map) and the functions {@code url_for}, {@code get_flashed_messages}, {@code csrf_token}.
     *
     * <pre>{@code
     * app.get("/todos/{id:int}", ctx -> ctx.render("todo.html", Map.of("todo", repo.get(ctx.pathParam("id", Integer.class)))));
     * return ctx.render("form.html", Map.of("errors", errors)).status(422);
     * }</pre>
     *
     * @throws dev.carafe.template.TemplateException when the template is missing or broken (a 500;
     *         the debug page shows the file and line)
     */
    public Reply render(String name, Map<String, ?> model) {
        Map<String, Object> all = new HashMap<>();
        Map<String, String> args = new LinkedHashMap<>();
        queryMap().forEach((k, v) -> args.put(k, v.get(0)));
        all.put("request", new dev.carafe.template.RequestView(method(), path(), url(), args, routeName));
        all.put("session", app.sessions.enabled() ? session().asMap() : Map.of());
        if (model != null) all.putAll(model);
        all.put(dev.carafe.template.TemplateEngine.CONTEXT_KEY, this);
        String text = app.templates().render(name, all);
        return Reply.bytes(text.getBytes(StandardCharsets.UTF_8), dev.carafe.template.TemplateEngine.contentType(name));
    }

    /** Renders template {@code name} without a model; see {@link #render(String, Map)}. */
    public Reply render(String name) {
        return render(name, Map.of());
    }

    // ---- per-request storage (Flask's g) ----------------------------------------------------

    /** Stores a value for later hooks and the endpoint of this request. */
    public Context attribute(String name, Object value) {
        if (attributes == null) attributes = new HashMap<>();
        attributes.put(name, value);
        return this;
    }

    /** A value stored with {@link #attribute(String, Object)}, or {@code null}. */
    @SuppressWarnings("unchecked")
    public <T> T attribute(String name) {
        return attributes == null ? null : (T) attributes.get(name);
    }
}
