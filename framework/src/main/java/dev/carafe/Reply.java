package dev.carafe;

import dev.carafe.server.Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

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
    private Takeover takeover;

    /** Writes the response itself on the server's {@link dev.carafe.server.Response}: a protocol switch. */
    @FunctionalInterface
    interface Takeover {
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
    static Reply switching(Takeover takeover) {
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

    boolean hasJson() {
        return jsonSet;
    }

    Object jsonValue() {
        return json;
    }
}
