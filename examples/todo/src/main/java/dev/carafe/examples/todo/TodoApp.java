package dev.carafe.examples.todo;

import dev.carafe.App;
import dev.carafe.Config;
import dev.carafe.session.CsrfError;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * A small but real Carafe app: HTML pages with template inheritance, a form with validation
 * errors, CSRF protection and an optional attachment, sessions and flash messages, a JSON API
 * over the same data, static CSS and a custom 404 page.
 *
 * <pre>{@code
 * ./carafe run todo              # http://127.0.0.1:8080
 * java -jar examples/todo/target/todo.jar --port 9000
 * }</pre>
 */
public final class TodoApp {
    /** Attachments above this size are refused with a form error (config {@code MAX_ATTACHMENT_BYTES}). */
    static final long MAX_ATTACHMENT_BYTES = 1 << 20;
    /** Whole request bodies above this are refused by the server with a {@code 413} (config {@code MAX_CONTENT_LENGTH}). */
    static final long MAX_CONTENT_LENGTH = 4 << 20;

    private TodoApp() {}

    /** The app over {@code repo}; tests build it with their own config and repository. */
    public static App create(Config config, TodoRepository repo) {
        config.setDefault("MAX_CONTENT_LENGTH", Long.toString(MAX_CONTENT_LENGTH));
        App app = new App(config).enableCsrf();
        Pages.register(app, repo, config.getLong("MAX_ATTACHMENT_BYTES", MAX_ATTACHMENT_BYTES));
        app.register(Api.blueprint(repo));
        // for the balancer and the scraper: liveness, readiness (off while draining) and metrics
        app.health("/healthz").check("store", () -> repo.all() != null);
        app.metrics("/metrics");
        // style.css is served by Carafe's /static convention, from the classpath's static/
        app.error(404, (ctx, e) -> ctx.path().startsWith("/api/")
                ? Map.of("error", e.getMessage())
                : ctx.render("404.html", Map.of("message", e.getMessage())));
        // a stale tab or an expired session is the usual cause: say so instead of a bare 400
        app.exception(CsrfError.class, (ctx, e) -> ctx.render("csrf.html").status(400));
        return app;
    }

    public static void main(String[] args) {
        Config config = Config.load();
        if (!config.has("SECRET_KEY")) {
            // An example should start with no setup; a real deployment sets CARAFE_SECRET_KEY so that
            // sessions survive restarts and are shared by every instance.
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            config.setDefault("SECRET_KEY", Base64.getEncoder().encodeToString(key));
            System.err.println("Note: CARAFE_SECRET_KEY is not set; using a random key (sessions end with the process).");
        }
        String store = config.get("TODO_STORE");
        TodoRepository repo;
        if (store != null) {
            // several instances share one list: see FileTodoRepository
            try {
                repo = FileTodoRepository.open(java.nio.file.Path.of(store));
            } catch (java.io.IOException e) {
                System.err.println("Error: cannot open TODO_STORE " + store + ": " + e.getMessage());
                System.exit(1);
                return;
            }
        } else {
            repo = new MemoryTodoRepository();
            repo.create(new TodoInput("Try Carafe", "Add a todo, attach a file, then GET /api/todos.", false), null);
        }
        create(config, repo).run(args);
    }
}
