package dev.carafe.dev;

import dev.carafe.Context;
import dev.carafe.Reply;
import dev.carafe.template.TemplateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The page an unhandled exception produces in debug mode, and only then: the exception and its
 * causes, the request (method, URL, headers, query, session), and every stack frame — the
 * developer's own frames with their source lines, library and JDK frames folded away. HTML for
 * browsers, plain text for curl, JSON for {@code Accept: application/json}.
 */
final class DebugPage {
    private DebugPage() {}

    /** One stack frame and, when it is the project's code, its source file. */
    private record Frame(StackTraceElement element, Path source) {
        boolean own() {
            return source != null;
        }
    }

    /** Renders {@code error} for the request in {@code ctx}, with status 500. */
    public static Reply render(Context ctx, Throwable error) {
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("application/json") && !accept.contains("text/html")) return json(ctx, error);
        if (accept == null || !accept.contains("text/html")) return Reply.text(text(ctx, error)).status(500);
        return Reply.html(html(ctx, error)).status(500);
    }

    private static List<Throwable> chain(Throwable error) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable t = error; t != null && !out.contains(t); t = t.getCause()) out.add(t);
        return out;
    }

    private static List<Frame> frames(Throwable t) {
        Path root = Path.of("src/main/java").toAbsolutePath();
        List<Frame> out = new ArrayList<>();
        for (StackTraceElement e : t.getStackTrace()) {
            Path source = null;
            if (e.getFileName() != null && e.getLineNumber() > 0) {
                String cls = e.getClassName();
                String pkg = cls.contains(".") ? cls.substring(0, cls.lastIndexOf('.')).replace('.', '/') : "";
                Path candidate = root.resolve(pkg).resolve(e.getFileName());
                Path single = DevServer.singleFileSource();
                if (Files.isRegularFile(candidate)) source = candidate;
                else if (single != null && single.getFileName().toString().equals(e.getFileName())) source = single;
            }
            out.add(new Frame(e, source));
        }
        return out;
    }

    private static Map<String, Object> request(Context ctx) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("method", ctx.method());
        r.put("url", ctx.url());
        Map<String, String> headers = new LinkedHashMap<>();
        ctx.headers().forEach((n, v) -> headers.merge(n, v, (a, b) -> a + ", " + b));
        r.put("headers", headers);
        r.put("query", ctx.queryMap());
        r.put("pathParams", ctx.pathParams());
        try {
            r.put("session", ctx.session().asMap());
        } catch (RuntimeException sessionsOff) {
            r.put("session", "(sessions off)");
        }
        return r;
    }

    private static String text(Context ctx, Throwable error) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t : chain(error)) {
            sb.append(t == error ? "" : "Caused by: ").append(t).append('\n');
            for (Frame f : frames(t)) {
                sb.append(f.own() ? "  > " : "    ").append("at ").append(f.element()).append('\n');
                if (f.own()) for (String line : SourceExcerpt.lines(f.source(), f.element().getLineNumber())) {
                    sb.append("      ").append(line).append('\n');
                }
            }
        }
        sb.append("\nRequest: ").append(ctx.method()).append(' ').append(ctx.url()).append('\n');
        ctx.headers().forEach((n, v) -> sb.append("  ").append(n).append(": ").append(v).append('\n'));
        return sb.toString();
    }

    private static Reply json(Context ctx, Throwable error) {
        List<Map<String, Object>> causes = new ArrayList<>();
        for (Throwable t : chain(error)) {
            List<Map<String, Object>> frames = new ArrayList<>();
            for (Frame f : frames(t)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("class", f.element().getClassName());
                m.put("method", f.element().getMethodName());
                m.put("file", f.element().getFileName());
                m.put("line", f.element().getLineNumber());
                m.put("own", f.own());
                if (f.own()) m.put("source", SourceExcerpt.lines(f.source(), f.element().getLineNumber()));
                frames.add(m);
            }
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("type", t.getClass().getName());
            c.put("message", t.getMessage());
            c.put("frames", frames);
            causes.add(c);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", 500);
        body.put("error", error.toString());
        body.put("exceptions", causes);
        body.put("request", request(ctx));
        return Reply.json(body).status(500);
    }

    private static String html(Context ctx, Throwable error) {
        StringBuilder sb = new StringBuilder("<!doctype html>\n<html lang=\"en\"><meta charset=\"utf-8\"><title>")
                .append(SourceExcerpt.html(error.toString())).append("</title>").append(SourceExcerpt.STYLE).append("<body>");
        for (Throwable t : chain(error)) {
            if (t instanceof TemplateException te && te.excerpt() != null) {
                sb.append("<h2>").append(SourceExcerpt.html(te.template())).append(", line ").append(te.line())
                        .append("</h2><pre class=\"src\">").append(SourceExcerpt.html(te.excerpt())).append("</pre>");
            }
            sb.append(t == error ? "<h1>" : "<h2>Caused by: ").append(SourceExcerpt.html(t.getClass().getName()))
                    .append(t == error ? "</h1>" : "</h2>").append("<p>").append(SourceExcerpt.html(String.valueOf(t.getMessage())))
                    .append("</p>");
            List<Frame> folded = new ArrayList<>();
            for (Frame f : frames(t)) {
                if (!f.own()) {
                    folded.add(f);
                    continue;
                }
                flushFolded(sb, folded);
                sb.append("<div class=\"frame\"><b>").append(SourceExcerpt.html(f.element().toString())).append("</b>")
                        .append(SourceExcerpt.htmlBlock(f.source(), f.element().getLineNumber(), 0)).append("</div>");
            }
            flushFolded(sb, folded);
        }
        sb.append("<h2>Request</h2><table>");
        request(ctx).forEach((k, v) -> sb.append("<tr><td>").append(k).append("</td><td>")
                .append(SourceExcerpt.html(String.valueOf(v))).append("</td></tr>"));
        return sb.append("</table><p class=\"lib\">Shown because debug mode is on. Never run debug mode on a public server.</p>"
                + "</body></html>\n").toString();
    }

    private static void flushFolded(StringBuilder sb, List<Frame> folded) {
        if (folded.isEmpty()) return;
        sb.append("<details class=\"lib\"><summary>").append(folded.size()).append(" library frame")
                .append(folded.size() == 1 ? "" : "s").append("</summary><pre>");
        for (Frame f : folded) sb.append("at ").append(SourceExcerpt.html(f.element().toString())).append('\n');
        sb.append("</pre></details>");
        folded.clear();
    }
}
