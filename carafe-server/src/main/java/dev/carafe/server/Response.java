package dev.carafe.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The answer to one request: a status, header fields and a body.
 *
 * <p>Set the status and headers, then send the body in one of two ways:
 * <ul>
 *   <li>{@link #send(byte[])} (or {@link #send(String)}): the whole body at once, with a
 *       {@code Content-Length}. The fastest path.</li>
 *   <li>{@link #body()}: an {@link OutputStream} for bodies produced piece by piece. The response
 *       is sent chunked unless a length was declared with {@link #contentLength(long)};
 *       {@link OutputStream#flush()} pushes what was written so far to the client.</li>
 * </ul>
 *
 * <pre>{@code
 * response.status(201)
 *         .header("Content-Type", "application/json")
 *         .send("{\"id\":7}");
 *
 * try (OutputStream out = response.header("Content-Type", "text/plain").body()) {
 *     for (String line : lines) { out.write(line.getBytes(UTF_8)); out.flush(); }
 * }
 * }</pre>
 *
 * <p>The server adds {@code Date}, {@code Content-Length} or {@code Transfer-Encoding}, and
 * {@code Connection} as the protocol requires; for {@code HEAD} requests and for 1xx, 204 and 304
 * responses no body bytes are ever sent, whatever the handler writes.
 */
public interface Response {
    /** Sets the status code (default {@code 200}). Returns this response. */
    Response status(int status);

    /** The status code set so far. */
    int status();

    /** Sets a header field, replacing others of the same name. Returns this response. */
    default Response header(String name, String value) {
        headers().set(name, value);
        return this;
    }

    /** The response's header fields, editable until the response is committed. */
    Headers headers();

    /** Declares the body length before writing it through {@link #body()}. Returns this response. */
    Response contentLength(long length);

    /** Sends {@code body} as the whole response body and completes the response. */
    void send(byte[] body) throws IOException;

    /** Sends {@code body}, encoded as UTF-8, as the whole response body. */
    default void send(String body) throws IOException {
        send(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The body as a stream; the status and headers are sent with the first flush or when the
     * buffer fills. Closing it completes the response; the server closes it if the handler does not.
     */
    OutputStream body() throws IOException;

    /** Whether the status line and headers have already been written. */
    boolean committed();

    /**
     * Runs {@code action} (on a thread of its own) if the server begins a graceful stop while this
     * response is still being written: a long-lived stream (server-sent events, a long poll) can
     * end itself instead of being cut at the stop's deadline. Forgotten when the exchange ends.
     *
     * <pre>{@code
     * response.onServerStop(events::close);
     * }</pre>
     */
    default void onServerStop(Runnable action) {
        // responses not served by a stoppable server (the in-process test client) never stop
    }

    /**
     * Answers {@code 101 Switching Protocols} with the headers set so far (the server adds
     * {@code Connection: Upgrade}) and hands the connection to {@code upgrade} once the handler
     * returns. Nothing else may be sent on this response. See {@link Upgrade}.
     *
     * @throws UnsupportedOperationException where the response cannot switch protocols (the
     *                                       in-process test client)
     */
    default void upgrade(Upgrade upgrade) {
        throw new UnsupportedOperationException("This response cannot switch protocols");
    }
}
