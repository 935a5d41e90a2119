package dev.carafe.dev;

import dev.carafe.server.Request;
import dev.carafe.server.Response;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * Why the app cannot run after the last save: javac's errors, or an exception from the app's
 * {@code main}. Shown on every URL (HTML, text or JSON by {@code Accept}) until a save fixes it.
 */
final class BuildFailure {
    private final List<IncrementalCompiler.Problem> problems;
    private final Throwable exception;
    /** The folder file names are shown relative to: the project, or a single-file app's folder. */
    private final Path root;

    private BuildFailure(List<IncrementalCompiler.Problem> problems, Throwable exception, Path root) {
        this.problems = problems;
        this.exception = exception;
        this.root = root;
    }

    static BuildFailure compile(List<IncrementalCompiler.Problem> problems, Path root) {
        return new BuildFailure(problems.stream().filter(IncrementalCompiler.Problem::error).toList(), null, root);
    }

    static BuildFailure exception(Throwable e, Path root) {
        return new BuildFailure(List.of(), e, root);
    }

    private String where(IncrementalCompiler.Problem p) {
        String file = p.file() == null ? "?" : root.relativize(p.file()).toString();
        return file + ":" + p.line() + ":" + p.column();
    }

    /** The text printed on the console and sent to clients that are not browsers. */
    String consoleText() {
        StringBuilder sb = new StringBuilder();
        if (exception != null) {
            StringWriter w = new StringWriter();
            exception.printStackTrace(new PrintWriter(w));
            return sb.append(" * Reload failed: the app's main() threw\n").append(w).toString();
        }
        sb.append(" * Compile failed (").append(problems.size()).append(problems.size() == 1 ? " error" : " errors")
                .append("); fix and save to reload\n");
        for (IncrementalCompiler.Problem p : problems) {
            sb.append(where(p)).append(": error: ").append(p.message()).append('\n');
            for (String line : SourceExcerpt.lines(p.file(), p.line())) sb.append(line).append('\n');
        }
        return sb.toString();
    }

    void respond(Request request, Response response) throws IOException {
        String accept = request.header("Accept");
        response.status(500);
        if (accept != null && accept.contains("application/json") && !accept.contains("text/html")) {
            StringBuilder json = new StringBuilder("{\"status\":500,\"error\":\"")
                    .append(exception != null ? "Reload failed" : "Compile failed").append("\",\"problems\":[");
            for (int i = 0; i < problems.size(); i++) {
                IncrementalCompiler.Problem p = problems.get(i);
                json.append(i == 0 ? "" : ",").append("{\"file\":\"").append(jsonEscape(where(p).replaceAll(":\\d+:\\d+$", "")))
                        .append("\",\"line\":").append(p.line()).append(",\"column\":").append(p.column())
                        .append(",\"message\":\"").append(jsonEscape(p.message())).append("\"}");
            }
            json.append("]");
            if (exception != null) json.append(",\"exception\":\"").append(jsonEscape(exception.toString())).append('"');
            response.header("Content-Type", "application/json").send(json.append('}').toString());
            return;
        }
        if (accept == null || !accept.contains("text/html")) {
            response.header("Content-Type", "text/plain; charset=utf-8").send(consoleText());
            return;
        }
        StringBuilder html = new StringBuilder("<!doctype html>\n<html lang=\"en\"><meta charset=\"utf-8\"><title>")
                .append(exception != null ? "Reload failed" : "Compile error").append("</title>").append(SourceExcerpt.STYLE)
                .append("<body>");
        if (exception != null) {
            StringWriter w = new StringWriter();
            exception.printStackTrace(new PrintWriter(w));
            html.append("<h1>Reload failed: the app's main() threw</h1><pre>").append(SourceExcerpt.html(w.toString())).append("</pre>");
        } else {
            html.append("<h1>Compile error").append(problems.size() == 1 ? "" : "s (" + problems.size() + ")").append("</h1>");
            for (IncrementalCompiler.Problem p : problems) {
                html.append("<h2>").append(SourceExcerpt.html(where(p))).append("</h2><p>").append(SourceExcerpt.html(p.message()))
                        .append("</p>").append(SourceExcerpt.htmlBlock(p.file(), p.line(), p.column()));
            }
        }
        html.append("<p>Fix it and save: this page reloads by itself.</p></body></html>\n");
        response.header("Content-Type", "text/html; charset=utf-8").send(html.toString());
    }

    static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
