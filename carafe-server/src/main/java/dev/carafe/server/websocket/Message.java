package dev.carafe.server.websocket;

import java.nio.charset.StandardCharsets;

/**
 * One complete WebSocket message (fragments already reassembled, decompressed, and, for text,
 * checked to be valid UTF-8).
 *
 * <pre>{@code
 * Message m = ws.receive();
 * if (m.isText()) System.out.println(m.text()); else store(m.bytes());
 * }</pre>
 *
 * @param isText whether it is a text message (else binary)
 * @param bytes  the payload; UTF-8 for text
 */
public record Message(boolean isText, byte[] bytes) {
    /** A text message. */
    public static Message text(String text) {
        return new Message(true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A binary message. */
    public static Message binary(byte[] bytes) {
        return new Message(false, bytes);
    }

    /** The payload decoded as UTF-8 (for binary messages too, if you know it is text). */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
