/**
 * Carafe's HTTP/1.1 server: a {@link dev.carafe.server.Handler} per request on a virtual thread,
 * strict framing, bounded resources, WebSocket framing. No dependencies beyond {@code java.base}.
 *
 * <p>Exported: the server API ({@code dev.carafe.server}), WebSocket
 * ({@code dev.carafe.server.websocket}) and TLS ({@code dev.carafe.server.tls}). The protocol code
 * ({@code dev.carafe.server.http1}) is internal; the framework alone may see it, for the exception
 * a broken request body raises.
 */
module dev.carafe.server {
    exports dev.carafe.server;
    exports dev.carafe.server.websocket;
    exports dev.carafe.server.tls;
    exports dev.carafe.server.http1 to dev.carafe;
}
