package dev.carafe.server.websocket;

import java.io.IOException;

/** A rule of RFC 6455 the client broke, with the close code that reports it. */
final class ProtocolError extends IOException {
    final int code;

    ProtocolError(int code, String message) {
        super(message);
        this.code = code;
    }
}
