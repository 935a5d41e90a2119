package dev.carafe.server.websocket;

/**
 * The code behind a WebSocket endpoint, run on the connection's own virtual thread once the
 * handshake is done. It is plain blocking code: {@link WebSocket#receive()} waits for the next
 * message (answering pings and handling the close handshake meanwhile) and returns {@code null}
 * when the connection has closed. When the handler returns, the server closes the connection
 * with {@code 1000} if it is still open.
 *
 * <pre>{@code
 * WebSocketHandler echo = ws -> {
 *     for (Message m; (m = ws.receive()) != null; ) {
 *         if (m.isText()) ws.send(m.text()); else ws.send(m.bytes());
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface WebSocketHandler {
    void handle(WebSocket ws) throws Exception;
}
