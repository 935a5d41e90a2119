package dev.carafe.server.http2;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Flow control of what this side sends (RFC 9113 §5.2, §6.9): the connection's window and each
 * stream's, under one lock. A handler writing more than the windows allow parks here until the
 * client's WINDOW_UPDATE, for at most the write timeout: a client that never opens its window
 * costs a thread only that long.
 */
final class SendWindows {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition opened = lock.newCondition();
    private final long timeoutNanos;
    private long connection = Frames.DEFAULT_WINDOW;
    private long initial = Frames.DEFAULT_WINDOW;
    private boolean closed;

    SendWindows(long timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** The window a new stream starts with: the client's SETTINGS_INITIAL_WINDOW_SIZE. */
    long initial() {
        lock.lock();
        try {
            return initial;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes up to {@code want} bytes of both windows, waiting while either is empty.
     *
     * @throws SocketTimeoutException when the client kept a window closed past the write timeout
     */
    int reserve(Http2Stream stream, int want) throws IOException {
        lock.lock();
        try {
            long wait = timeoutNanos;
            while (stream.sendWindow <= 0 || connection <= 0) {
                stream.checkWritable();
                if (closed) throw new IOException("The connection closed");
                if (wait <= 0) {
                    throw new SocketTimeoutException("The client kept its flow-control window closed for longer than the write timeout");
                }
                wait = opened.awaitNanos(wait);
            }
            stream.checkWritable();
            int n = (int) Math.min(want, Math.min(stream.sendWindow, connection));
            stream.sendWindow -= n;
            connection -= n;
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("Interrupted waiting for the flow-control window");
        } finally {
            lock.unlock();
        }
    }

    /** Takes up to {@code want} bytes of both windows without waiting: 0 when either is empty. */
    int tryReserve(Http2Stream stream, int want) throws IOException {
        lock.lock();
        try {
            stream.checkWritable();
            int n = (int) Math.max(0, Math.min(want, Math.min(stream.sendWindow, connection)));
            stream.sendWindow -= n;
            connection -= n;
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** A WINDOW_UPDATE on stream 0. */
    void openConnection(int increment) throws Http2Exception {
        lock.lock();
        try {
            if (connection + increment > Frames.MAX_WINDOW) {
                throw Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR, "Connection window above 2^31-1");
            }
            connection += increment;
            opened.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A WINDOW_UPDATE on a stream. */
    void openStream(Http2Stream stream, int increment) throws Http2Exception {
        lock.lock();
        try {
            if (stream.sendWindow + increment > Frames.MAX_WINDOW) {
                throw Http2Exception.stream(stream.id, ErrorCode.FLOW_CONTROL_ERROR, "Stream window above 2^31-1");
            }
            stream.sendWindow += increment;
            opened.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A new SETTINGS_INITIAL_WINDOW_SIZE: every open stream's window moves by the difference (§6.9.2). */
    void initial(long size, Collection<Http2Stream> streams) throws Http2Exception {
        lock.lock();
        try {
            long delta = size - initial;
            for (Http2Stream s : streams) {
                if (s.sendWindow + delta > Frames.MAX_WINDOW) {
                    throw Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR, "A stream window went above 2^31-1");
                }
            }
            for (Http2Stream s : streams) s.sendWindow += delta;
            initial = size;
            opened.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter: a stream was reset or the connection closed. */
    void wakeAll(boolean close) {
        lock.lock();
        try {
            if (close) closed = true;
            opened.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
