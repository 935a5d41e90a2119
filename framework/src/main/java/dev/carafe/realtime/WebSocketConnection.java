package dev.carafe.realtime;

import dev.carafe.Context;
import dev.carafe.server.Request;
import dev.carafe.server.websocket.Message;
import dev.carafe.server.websocket.WebSocket;
import java.io.IOException;

/**
 * A WebSocket connection as a {@link WebSocketEndpoint} sees it: the server's {@link WebSocket}
 * (receive, send from any thread, ping, close) plus the {@link Context} of the upgrade request,
 * so path parameters, cookies and the session are at hand. The request has ended by the time the
 * endpoint runs: the context is for reading; a changed session is not saved.
 *
 * <pre>{@code
 * app.ws("/rooms/{room}", ws -> {
 *     String room = ws.context().pathParam("room");
 *     String user = ws.context().session().get("user");
 *     for (Message m; (m = ws.receive()) != null; ) rooms.say(room, user, m.text());
 * });
 * }</pre>
 */
public final class WebSocketConnection implements WebSocket {
    private final WebSocket ws;
    private final Context ctx;

    WebSocketConnection(WebSocket ws, Context ctx) {
        this.ws = ws;
        this.ctx = ctx;
    }

    /** The upgrade request's context: path parameters, query, cookies, session, attributes set by hooks. */
    public Context context() {
        return ctx;
    }

    @Override public Message receive() throws IOException { return ws.receive(); }
    @Override public void send(String text) throws IOException { ws.send(text); }
    @Override public void send(byte[] data) throws IOException { ws.send(data); }
    @Override public void ping(byte[] payload) throws IOException { ws.ping(payload); }
    @Override public void close(int code, String reason) { ws.close(code, reason); }
    @Override public boolean isOpen() { return ws.isOpen(); }
    @Override public int closeCode() { return ws.closeCode(); }
    @Override public String closeReason() { return ws.closeReason(); }
    @Override public String subprotocol() { return ws.subprotocol(); }
    @Override public boolean compressed() { return ws.compressed(); }
    @Override public Request request() { return ws.request(); }

    @Override
    public String toString() {
        return "WebSocket " + ws.request().path() + " from " + ws.remoteAddress();
    }
}
