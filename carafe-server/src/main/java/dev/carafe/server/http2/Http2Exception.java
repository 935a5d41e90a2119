package dev.carafe.server.http2;

import java.io.IOException;

/**
 * The client broke RFC 9113. A connection error ends the connection with GOAWAY; a stream error
 * ({@link #stream()} non-zero) resets that one stream and leaves the others alone (§5.4).
 */
final class Http2Exception extends IOException {
    private final int code;
    private final int stream;

    private Http2Exception(int code, int stream, String message) {
        super(ErrorCode.name(code) + ": " + message);
        this.code = code;
        this.stream = stream;
    }

    static Http2Exception connection(int code, String message) {
        return new Http2Exception(code, 0, message);
    }

    static Http2Exception stream(int stream, int code, String message) {
        return new Http2Exception(code, stream, message);
    }

    int code() {
        return code;
    }

    /** The stream to reset, or 0 for a connection error. */
    int stream() {
        return stream;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // expected from hostile or buggy clients: a trace would say nothing
    }
}
