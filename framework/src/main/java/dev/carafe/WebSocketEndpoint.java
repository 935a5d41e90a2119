package dev.carafe;

/**
 * The code behind a WebSocket route ({@link RouteGroup#ws}), run on the connection's virtual
 * thread once the handshake is accepted. Plain blocking code: {@code receive()} waits for the
 * next message and returns {@code null} when the connection is closed; the connection closes
 * when the endpoint returns.
 *
 * <pre>{@code
 * app.ws("/echo", ws -> {
 *     for (Message m; (m = ws.receive()) != null; ) ws.send(m.text());
 * });
 * }</pre>
 */
@FunctionalInterface
public interface WebSocketEndpoint {
    void handle(WebSocketConnection ws) throws Exception;
}
