package dev.carafe.server.http2;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Flow control of what the client sends (RFC 9113 §6.9): DATA is counted against the connection's
 * and the stream's windows as it arrives, and granted back in WINDOW_UPDATEs once the handler has
 * read half a window (or the bytes were dropped), so what a connection buffers stays bounded.
 */
final class ReceiveWindows {
    private final FrameWriter writer;
    private final int streamWindow;
    private final int connectionWindow;
    private final AtomicInteger connection;
    private final AtomicInteger connectionUnacked = new AtomicInteger();

    ReceiveWindows(FrameWriter writer, int streamWindow, int connectionWindow) {
        this.writer = writer;
        this.streamWindow = streamWindow;
        this.connectionWindow = connectionWindow;
        this.connection = new AtomicInteger(connectionWindow);
    }

    /** A DATA frame of {@code len} bytes (padding included) arrived: false when it overran the connection's window. */
    boolean receivedOnConnection(int len) {
        return connection.addAndGet(-len) >= 0;
    }

    /** The same for the stream's window. */
    boolean receivedOnStream(Http2Stream s, int len) {
        return s.recvWindow.addAndGet(-len) >= 0;
    }

    /** {@code n} bytes of {@code s} were read by its handler, or dropped: grant them back once half a window has gone. */
    void consumed(Http2Stream s, int n) {
        if (n <= 0) return;
        consumedOnConnection(n);
        if (s.unacked.addAndGet(n) < streamWindow / 2 || s.remoteClosed || s.isReset()) return;
        int grant = s.unacked.getAndSet(0);
        if (grant <= 0) return;
        s.recvWindow.addAndGet(grant);
        update(s.id, grant);
    }

    /** {@code n} bytes that belong to no stream any more (closed, reset) were dropped. */
    void consumedOnConnection(int n) {
        if (n <= 0 || connectionUnacked.addAndGet(n) < connectionWindow / 2) return;
        int grant = connectionUnacked.getAndSet(0);
        if (grant <= 0) return;
        connection.addAndGet(grant);
        update(0, grant);
    }

    private void update(int stream, int grant) {
        try {
            writer.windowUpdate(stream, grant, true);
        } catch (IOException e) {
            // the connection is failing; its reader sees it and ends it
        }
    }
}
