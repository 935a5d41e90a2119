package dev.carafe.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Source lines around a line of interest, for error pages: the line itself is highlighted. */
final class SourceExcerpt {
    private static final int CONTEXT = 3;

    private SourceExcerpt() {}

    /** Escapes text for HTML. */
    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Lines {@code line-3 .. line+3} of {@code file} as numbered text; empty when unreadable. */
    static List<String> lines(Path file, long line) {
        List<String> out = new ArrayList<>();
        if (file == null || line <= 0) return out;
        try {
            List<String> all = Files.readAllLines(file);
            for (long i = Math.max(1, line - CONTEXT); i <= Math.min(all.size(), line + CONTEXT); i++) {
                out.add(String.format("%s%5d | %s", i == line ? ">" : " ", i, all.get((int) i - 1)));
            }
        } catch (IOException | RuntimeException e) {
            // no excerpt: the page still names file and line
        }
        return out;
    }

    /** The excerpt as an HTML {@code <pre>} with the line of interest marked, and a caret under {@code column}. */
    static String htmlBlock(Path file, long line, long column) {
        List<String> lines = lines(file, line);
        if (lines.isEmpty()) return "";
        StringBuilder sb = new StringBuilder("<pre class=\"src\">");
        for (String l : lines) {
            boolean hit = l.startsWith(">");
            sb.append(hit ? "<mark>" : "").append(html(l)).append(hit ? "</mark>" : "").append('\n');
            if (hit && column > 0) sb.append(" ".repeat((int) column + 8)).append("<b class=\"caret\">^</b>\n");
        }
        return sb.append("</pre>").toString();
    }

    static final String STYLE = "<style>body{font:15px/1.45 system-ui,sans-serif;margin:2rem;color:#222}"
            + "h1{color:#b00020;font-size:1.4rem}pre{background:#f6f6f6;padding:.6rem;overflow:auto;border-radius:4px}"
            + "mark{background:#ffe08a}b.caret{color:#b00020}.frame{margin:.3rem 0}.lib{color:#777}"
            + "table{border-collapse:collapse}td{border-top:1px solid #eee;padding:2px 8px;vertical-align:top;font-family:monospace}"
            + "summary{cursor:pointer;color:#555}</style>";
}
