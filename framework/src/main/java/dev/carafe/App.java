package dev.carafe;

import dev.carafe.health.Health;
import dev.carafe.json.JacksonJsonMapper;
import dev.carafe.json.JsonMapper;
import dev.carafe.launch.DevMode;
import dev.carafe.launch.Options;
import dev.carafe.launch.RouteTable;
import dev.carafe.launch.Serving;
import dev.carafe.metrics.Metrics;
import dev.carafe.proxy.TrustedProxies;
import dev.carafe.routing.PathPattern;
import dev.carafe.routing.Router;
import dev.carafe.server.Handler;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import dev.carafe.session.Sessions;
import dev.carafe.staticfiles.StaticFiles;
import dev.carafe.template.PebbleTemplates;
import dev.carafe.template.TemplateEngine;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Carafe application: routes, hooks, error handlers and blueprints, served by Carafe's server.
 *
 * <pre>{@code
 * var app = new App();
 * app.get("/", ctx -> "Hello, world!");
 * app.get("/users/{id:int}", ctx -> users.find(ctx.pathParam("id", Integer.class))).name("user");
 * app.run(args);   // --port, --host, --debug, --routes; env PORT, CARAFE_DEBUG
 * }</pre>
 *
 * <p>Like Flask, an app serves the folder {@code static/} (in the working directory, else on the
 * classpath) at {@code /static/…}, by a route named {@code static}; the config keys
 * {@code STATIC_FOLDER}, {@code STATIC_URL_PATH} and {@code STATIC_MAX_AGE} change that (see
 * {@link StaticFiles}).
 *
 * <p>Register everything before the app starts serving; the route table is then built once
 * (ambiguous routes fail right there) and never changes while requests run.
 */
