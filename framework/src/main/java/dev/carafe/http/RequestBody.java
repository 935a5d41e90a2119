package dev.carafe.http;

import dev.carafe.Config;
import dev.carafe.HttpError;
import dev.carafe.json.JsonException;
import dev.carafe.json.JsonMapper;
import dev.carafe.server.Request;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * One request's body, read at most once and remembered in whichever form was asked for first: a
 * stream, bytes, text, JSON bound to a type, or a form with its uploads. {@code Context}'s body
 * methods are this class; it is public for handlers that work below the framework.
 *
 * <pre>{@code
 * var body = new RequestBody(request, Config.load(), JacksonJsonMapper::new);
 * Todo todo = body.as(Todo.class);
 * }</pre>
 */
public final class RequestBody {
    private final Request request;
    private final Config config;
    private final Supplier<JsonMapper> json;
    private TrackedStream stream;
    private byte[] bytes;
    private Forms.Data form;

    /** The body of {@code request}; forms are limited by {@code config}, JSON read by {@code json}'s mapper. */
    public RequestBody(Request request, Config config, Supplier<JsonMapper> json) {
        this.request = request;
        this.config = config;
        this.json = json;
    }

    /** The body as a stream, unbuffered. Use it or the other methods, not both. */
    public InputStream stream() {
        if (stream == null) stream = new TrackedStream(request.body());
        return stream;
    }

    /** The whole body (at most the server's {@code maxBodyBytes}). */
    public byte[] bytes() throws IOException {
        if (bytes == null) bytes = stream().readAllBytes();
        return bytes;
    }

    /** The body as UTF-8 text. */
    public String text() throws IOException {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /**
     * The JSON body as a {@code type}. Malformed JSON or a wrong shape is a {@code 400} whose message
     * names the position; a {@code Content-Type} that is not JSON is a {@code 415}, as in Flask: a
     * browser can send a form or {@code text/plain} body to any site, but not a JSON one, so this
     * keeps CSRF-exempt JSON endpoints from acting on forged requests.
     */
    public <T> T as(Class<T> type) throws IOException {
        if (!MimeTypes.isJson(request.header("Content-Type"))) {
            throw new HttpError(415, "Expected a JSON body (Content-Type: application/json)");
        }
        try {
            return json.get().read(new ByteArrayInputStream(bytes()), type);
        } catch (JsonException e) {
            throw new HttpError(400, e.getMessage(), e);
        }
    }

    /** The form (urlencoded or multipart by {@code Content-Type}; empty for other bodies), parsed once. */
    public Forms.Data form() throws IOException {
        if (form == null) form = Forms.read(request.header("Content-Type"), this, config);
        return form;
    }

    /** Whether reading failed: the client went away or broke the protocol mid-body. */
    public boolean readFailed() {
        return stream != null && stream.failed;
    }

    /** Deletes the temporary files of uploads; called when the request ends. */
    public void deleteUploads() {
        if (form != null) form.deleteFiles();
    }

    /** The request body, remembering whether a read failed, so such failures count as the client's. */
    private static final class TrackedStream extends FilterInputStream {
        boolean failed;

        TrackedStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }
}
