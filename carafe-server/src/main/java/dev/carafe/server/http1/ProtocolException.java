package dev.carafe.server.http1;

import java.io.IOException;

/**
 * The client broke HTTP/1.1's rules. Carries the status to answer with; the connection is closed
 * after that answer, since the bytes that follow can no longer be trusted to start a request.
 */
public final class ProtocolException extends IOException {
    private final int status;

    public ProtocolException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The status code to answer with: 400, 408, 413, 414, 431, 501 or 505. */
    public int status() {
        return status;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // expected at hostile or departing clients: the trace would say nothing and cost much
    }
}
