package dev.carafe.template;

import java.util.Map;

/**
 * Renders named templates to text. Carafe's default is {@link PebbleTemplates} (Jinja-like syntax:
 * inheritance, blocks, filters, HTML autoescaping); implement this interface to plug in another
 * engine with {@code app.templates(engine)}.
 *
 * <pre>{@code
 * app.get("/", ctx -> ctx.render("index.html", Map.of("todos", repo.all())));
 * app.templates(new MyMustacheEngine());   // replace the engine
 * }</pre>
 *
 * <p>When a template is rendered through {@code ctx.render}, the model also holds the request's
 * globals: {@code request} (a {@link RequestView}), {@code session} (a map) and, under
 * {@link #CONTEXT_KEY}, the request's {@code dev.carafe.Context}, which engine functions such as
 * {@code url_for()} use. Implementations must be safe to call from many threads at once.
 */
public interface TemplateEngine {
    /** Model key under which {@code ctx.render} passes the current {@code dev.carafe.Context}. */
    String CONTEXT_KEY = "_carafe_context";

    /**
     * Renders template {@code name} (a path relative to the template folder, e.g. {@code "todos/list.html"}).
     *
     * @throws TemplateException when the template is missing or fails to parse or render; its
     *         message names the file and line
     */
    String render(String name, Map<String, Object> model);

    /**
     * The content type of what template {@code template} renders, by its name: HTML unless the
     * name ends in {@code .txt}, {@code .xml}, {@code .json}, {@code .svg}, {@code .css} or {@code .js}.
     */
    static String contentType(String template) {
        String n = template.toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".txt")) return "text/plain; charset=utf-8";
        if (n.endsWith(".xml")) return "application/xml; charset=utf-8";
        if (n.endsWith(".json")) return "application/json";
        if (n.endsWith(".svg")) return "image/svg+xml";
        if (n.endsWith(".css")) return "text/css; charset=utf-8";
        if (n.endsWith(".js")) return "text/javascript; charset=utf-8";
        return "text/html; charset=utf-8";
    }
}
