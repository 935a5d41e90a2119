package dev.carafe;

import dev.carafe.server.HttpStatus;

/**
 * Ends the request with an HTTP error status, like Flask's {@code abort(404)}. The message is
 * shown to the client, so it must not contain secrets; error handlers registered for the status
 * get the chance to render it first.
 *
 * <pre>{@code
 * Todo todo = repo.find(id).orElseThrow(() -> new HttpError(404, "No todo " + id));
 * throw ctx.abort(403);
 * }</pre>
 */
public class HttpError extends RuntimeException {
    private final int status;

    public HttpError(int status) {
        this(status, HttpStatus.reason(status));
    }

    public HttpError(int status, String message) {
        this(status, message, null);
    }

    public HttpError(int status, String message, Throwable cause) {
        super(message, cause);
        if (status < 400 || status > 599) throw new IllegalArgumentException("Error status must be 4xx or 5xx: " + status);
        this.status = status;
    }

    /** The status code, 4xx or 5xx. */
    public int status() {
        return status;
    }
}
