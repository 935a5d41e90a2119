package dev.carafe.server.websocket;

import dev.carafe.server.Request;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One WebSocket connection (RFC 6455), after the handshake.
 *
 * <p>Reading belongs to the handler's thread: {@link #receive()} returns messages in the order
 * they arrived, answering pings and handling the close handshake in between. Sending is safe
 * from any thread; sends are serialized, so each message goes out whole, in the order the
 * {@code send} calls took the lock, and a send blocks while the client is slow to read
 * (back-pressure), at most the server's {@code ioTimeout}.
 *
 * <pre>{@code
 * ws -> {
 *     ws.send("welcome");
 *     for (Message m; (m = ws.receive()) != null; ) room.broadcast(m.text());
 *     // null: the client closed (see closeCode()), or the connection failed
 * }
 * }</pre>
 */
public interface WebSocket {
    /**
     * Waits for the next whole message; {@code null} once the connection is closed (by the client,
     * by {@link #close}, by a protocol error, or by the idle timeout). Not for concurrent use.
     */
    Message receive() throws IOException;

    /** Sends a text message. Throws if the connection is closed or the client is gone. */
    void send(String text) throws IOException;

    /** Sends a binary message. */
    void send(byte[] data) throws IOException;

    /** Sends a ping with {@code payload} (at most 125 bytes); the client answers with a pong. */
    void ping(byte[] payload) throws IOException;

    /**
     * Starts the close handshake with {@code code} and {@code reason} (at most 123 bytes of
     * UTF-8). {@link #receive()} then returns {@code null} once the client has answered, and the
     * connection is dropped if the client does not answer within a few seconds. Closing twice
     * does nothing.
     */
    void close(int code, String reason);

    /** {@code close(1000, "")}. */
    default void close() {
        close(CloseCodes.NORMAL, "");
    }

    /** Whether messages may still be sent: no close frame has been sent and the connection is up. */
    boolean isOpen();

    /**
     * The close code received from the client, or {@link CloseCodes#NO_STATUS} if its close frame
     * had none, or {@link CloseCodes#ABNORMAL} if the connection ended without one; 0 while open.
     */
    int closeCode();

    /** The reason the client gave with its close frame, or {@code ""}. */
    String closeReason();

    /** The subprotocol agreed in the handshake, or {@code null}. */
    String subprotocol();

    /** Whether permessage-deflate was negotiated. */
    boolean compressed();

    /** The upgrade request: path, headers (cookies, auth), query. */
    Request request();

    /** The client's address. */
    default InetSocketAddress remoteAddress() {
        return request().remoteAddress();
    }
}
