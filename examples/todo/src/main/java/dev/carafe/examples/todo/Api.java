package dev.carafe.examples.todo;

import dev.carafe.Blueprint;
import dev.carafe.Context;
import dev.carafe.HttpError;
import dev.carafe.Reply;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON API over the same repository: {@code /api/todos}, with REST status codes
 * ({@code 201} + {@code Location}, {@code 204}, {@code 404}, {@code 422} with field errors) and
 * every error as JSON. It is exempt from CSRF checks: it reads only JSON bodies, which a browser
 * cannot send to another site without a CORS preflight (and {@code ctx.bodyAs} refuses other
 * types with a {@code 415}).
 */
final class Api {
    private Api() {}

    static Blueprint blueprint(TodoRepository repo) {
        Blueprint api = new Blueprint("api", "/api");
        api.csrfExempt();
        api.get("/todos", ctx -> repo.all().stream().map(t -> view(ctx, t)).toList()).name("todos");
        api.post("/todos", ctx -> {
            TodoInput input = read(ctx);
            Map<String, String> errors = input.errors();
            if (!errors.isEmpty()) return Reply.json(Map.of("errors", errors)).status(422);
            Todo todo = repo.create(input, null);
            return Reply.json(view(ctx, todo)).status(201).header("Location", ctx.urlFor("api.todo", Map.of("id", todo.id())));
        });
        api.get("/todos/{id:int}", ctx -> view(ctx, repo.find(id(ctx)).orElseThrow(() -> notFound(ctx)))).name("todo");
        api.put("/todos/{id:int}", ctx -> {
            int id = id(ctx);
            if (repo.find(id).isEmpty()) throw notFound(ctx);
            TodoInput input = read(ctx);
            Map<String, String> errors = input.errors();
            if (!errors.isEmpty()) return Reply.json(Map.of("errors", errors)).status(422);
            return view(ctx, repo.update(id, input, null).orElseThrow(() -> notFound(ctx)));
        });
        api.delete("/todos/{id:int}", ctx -> {
            if (!repo.delete(id(ctx))) throw notFound(ctx);
            return Reply.empty();
        });
        for (int status : List.of(400, 404, 405, 413, 415)) {
            api.error(status, (ctx, e) -> Map.of("error", e.getMessage()));
        }
        return api;
    }

    private static int id(Context ctx) {
        return ctx.pathParam("id", Integer.class);
    }

    private static HttpError notFound(Context ctx) {
        return new HttpError(404, "No todo " + id(ctx));
    }

    private static TodoInput read(Context ctx) throws IOException {
        TodoInput input = ctx.bodyAs(TodoInput.class);
        if (input == null) throw new HttpError(400, "Expected a JSON object like {\"title\": \"milk\"}");
        return input;
    }

    /** The JSON form of a todo: the attachment as its name, size and download URL. */
    static Map<String, Object> view(Context ctx, Todo t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("title", t.title());
        m.put("notes", t.notes());
        m.put("done", t.done());
        m.put("url", ctx.urlFor("api.todo", Map.of("id", t.id())));
        Attachment a = t.attachment();
        m.put("attachment", a == null ? null
                : Map.of("filename", a.filename(), "size", a.size(), "url", ctx.urlFor("attachment", Map.of("id", t.id()))));
        return m;
    }
}
