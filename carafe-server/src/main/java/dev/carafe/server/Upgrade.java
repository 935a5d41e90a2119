package dev.carafe.server;

/**
 * What takes over a connection after {@code 101 Switching Protocols}: a WebSocket session, for
 * example. Passed to {@link Response#upgrade(Upgrade)}; the server runs it on the connection's own
 * virtual thread once the handler has returned and the {@code 101} head is sent, and closes the
 * connection when it returns.
 *
 * <pre>{@code
 * response.header("Upgrade", "echo").upgrade(conn -> conn.input().transferTo(conn.output()));
 * }</pre>
 */
@FunctionalInterface
public interface Upgrade {
    /** Speaks the new protocol over {@code connection} until done. */
    void run(UpgradedConnection connection) throws Exception;
}
