package {{package}};

import dev.carafe.App;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {{name}} JSON API: items kept in memory. {@code carafe dev} serves it on
 * http://127.0.0.1:8080 with live reload.
 *
 * <pre>
 * curl localhost:8080/api/items
 * curl -X POST localhost:8080/api/items -H 'Content-Type: application/json' -d '{"name":"tea"}'
 * </pre>
 */
public final class {{Class}} {
    private {{Class}}() {}

    /** What clients send: the body of a POST. */
    record NewItem(String name) {}

    /** What clients get back. */
    record Item(int id, String name) {}

    /** Builds the app with its routes; the tests call this too. */
    public static App create() {
        var app = new App();
        Map<Integer, Item> items = new ConcurrentHashMap<>();
        AtomicInteger ids = new AtomicInteger();
        app.get("/", ctx -> Map.of("service", "{{name}}", "items", app.urlFor("items", Map.of())));
        app.get("/api/items", ctx -> List.copyOf(items.values())).name("items");
        app.get("/api/items/{id:int}", ctx -> Optional.ofNullable(items.get(ctx.pathParam("id", Integer.class)))); // empty: 404
        app.post("/api/items", ctx -> {
            NewItem body = ctx.bodyAs(NewItem.class); // malformed JSON is a 400 that says where
            if (body.name() == null || body.name().isBlank()) throw ctx.abort(422, "name is required");
            Item item = new Item(ids.incrementAndGet(), body.name());
            items.put(item.id(), item);
            ctx.status(201);
            return item;
        });
        return app;
    }

    public static void main(String[] args) {
        create().run(args); // --port N, --host H, --debug (carafe dev), --routes
    }
}
