package dev.carafe.server;

/**
 * Answers one HTTP request: the whole contract between the server and an application.
 *
 * <p>Like Go's {@code http.Handler} or WSGI, it is a single method. The server calls it on the
 * connection's virtual thread, so a handler may block (on a database, a file, another service)
 * without holding up other connections.
 *
 * <pre>{@code
 * Handler hello = (request, response) ->
 *     response.header("Content-Type", "text/plain").send("Hello, world!");
 * }</pre>
 *
 * <p>A handler that returns without sending anything produces an empty {@code 200} (or whatever
 * status it set). An exception that escapes produces a generic {@code 500} if nothing was sent
 * yet; the connection is closed if part of the response was already written.
 */
@FunctionalInterface
public interface Handler {
    /** Reads {@code request} and answers through {@code response}. */
    void handle(Request request, Response response) throws Exception;
}
