package dev.carafe.examples.todo;

import dev.carafe.App;
import dev.carafe.Config;
import dev.carafe.HttpError;
import dev.carafe.Reply;
import java.io.IOException;
import java.io.InputStream;
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
        app.get("/static/{filename:path}", TodoApp::staticFile).name("static");
        app.error(404, (ctx, e) -> ctx.path().startsWith("/api/")
                ? Map.of("error", e.getMessage())
                : ctx.render("404.html", Map.of("message", e.getMessage())));
        return app;
    }

    /**
     * Serves the stylesheet from the classpath's {@code static/}. Only plain names of files we
     * ship are looked up, so {@code ..} can never climb out of that folder.
     */
    private static Reply staticFile(dev.carafe.Context ctx) throws IOException {
        String name = ctx.pathParam("filename");
        if (!name.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9]+)+")) throw new HttpError(404);
        try (InputStream in = TodoApp.class.getResourceAsStream("/static/" + name)) {
            if (in == null) throw new HttpError(404);
            String type = name.endsWith(".css") ? "text/css; charset=utf-8" : "application/octet-stream";
            return Reply.bytes(in.readAllBytes(), type).header("Cache-Control", "public, max-age=3600");
        }
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
        TodoRepository repo = new MemoryTodoRepository();
        repo.create(new TodoInput("Try Carafe", "Add a todo, attach a file, then GET /api/todos.", false), null);
        create(config, repo).run(args);
    }
}