public final class App extends RouteGroup {
    /**
     * The framework's logger, created on first use: initializing slf4j (its provider lookup and
     * configuration) costs ~30 ms of startup on one core, which an app need not pay before the
     * first line it logs.
     */
    static Logger log() {
        return Log.LOG;
    }

    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(App.class);
    }

    private final Config config;
    /** Created on first use: Jackson loads ~470 classes, which an app without JSON need not pay for at startup. */
    private volatile JsonMapper jsonMapper;
    private volatile Router<Route> router;
    private final Map<String, Route> named = new HashMap<>();
    private boolean debug;
    private volatile TemplateEngine templates;
    private volatile boolean csrf;
    private volatile TrustedProxies proxies;
    volatile Metrics metrics; // set by metrics(path)
    private volatile boolean stopping; // a graceful stop began: readiness is false

    /** A new app reading its configuration with {@link Config#load()}. */
    public App() {
        this(Config.load());
    }

    /** A new app with the given configuration. */
    public App(Config config) {
        super("app", "");
        this.config = config;
        this.debug = config.getBoolean("DEBUG", false);
    }

    /** The configuration (defaults in code &lt; properties file &lt; {@code CARAFE_*} environment). */
    public Config config() {
        return config;
    }

    /** The JSON mapper used for JSON replies and {@link Context#bodyAs}. */
    public JsonMapper jsonMapper() {
        JsonMapper m = jsonMapper;
        if (m == null) {
            synchronized (this) {
                if (jsonMapper == null) jsonMapper = new JacksonJsonMapper();
                m = jsonMapper;
            }
        }
        return m;
    }

    /** Replaces the JSON mapper. */
    public App jsonMapper(JsonMapper mapper) {
        checkOpen();
        this.jsonMapper = mapper;
        return this;
    }

    /** Whether debug mode is on: detailed error pages (never on a public server). */
    public boolean debug() {
        return debug;
    }

    /** Turns debug mode on or off; {@link #run} also reads {@code --debug} and {@code CARAFE_DEBUG}. */
    public App debug(boolean on) {
        this.debug = on;
        return this;
    }

    /**
     * The template engine used by {@link Context#render}: by default {@link PebbleTemplates#forApp},
     * created on first use (templates from the classpath's {@code templates/}, or config
     * {@code TEMPLATE_FOLDER}; reloaded on every render in debug mode).
     */
    public TemplateEngine templates() {
        TemplateEngine t = templates;
        if (t == null) {
            synchronized (this) {
                if (templates == null) templates = PebbleTemplates.forApp(config, debug);
                t = templates;
            }
        }
        return t;
    }

    /**
     * Replaces the template engine.
     *
     * <pre>{@code
     * app.templates(PebbleTemplates.fromFolder(Path.of("views"), false));
     * }</pre>
     */
    public App templates(TemplateEngine engine) {
        this.templates = java.util.Objects.requireNonNull(engine, "engine");
        return this;
    }

    /**
     * Turns on CSRF protection (and sessions, which hold the token), like Flask-WTF's
     * {@code CSRFProtect}. Every {@code POST}, {@code PUT}, {@code PATCH} and {@code DELETE} must then
     * carry the session's token, in the form field {@code csrf_token} or the header
     * {@code X-CSRF-Token}, or it ends with {@code 400 CSRF token missing or invalid}
     * ({@link CsrfError}) before any hook or endpoint runs. Exempt are requests whose
     * {@code Content-Type} is JSON (a browser cannot send one to another site without a CORS
     * preflight, which Carafe does not grant) and routes or groups marked
     * {@link RouteGroup#csrfExempt()}.
     *
     * <pre>{@code
     * app.enableCsrf();
     * // in the form: <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
     * }</pre>
     */
    public App enableCsrf() {
        checkOpen();
        sessions.enable();
        csrf = true;
        return this;
    }

    /** Whether {@link #enableCsrf()} was called. */
    public boolean csrfEnabled() {
        return csrf;
    }

    @Override
    void checkOpen() {
        if (router != null) throw new IllegalStateException("The app is already serving; register routes before it starts");
    }

    // ---- the route table --------------------------------------------------------------------

    /** Builds the route table; called once before serving. Fails on ambiguous or duplicate routes. */
    synchronized Router<Route> routes() {
        if (router == null) {
            mountDefaultStatic();
            Router<Route> r = new Router<>();
            collect(this, "", "", new ArrayList<>(), r);
            for (Blueprint b : children) b.freeze();
            router = r;
        }
        return router;
    }

    /**
     * Flask's convention: when the folder {@code STATIC_FOLDER} (default {@code static}) exists in the
     * working directory, or else on the classpath, its files are served at {@code STATIC_URL_PATH}
     * (default {@code /static}) by a route named {@code static}, with {@code Cache-Control} from
     * {@code STATIC_MAX_AGE} when set. Skipped when {@code STATIC_FOLDER} is empty, or when the app
     * itself has a route named {@code static} or under that URL path.
     */
    private void mountDefaultStatic() {
        String folder = config.get("STATIC_FOLDER", "static").trim();
        String urlPath = config.get("STATIC_URL_PATH", "/static");
        if (folder.isEmpty()) return;
        for (RouteSpec spec : routes) {
            if ("static".equals(spec.name) || spec.path.startsWith(urlPath + "/")) return;
        }
        StaticFiles files = StaticFiles.locate(folder, Thread.currentThread().getContextClassLoader());
        if (files == null) return;
        java.time.Duration maxAge = config.getDuration("STATIC_MAX_AGE", null);
        if (maxAge != null) files.maxAge(maxAge);
        staticFiles(urlPath, files).name("static");
    }

    private void collect(RouteGroup group, String prefix, String namePrefix, List<RouteGroup> outer, Router<Route> r) {
        List<RouteGroup> chain = new ArrayList<>(outer);
        chain.add(group);
        String base = prefix + group.prefix;
        for (RouteSpec spec : group.routes) {
            PathPattern pattern = PathPattern.parse(spec.path.equals("/") && !base.isEmpty() ? base + "/" : base + spec.path);
            String name = spec.name == null ? null : namePrefix + spec.name;
            boolean exempt = spec.csrfExempt;
            for (RouteGroup g : chain) exempt |= g.csrfExempt; // a loop, not a stream: this runs per route at startup
            Route route = new Route(name, pattern, spec.endpoint, List.copyOf(chain), exempt);
            if (name != null) {
                Route before = named.putIfAbsent(name, route);
                if (before != null && before.endpoint() != spec.endpoint) {
                    throw new IllegalArgumentException("Two routes named '" + name + "': " + before.pattern() + " and " + pattern);
                }
            }
            for (String method : spec.methods) r.add(method, pattern, route);
        }
        for (Blueprint child : group.children) {
            collect(child, base, namePrefix + child.name + ".", chain, r);
        }
    }

    /**
     * The URL path of the route named {@code name} with {@code params} filled in (percent-encoded);
     * parameters the route does not declare become the query string. Names of blueprint routes
     * are qualified: {@code "api.todo"}.
     */
    public String urlFor(String name, Map<String, ?> params) {
        routes();
        Route route = named.get(name);
        if (route == null) throw new IllegalArgumentException("No route named '" + name + "'; names: " + named.keySet());
        return route.pattern().build(params);
    }

    /** Prints the route table like {@code flask routes}: name, methods, pattern. */
    public void printRoutes(PrintStream out) {
        RouteTable.print(routes().list(), Route::name, out);
    }

    // ---- behind a proxy, in a fleet --------------------------------------------------------

    /**
     * Trusts the last {@code hops} proxies in front of the app (Werkzeug's {@code ProxyFix}): the
     * client's address, the scheme, the host and the path prefix are taken from what they
     * forwarded, so {@link Context#remoteAddress()}, {@link Context#url()},
     * {@link Context#urlFor(String, Map, boolean)}, secure session cookies and the access log
     * show the client, not the proxy. Off by default (0), because a client could otherwise
     * forge these headers; also config {@code TRUST_PROXY} or {@code --trust-proxy N}.
     * {@code TRUST_PROXY_HEADERS} lists the headers believed (default
     * {@code x-forwarded-for,x-forwarded-proto}; also {@code x-forwarded-host}, {@code -prefix}; or {@code forwarded});
     * {@code TRUSTED_PROXY_ADDRESSES} (CIDR blocks, comma-separated) limits which peers may send them.
     *
     * <pre>{@code
     * app.trustProxy(1);   // one nginx in front
     * }</pre>
     */
    public App trustProxy(int hops) {
        proxies = TrustedProxies.of(hops, config.get("TRUST_PROXY_HEADERS"), config.get("TRUSTED_PROXY_ADDRESSES"));
        return this;
    }

    /** The proxies trusted for forwarded headers ({@link TrustedProxies#NONE} unless configured). */
    TrustedProxies proxies() {
        TrustedProxies p = proxies;
        if (p == null) {
            int hops = config.getInt("TRUST_PROXY", 0);
            proxies = p = hops == 0 ? TrustedProxies.NONE : trustProxy(hops).proxies;
        }
        return p;
    }

    /**
     * Serves liveness at {@code path} and readiness at {@code path + "/ready"} (see {@link Health}),
     * {@code 503} from the moment a graceful stop begins. Add checks to the result:
     * {@code app.health("/healthz").check("database", () -> db.isValid(1));}
     */
    public Health health(String path) {
        Health health = new Health(() -> stopping);
        get(path, ctx -> Reply.json(Map.of("status", "up")).header("Cache-Control", "no-store")).name("health");
        get(path + "/ready", ctx -> {
            Health.Readiness r = health.readiness();
            return Reply.json(r.body()).status(r.status()).header("Cache-Control", "no-store");
        }).name("health_ready");
        return health;
    }

    /**
     * Serves the app's metrics at {@code path} in the Prometheus text format, with no dependency:
     * requests by route, method and status, a latency histogram by route, requests in flight,
     * open connections, JVM memory, threads, GC and CPU. {@code app.metrics("/metrics");}
     */
    public App metrics(String path) {
        Metrics m = new Metrics();
        get(path, ctx -> Reply.text(m.scrape()).header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")).name("metrics");
        metrics = m;
        return this;
    }

    // ---- serving ----------------------------------------------------------------------------

    /** The app as a server {@link Handler}, to mount it on a {@link Server} yourself. */
    public Handler handler() {
        return new RequestPipeline(this, routes())::handle;
    }

    /** Starts serving with {@code config}; returns the running server (stop it with {@code close()}). */
    public Server start(ServerConfig config) throws IOException {
        dev.carafe.server.AccessLog log = config.accessLog();
        TrustedProxies trusted = proxies();
        if (log != null && trusted.hops() > 0) { // the log shows the client, not the proxy
            config = config.toBuilder().accessLog(trusted.logClients(log)).build();
        }
        Server server = Server.start(config, handler());
        server.onStopping(() -> stopping = true);
        Metrics m = metrics;
        if (m != null) m.connections(server::openConnections);
        return server;
    }

    /**
     * Runs the app from {@code main}: parses {@code --port N}, {@code --host H}, {@code --debug},
     * {@code --routes}, {@code --tls}, {@code --trust-proxy N} and {@code --log-format text|json}
     * (also env {@code PORT}, {@code HOST} and {@code CARAFE_DEBUG}), starts the server, prints
     * {@code Running on http://HOST:PORT}, and serves until the process is stopped. SIGTERM stops
     * gracefully: readiness turns false, the server drains for {@code DRAIN_DELAY} (default 0;
     * every response then says {@code Connection: close}), stops accepting, gives requests in
     * flight {@code SHUTDOWN_GRACE_SECONDS} (default 10) to finish, then the stop hooks run.
     * Exits with status 1 and a one-line message when the port is taken. With {@code --tls} it
     * serves HTTPS with the development certificate for localhost (made once and kept in
     * {@code ~/.cache/carafe/tls}) and prints {@code Running on https://HOST:PORT}.
     */
    public void run(String... args) {
        Options opts;
        try {
            opts = Options.parse(args, System.getenv());
        } catch (IllegalArgumentException e) { // a misspelt option or a bad value: one line, not a stack trace
            System.err.println("Error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (opts.debug()) debug = true;
        if (opts.routes()) {
            printRoutes(System.out);
            return;
        }
        DevMode dev = debug ? devMode() : null;
        if (dev != null && dev.adopt(this)) return; // a reload ran main(): the supervisor takes this app
        if (dev != null && dev.start(this, args, opts)) return;
        if (!debug && sessions.enabled() && !config.has("SECRET_KEY")) {
            System.err.println("Error: SECRET_KEY is not set. Sessions need it outside debug mode: "
                    + "set the environment variable CARAFE_SECRET_KEY (or SECRET_KEY in carafe.properties).");
            System.exit(1);
        }
        Server running;
        try {
            if (opts.trustProxy() >= 0) trustProxy(opts.trustProxy());
            running = start(Serving.serverConfig(opts, config));
        } catch (BindException | IllegalArgumentException e) { // a taken port, a bad TRUST_PROXY or LOG_FORMAT...
            System.err.println("Error: " + e.getMessage());
            System.exit(1);
            return;
        } catch (IOException e) {
            System.err.println("Error: cannot start the server: " + e.getMessage());
            System.exit(1);
            return;
        }
        Serving.stopOnShutdown(running, config, this::stop);
        if (debug) {
            System.out.println(" * Debug mode: on (detailed error pages; never expose this to a network)");
        }
        System.out.println("Running on " + running.url());
        System.out.flush();
    }

    private final List<Runnable> stopHooks = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Runs {@code hook} when the app stops: at shutdown, and in debug mode before a reload drops
     * this version of the app. Close pools, stop threads and release resources started at
     * startup here, or they outlive the reload.
     */
    public App onStop(Runnable hook) {
        stopHooks.add(hook);
        return this;
    }

    /** Runs the stop hooks (last registered first), once. */
    public void stop() {
        for (int i = stopHooks.size() - 1; i >= 0; i--) {
            try {
                stopHooks.get(i).run();
            } catch (RuntimeException e) {
                log().error("Stop hook failed", e);
            }
        }
        stopHooks.clear();
    }

    /** Debug mode's tools (reloader, debug page), looked up once and only when debug mode asks; null without them. */
    static DevMode devMode() {
        return DevModeHolder.DEV;
    }

    private static final class DevModeHolder {
        static final DevMode DEV = DevMode.find();
    }

    /** Session settings; turned on by {@link #enableSessions()}. */
    final Sessions sessions = new Sessions(this);

    /** The app's signed-cookie sessions (Flask's {@code app.session_interface}): on after {@link #enableSessions()}. */
    public Sessions sessions() {
        return sessions;
    }

    /**
     * Turns on signed-cookie sessions and flash messages. They are signed with {@code SECRET_KEY}
     * (and verified with it or any of {@code SECRET_KEY_FALLBACKS}); without one, the app refuses
     * to start outside debug mode.
     */
    public App enableSessions() {
        checkOpen();
        sessions.enable();
        return this;
    }
}
