package dev.carafe;

import dev.carafe.http.Cookie;
import dev.carafe.server.Headers;
import dev.carafe.staticfiles.FileBody;
import dev.carafe.staticfiles.FileSender;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A complete response: status, headers, cookies and body, like Flask's {@code Response}.
 * Endpoints may return one for full control; every other return value becomes one before the
 * after-request hooks see it.
 *
 * <pre>{@code
 * return Reply.json(todo).status(201).header("Location", ctx.urlFor("todo", Map.of("id", todo.id())));
 * return Reply.redirect("/login");
 * return Reply.stream("text/plain", out -> { for (...) { out.write(...); out.flush(); } });
 * }</pre>
 */
public final class Reply {
    /** Writes a streamed body; {@code flush()} sends what was written so far. */
    @FunctionalInterface
    public interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    private int status = 200;
    private final Headers headers = new Headers(6);
    private byte[] body;
    private BodyWriter writer;
    private Object json;
    private boolean jsonSet;
    private long length = -1;
    private FileBody file;
    private Takeover takeover;

    /** Writes the response itself on the server's {@link dev.carafe.server.Response}: a protocol switch. */
    @FunctionalInterface
    public interface Takeover {
        void write(dev.carafe.server.Response response) throws IOException;
    }

    private Reply() {}

    /** An empty reply: {@code 204 No Content} unless another status is set. */
    public static Reply empty() {
        return new Reply().status(204);
    }

    /** An HTML page. */
    public static Reply html(String html) {
        return new Reply().contentType("text/html; charset=utf-8").body(html.getBytes(StandardCharsets.UTF_8));
    }

    /** Plain text. */
    public static Reply text(String text) {
        return new Reply().contentType("text/plain; charset=utf-8").body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code value} as JSON, serialized with the app's {@link dev.carafe.json.JsonMapper}. */
    public static Reply json(Object value) {
        Reply r = new Reply().contentType("application/json");
        r.json = value;
        r.jsonSet = true;
        return r;
    }

    /** Raw bytes of the given type. */
    public static Reply bytes(byte[] body, String contentType) {
        return new Reply().contentType(contentType).body(body);
    }

    /** A body written piece by piece (sent chunked), for large or slow-to-produce content. */
    public static Reply stream(String contentType, BodyWriter writer) {
        Reply r = new Reply().contentType(contentType);
        r.writer = writer;
        return r;
    }

