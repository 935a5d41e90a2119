package dev.carafe;

import dev.carafe.realtime.SseClient;
import dev.carafe.realtime.SseEndpoint;
import dev.carafe.realtime.WebSocketEndpoint;
import dev.carafe.server.websocket.WebSocketOptions;
import dev.carafe.staticfiles.StaticFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What apps and blueprints share (Flask's "scaffold"): route registration, hooks and error
 * handlers, and nested blueprints.
 */
public abstract sealed class RouteGroup permits App, Blueprint {
    final String name;
    final String prefix;
    final List<RouteSpec> routes = new ArrayList<>();
    final List<Hooks.Before> before = new ArrayList<>();
    final List<Hooks.After> after = new ArrayList<>();
    final List<Hooks.Teardown> teardown = new ArrayList<>();
    final Map<Integer, Hooks.ErrorHandler<HttpError>> statusHandlers = new LinkedHashMap<>();
    final Map<Class<? extends Throwable>, Hooks.ErrorHandler<Throwable>> exceptionHandlers = new LinkedHashMap<>();
    final List<Blueprint> children = new ArrayList<>();
    boolean csrfExempt;

    RouteGroup(String name, String prefix) {
        this.name = name;
        this.prefix = normalizePrefix(prefix);
    }

    private static String normalizePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.equals("/")) return "";
        if (!prefix.startsWith("/")) throw new IllegalArgumentException("Prefix must start with '/': " + prefix);
        return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    abstract void checkOpen();

    /** Registers {@code endpoint} for GET (and so HEAD) on {@code path}. */
    public RouteSpec get(String path, Endpoint endpoint) {
        return route(path, endpoint, "GET");
    }

    public RouteSpec post(String path, Endpoint endpoint) {
        return route(path, endpoint, "POST");
    }

    public RouteSpec put(String path, Endpoint endpoint) {
        return route(path, endpoint, "PUT");
    }

    public RouteSpec patch(String path, Endpoint endpoint) {
        return route(path, endpoint, "PATCH");
    }

    public RouteSpec delete(String path, Endpoint endpoint) {
        return route(path, endpoint, "DELETE");
    }

    /** Registers {@code endpoint} for each of {@code methods} on {@code path}. */
    public RouteSpec route(String path, Endpoint endpoint, String... methods) {
        checkOpen();
        Objects.requireNonNull(endpoint, "endpoint");
        if (methods.length == 0) throw new IllegalArgumentException("Give at least one method");
        RouteSpec spec = new RouteSpec(this, path, List.of(methods), endpoint);
        routes.add(spec);
        return spec;
    }

    /**
     * Registers a WebSocket endpoint on {@code path} with the default {@link WebSocketOptions}
     * (1 MiB messages, 5 minute idle timeout, permessage-deflate when offered). The upgrade
     * request goes through routing (path parameters) and the before-request hooks like any GET:
     * a hook that answers (a login check) refuses the upgrade with its answer.
     *
     * <pre>{@code
     * app.ws("/chat/{room}", ws -> {
     *     for (Message m; (m = ws.receive()) != null; ) chat.say(ws.context().pathParam("room"), m.text());
     * });
     * }</pre>
     */
    public RouteSpec ws(String path, WebSocketEndpoint endpoint) {
        return ws(path, WebSocketOptions.defaults(), endpoint);
    }

    /** {@link #ws(String, WebSocketEndpoint)} with options: limits, timeouts, subprotocols, origin check. */
    public RouteSpec ws(String path, WebSocketOptions options, WebSocketEndpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(options, "options");
        return get(path, WebSocketEndpoint.asEndpoint(options, endpoint));
    }

    /**
     * Registers a server-sent events endpoint on {@code path}: a GET answered with a
     * {@code text/event-stream} that stays open (see {@link SseEndpoint} and {@link SseClient}).
     * Heartbeat comments go out every {@code SSE_HEARTBEAT} of quiet (default 15s); a client
     * with more than {@code SSE_MAX_QUEUED} undelivered broadcast events (default 1024) is
     * dropped as too slow.
     *
     * <pre>{@code
     * SseBroadcaster feed = new SseBroadcaster();
     * app.sse("/events", feed::add);
     * }</pre>
     */
    public RouteSpec sse(String path, SseEndpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        return get(path, SseEndpoint.asEndpoint(endpoint));
    }

    /**
     * Serves the files under {@code folder} at {@code urlPath}: {@code GET urlPath/css/site.css} sends
     * {@code folder/css/site.css}. Returns the route, to {@linkplain RouteSpec#name name} it for
     * {@code urlFor(name, Map.of("filename", "css/site.css"))}. See {@link StaticFiles}.
     *
     * <pre>{@code
     * app.staticFiles("/media", Path.of("/var/lib/myapp/media")).name("media");
     * }</pre>
     */
    public RouteSpec staticFiles(String urlPath, java.nio.file.Path folder) {
        return staticFiles(urlPath, StaticFiles.folder(folder));
    }

    /** Serves the classpath folder {@code resourceFolder} (e.g. {@code "public"}) at {@code urlPath}. */
    public RouteSpec staticFiles(String urlPath, String resourceFolder) {
        return staticFiles(urlPath, StaticFiles.classpath(resourceFolder));
    }

    /** Serves {@code files} at {@code urlPath}, e.g. with a {@link StaticFiles#maxAge max age}. */
    public RouteSpec staticFiles(String urlPath, StaticFiles files) {
        String base = urlPath.endsWith("/") ? urlPath.substring(0, urlPath.length() - 1) : urlPath;
        return route(base + "/{" + StaticFiles.PARAM + ":path}", files, "GET");
    }

    /** Runs {@code hook} before every request of this group. */
    public void before(Hooks.Before hook) {
        checkOpen();
        before.add(hook);
    }

    /** Runs {@code hook} after every successful endpoint of this group (last registered runs first). */
    public void after(Hooks.After hook) {
        checkOpen();
        after.add(hook);
    }

    /** Runs {@code hook} at the end of every request of this group, error or not. */
    public void teardown(Hooks.Teardown hook) {
        checkOpen();
        teardown.add(hook);
    }

    /** Handles errors with {@code status} (from {@link HttpError}, a 404 or 405, or 500 for any exception). */
    public void error(int status, Hooks.ErrorHandler<HttpError> handler) {
        checkOpen();
        statusHandlers.put(status, handler);
    }

    /** Handles exceptions of {@code type} and its subclasses; the most specific registered type wins. */
    @SuppressWarnings("unchecked")
    public <E extends Throwable> void exception(Class<E> type, Hooks.ErrorHandler<? super E> handler) {
        checkOpen();
        exceptionHandlers.put(type, (Hooks.ErrorHandler<Throwable>) (Hooks.ErrorHandler<?>) handler);
    }

    /** Registers a blueprint (and its nested blueprints) under this group's prefix. */
    public void register(Blueprint blueprint) {
        checkOpen();
        if (blueprint == this || children.contains(blueprint)) throw new IllegalArgumentException("Blueprint registered twice");
        children.add(blueprint);
    }

    /**
     * Exempts every route of this group (and of its nested blueprints) from CSRF checks, e.g. a JSON
     * API used by non-browser clients. Only do this for routes that read JSON with
     * {@link Context#bodyAs}, never form or text bodies: see {@link App#enableCsrf()}.
     *
     * <pre>{@code
     * var api = new Blueprint("api", "/api");
     * api.csrfExempt();
     * }</pre>
     */
    public void csrfExempt() {
        checkOpen();
        csrfExempt = true;
    }

    /** The group's name (the app's, or the blueprint's, used in endpoint names like {@code api.user}). */
    public String name() {
        return name;
    }
}
