package dev.carafe.examples.todo;

import dev.carafe.App;
import dev.carafe.Context;
import dev.carafe.HttpError;
import dev.carafe.Reply;
import dev.carafe.http.UploadedFile;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTML side: a list with a form to add, a page per todo with a form to edit, each form
 * protected by CSRF and answered with Post/Redirect/Get plus a flash message, or re-rendered with
 * its errors and a {@code 422}.
 */
final class Pages {
    private final TodoRepository repo;
    private final long maxAttachment;

    private Pages(TodoRepository repo, long maxAttachment) {
        this.repo = repo;
        this.maxAttachment = maxAttachment;
    }

    static void register(App app, TodoRepository repo, long maxAttachment) {
        Pages p = new Pages(repo, maxAttachment);
        app.get("/", ctx -> p.index(ctx, null, Map.of())).name("index");
        app.post("/todos", p::create).name("create");
        app.get("/todos/{id:int}", ctx -> p.show(ctx, p.find(ctx), null, Map.of())).name("todo");
        app.post("/todos/{id:int}", p::update).name("update");
        app.post("/todos/{id:int}/toggle", p::toggle).name("toggle");
        app.post("/todos/{id:int}/delete", p::delete).name("delete");
        app.get("/todos/{id:int}/attachment", p::attachment).name("attachment");
    }

    private Todo find(Context ctx) {
        int id = ctx.pathParam("id", Integer.class);
        return repo.find(id).orElseThrow(() -> new HttpError(404, "No todo " + id));
    }

    private Reply index(Context ctx, TodoInput form, Map<String, String> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("todos", repo.all());
        model.put("form", form);
        model.put("errors", errors);
        return ctx.render("index.html", model);
    }

    private Reply show(Context ctx, Todo todo, TodoInput form, Map<String, String> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("todo", todo);
        model.put("form", form != null ? form : new TodoInput(todo.title(), todo.notes(), todo.done()));
        model.put("errors", errors);
        return ctx.render("todo.html", model);
    }

    private Object create(Context ctx) throws IOException {
        TodoInput input = input(ctx);
        Map<String, String> errors = new LinkedHashMap<>(input.errors());
        Attachment attachment = attachment(ctx, errors);
        if (!errors.isEmpty()) return index(ctx, input, errors).status(422);
        Todo todo = repo.create(input, attachment);
        // the session counts what this browser added: it has to survive from request to request
        String added = ctx.session().get("added");
        ctx.session().put("added", String.valueOf(added == null ? 1 : Integer.parseInt(added) + 1));
        ctx.flash("success", "Added “" + todo.title() + "”.");
        return Reply.redirect(ctx.urlFor("index"), 303);
    }

    private Object update(Context ctx) throws IOException {
        Todo todo = find(ctx);
        TodoInput input = input(ctx);
        Map<String, String> errors = new LinkedHashMap<>(input.errors());
        Attachment attachment = attachment(ctx, errors);
        if (!errors.isEmpty()) return show(ctx, todo, input, errors).status(422);
        repo.update(todo.id(), input, attachment).orElseThrow(() -> new HttpError(404));
        ctx.flash("success", "Saved.");
        return Reply.redirect(ctx.urlFor("todo", Map.of("id", todo.id())), 303);
    }

    private Object toggle(Context ctx) {
        Todo todo = find(ctx);
        repo.update(todo.id(), new TodoInput(todo.title(), todo.notes(), !todo.done()), null);
        return Reply.redirect(ctx.urlFor("index"), 303);
    }

    private Object delete(Context ctx) {
        Todo todo = find(ctx);
        repo.delete(todo.id());
        ctx.flash("success", "Deleted “" + todo.title() + "”.");
        return Reply.redirect(ctx.urlFor("index"), 303);
    }

    /** Sends the file back as a download, never inline: its declared type is the uploader's word. */
    private Object attachment(Context ctx) {
        Attachment a = find(ctx).attachment();
        if (a == null) throw new HttpError(404, "This todo has no attachment");
        String ascii = a.filename().replaceAll("[^A-Za-z0-9._-]", "_");
        String utf8 = URLEncoder.encode(a.filename(), StandardCharsets.UTF_8).replace("+", "%20");
        return Reply.bytes(a.content(), "application/octet-stream")
                .header("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + utf8)
                .header("X-Content-Type-Options", "nosniff");
    }

    private static TodoInput input(Context ctx) throws IOException {
        return new TodoInput(ctx.form("title"), ctx.form("notes"), ctx.form("done") != null);
    }

    /** The uploaded attachment, or null when none was chosen; too large is a form error, not a crash. */
    private Attachment attachment(Context ctx, Map<String, String> errors) throws IOException {
        UploadedFile file = ctx.file("attachment");
        if (file == null) return null;
        if (file.size() > maxAttachment) {
            errors.put("attachment", "The attachment must be at most " + (maxAttachment / 1024) + " KiB.");
            return null;
        }
        return new Attachment(file.filename(), file.contentType(), file.bytes());
    }
}
