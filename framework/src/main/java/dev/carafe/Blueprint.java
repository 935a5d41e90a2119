package dev.carafe;

/**
 * A group of routes under a URL prefix, with its own hooks and error handlers, registered on an
 * app (or on another blueprint: they nest). Route names are qualified by the blueprint's name:
 * a route named {@code show} in blueprint {@code api} is {@code api.show} for {@code urlFor}.
 *
 * <pre>{@code
 * var api = new Blueprint("api", "/api");
 * api.before(ctx -> ctx.header("X-Api-Key") == null ? Reply.json(Map.of("error", "key")).status(401) : null);
 * api.get("/todos", ctx -> repo.all()).name("todos");
 * app.register(api);            // GET /api/todos, named api.todos
 * }</pre>
 */
public final class Blueprint extends RouteGroup {
    private volatile boolean frozen;

    public Blueprint(String name, String prefix) {
        super(requireName(name), prefix);
    }

    private static String requireName(String name) {
        if (name == null || !dev.carafe.routing.PathPattern.isIdentifier(name)) {
            throw new IllegalArgumentException("Blueprint name must be an identifier: " + name);
        }
        return name;
    }

    void freeze() {
        frozen = true;
        for (Blueprint child : children) child.freeze();
    }

    @Override
    void checkOpen() {
        if (frozen) throw new IllegalStateException("Blueprint " + name + " is already registered on a running app");
    }
}
