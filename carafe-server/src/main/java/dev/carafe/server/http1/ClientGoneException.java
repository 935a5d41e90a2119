package dev.carafe.server.http1;

import java.io.IOException;

/** The client closed or reset the connection: nothing to answer, nobody to answer to. */
final class ClientGoneException extends IOException {
    ClientGoneException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // expected at hostile or departing clients: the trace would say nothing and cost much
    }
}
