package dev.carafe;

import dev.carafe.template.TemplateException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** The error page shown in debug mode only: the exception, the template lines it came from, and its stack trace. */
final class DebugPage {
    private DebugPage() {}

    static Reply render(Context ctx, Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        if (Replies.wantsJson(ctx)) {
            return Reply.json(Map.of("status", 500, "error", error.toString(), "trace", trace.toString())).status(500);
        }
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/html")) return Reply.text(trace.toString()).status(500);
        String source = error instanceof TemplateException t && t.excerpt() != null
                ? "<h2>" + Replies.escape(t.template()) + ", line " + t.line() + "</h2>\n<pre>" + Replies.escape(t.excerpt()) + "</pre>\n"
                : "";
        return Reply.html("<!doctype html>\n<html lang=\"en\">\n<title>" + Replies.escape(error.toString()) + "</title>\n<h1>"
                + Replies.escape(error.getClass().getName()) + "</h1>\n<p>" + Replies.escape(String.valueOf(error.getMessage()))
                + "</p>\n" + source + "<pre>" + Replies.escape(trace.toString()) + "</pre>\n</html>\n").status(500);
    }
}
