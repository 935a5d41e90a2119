package dev.carafe.server.http2;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request and its response (RFC 9113 §5.1). The reader thread feeds the request body; the
 * stream's own virtual thread runs the handler and writes the response. A stream counts against
 * the concurrency limit from its HEADERS until its handler returns, however early it is reset.
 */
final class Http2Stream {
    final int id;
    final RequestBody body;
    /** Declared Content-Length, or -1. */
    final long declaredLength;
    /** Body bytes received so far (reader thread only). */
    long received;
    /** Bytes the client may still send before a WINDOW_UPDATE (decremented by the reader, raised as the body is read). */
    final AtomicInteger recvWindow;
    /** Bytes read by the handler but not yet granted back to the client in a WINDOW_UPDATE. */
    final AtomicInteger unacked = new AtomicInteger();
    /** Bytes this side may still send; guarded by the connection's {@link SendWindows} lock. */
    long sendWindow;
    /** END_STREAM received: the request is complete (reader thread only). */
    boolean remoteClosed;
    /** The response's HEADERS went out (under the writer's lock): no 100 Continue after that. */
    volatile boolean headersSent;
    /** END_STREAM sent (under the writer's lock). */
    volatile boolean localClosed;
    /** Reset by either side: nothing more is sent on it; 0 while not reset. */
    private volatile int resetCode = -1;
    private volatile boolean resetByClient;
    /** What to do when the server begins a graceful stop. */
    volatile Runnable onServerStop;
    /** The request: set once its header block was accepted. */
    Http2Request request;

    Http2Stream(int id, long declaredLength, int recvWindow, long sendWindow, RequestBody body) {
        this.id = id;
        this.declaredLength = declaredLength;
        this.recvWindow = new AtomicInteger(recvWindow);
        this.sendWindow = sendWindow;
        this.body = body;
    }

    boolean isReset() {
        return resetCode >= 0;
    }

    boolean resetByClient() {
        return resetByClient;
    }

    /** Marks the stream reset; returns false if it already was. */
    boolean markReset(int code, boolean byClient) {
        if (resetCode >= 0) return false;
        resetByClient = byClient;
        resetCode = code;
        return true;
    }

    /** Throws when nothing may be written on the stream any more. */
    void checkWritable() throws IOException {
        if (resetCode >= 0) {
            throw new StreamResetException(resetByClient ? "The client reset stream " + id + " (" + ErrorCode.name(resetCode) + ")"
                    : "Stream " + id + " was reset (" + ErrorCode.name(resetCode) + ")");
        }
        if (localClosed) throw new IOException("The response on stream " + id + " is already complete");
    }

    /** A write on a stream that was reset: the client no longer wants the response. */
    static final class StreamResetException extends IOException {
        StreamResetException(String message) {
            super(message);
        }
    }
}