    /**
     * The file at {@code path}, like Flask's {@code send_file}: streamed from disk (never read into
     * memory whole), with its content type, {@code ETag} and {@code Last-Modified}, answering
     * conditional requests with {@code 304}, a {@code Range} with {@code 206}, and gzip-compressed
     * when the client accepts it and the type compresses. A missing file is a {@code 404}.
     *
     * <pre>{@code
     * app.get("/report", ctx -> Reply.file(Path.of("reports/latest.pdf")).attachment("report.pdf"));
     * }</pre>
     *
     * <p>The path is used as given: never build it from request input; for that, use
     * {@link Context#sendFromDirectory(Path, String)}, which keeps the name inside a folder.
     */
    public static Reply file(Path path) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new HttpError(404);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path + ": " + e.getMessage(), e);
        }
        if (!attrs.isRegularFile()) throw new HttpError(404);
        Path absolute = path.toAbsolutePath();
        return file(new FileBody(absolute.getFileName().toString(), attrs.size(), attrs.lastModifiedTime().toMillis(),
                () -> Files.newInputStream(absolute), absolute.toString()));
    }

    /**
     * A file from any source (a folder, the classpath), sent like {@link #file(Path)}: conditional
     * requests, ranges and gzip are handled from what {@code body} says about it.
     */
    public static Reply file(FileBody body) {
        Reply r = new Reply();
        FileSender.describe(r, body);
        r.file = body;
        r.length = body.length();
        return r;
    }

    /**
     * The default error page for {@code status}: JSON for clients that prefer it ({@code Accept}),
     * a small HTML page for everyone else; {@code message} (may be null) is shown to the client.
     */
    public static Reply defaultError(Context ctx, int status, String message) {
        return Replies.defaultError(ctx, status, message);
    }

    /** A {@code 302 Found} redirect to {@code location}. */
    public static Reply redirect(String location) {
        return redirect(location, 302);
    }

    /** A redirect with the given 3xx status (301, 302, 303, 307 or 308). */
    public static Reply redirect(String location, int status) {
        if (status < 300 || status > 399) throw new IllegalArgumentException("Redirect status must be 3xx: " + status);
        String escaped = location.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
        return html("<!doctype html>\n<title>Redirecting</title>\n<p>Redirecting to <a href=\"" + escaped + "\">"
                + escaped + "</a>.</p>\n").status(status).header("Location", location);
    }

    public Reply status(int status) {
        if (status < 100 || status > 599) throw new IllegalArgumentException("Invalid status: " + status);
        this.status = status;
        return this;
    }

    public int status() {
        return status;
    }

    /** Sets a header, replacing others of that name. */
    public Reply header(String name, String value) {
        headers.set(name, value);
        return this;
    }

    /** The headers, editable (after-request hooks add to them). */
    public Headers headers() {
        return headers;
    }

    public Reply contentType(String type) {
        return header("Content-Type", type);
    }

    /**
     * Makes browsers save the reply as {@code filename} rather than show it ({@code Content-Disposition:
     * attachment}), like Flask's {@code send_file(..., as_attachment=True, download_name=...)}.
     * Non-ASCII names are sent in both forms browsers read (RFC 6266).
     *
     * <pre>{@code
     * return Reply.file(Path.of("exports", id + ".csv")).attachment("Überblick 2024.csv");
     * }</pre>
     */
    public Reply attachment(String filename) {
        StringBuilder ascii = new StringBuilder(), encoded = new StringBuilder();
        for (int c : filename.codePoints().toArray()) {
            // A quoted-string fallback: no quotes, backslashes, controls or non-ASCII.
            ascii.append(c < 0x20 || c >= 0x7f || c == '"' || c == '\\' ? '_' : (char) c);
        }
        for (byte b : filename.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        String value = "attachment; filename=\"" + ascii + "\"";
        if (!ascii.toString().equals(filename)) value += "; filename*=UTF-8''" + encoded;
        return header("Content-Disposition", value);
    }

    /** Adds a {@code Set-Cookie} header. */
    public Reply cookie(Cookie cookie) {
        headers.add("Set-Cookie", cookie.toHeader());
        return this;
    }

    /** Replaces the body with {@code bytes}. */
    public Reply body(byte[] bytes) {
        this.body = bytes;
        this.takeover = null;
        this.writer = null;
        this.jsonSet = false;
        this.file = null;
        this.length = -1;
        return this;
    }

    /** The body bytes, or {@code null} for a streamed or JSON reply not yet serialized. */
    public byte[] body() {
        return body;
    }

    /** The body as text (UTF-8), or {@code null} when it is not held in memory. */
    public String bodyText() {
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    /** A {@code 101} that hands the connection to {@code takeover} (WebSocket routes). */
    public static Reply switching(Takeover takeover) {
        Reply r = new Reply().status(101);
        r.takeover = takeover;
        return r;
    }

    Takeover takeover() {
        return takeover;
    }

    BodyWriter writer() {
        return writer;
    }

    /** Sets a streamed body of known length (sent with a {@code Content-Length}), replacing any other. */
    public Reply body(BodyWriter writer, long length) {
        this.body = null;
        this.jsonSet = false;
        this.file = null;
        this.writer = writer;
        this.length = length;
        return this;
    }

    /** The length of a streamed body when known, else -1. */
    public long length() {
        return length;
    }

    /**
     * The file this reply sends ({@link #file(Path)}), until the request's conditional, range and
     * gzip handling turns it into a body after the hooks ran; {@code null} for other replies.
     */
    public FileBody file() {
        return file;
    }

    boolean hasJson() {
        return jsonSet;
    }

    Object jsonValue() {
        return json;
    }
}
