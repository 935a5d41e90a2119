package dev.carafe.server.http2;

import java.io.IOException;

/** A request body past {@code maxBodyBytes}: the handler's read fails with this, and the client gets 413. */
final class BodyTooLargeException extends IOException {
    BodyTooLargeException(long max) {
        super("Request body larger than " + max + " bytes");
    }
}
