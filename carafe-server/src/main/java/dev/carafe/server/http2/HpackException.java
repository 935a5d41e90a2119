package dev.carafe.server.http2;

import java.io.IOException;

/** A header block that cannot be decoded: a connection error of type COMPRESSION_ERROR (RFC 9113 §4.3). */
final class HpackException extends IOException {
    HpackException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // hostile input, not a bug: a trace would say nothing
    }
}
