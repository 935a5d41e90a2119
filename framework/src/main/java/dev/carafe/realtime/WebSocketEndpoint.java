package dev.carafe.realtime;

import dev.carafe.Endpoint;
import dev.carafe.Reply;
import dev.carafe.server.websocket.WebSocketHandshake;
import dev.carafe.server.websocket.WebSocketOptions;

/**
 * The code behind a WebSocket route ({@link dev.carafe.RouteGroup#ws}), run on the connection's virtual
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

    /**
     * The plain endpoint that {@code app.ws(path, options, endpoint)} registers: a GET that checks
     * the upgrade against {@code options} (refusing it with the status the check gives, {@code 426}
     * for a plain GET) and hands the accepted connection to {@code endpoint}.
     */
    static Endpoint asEndpoint(WebSocketOptions options, WebSocketEndpoint endpoint) {
        return ctx -> {
            WebSocketHandshake.Refusal refusal = WebSocketHandshake.check(ctx.request(), options);
            if (refusal != null) {
                Reply r = Reply.text(refusal.message() + "\n").status(refusal.status());
                if (refusal.status() == 426) r.header("Upgrade", "websocket").header("Sec-WebSocket-Version", "13");
                return r;
            }
            return Reply.switching(response -> WebSocketHandshake.accept(ctx.request(), response, options,
                    ws -> endpoint.handle(new WebSocketConnection(ws, ctx))));
        };
    }
}
