package dev.carafe.server.http1;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * A connection's read side: a buffer over the socket that the request-head parser and the body
 * streams share, so bytes of the next (pipelined) request are never lost between them.
 * Bytes {@code buf[pos..limit)} are read but not yet consumed.
 */
final class InputBuffer {
    private final PolledSocket socket;
    private final BufferPool pool;
    private final Deadline deadline;
    private final Runnable beforeBlocking;
    private boolean failed;

    byte[] buf;
    int pos;
    int limit;

    /** @param beforeBlocking runs before a read waits: the connection flushes its output there */
    InputBuffer(PolledSocket socket, BufferPool pool, Deadline deadline, Runnable beforeBlocking) {
        this.socket = socket;
        this.pool = pool;
        this.deadline = deadline;
        this.beforeBlocking = beforeBlocking;
    }

    int available() {
        return limit - pos;
    }

    /**
     * Reads more bytes after {@code limit}, waiting if none are there under the deadline the caller
     * armed. Returns the count read, or -1 at end of stream; throws {@link SocketTimeoutException}
     * when the deadline expires.
     */
    int fill() throws IOException {
        return fill(true);
    }

    /** Reads what the socket has without waiting: the count, 0 when it has nothing, -1 at end of stream. */
    int fillNow() throws IOException {
        return fill(false);
    }

    private int fill(boolean wait) throws IOException {
        if (buf == null) {
            buf = pool.take();
            pos = limit = 0;
        } else if (pos == limit) {
            pos = limit = 0;
        } else if (limit == buf.length) {
            compactOrGrow(pos > 0 ? buf.length : buf.length * 2);
        }
        int n = read(buf, limit, buf.length - limit, wait);
        if (n > 0) limit += n;
        return n;
    }

    /** {@link #fill()} waiting at most {@code millis}. */
    int fillWithin(long millis) throws IOException {
        deadline.armRead(millis);
        try {
            return fill();
        } finally {
            deadline.disarm();
        }
    }

    /** Makes room for at least {@code needed} bytes from {@code pos}, moving them to the start. */
    void compactOrGrow(int needed) {
        int live = limit - pos;
        if (needed > buf.length) {
            byte[] bigger = Arrays.copyOfRange(buf, pos, pos + Math.max(needed, live));
            pool.give(buf);
            buf = bigger;
        } else if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, live);
        }
        pos = 0;
        limit = live;
    }

    /** Returns the buffer to the pool when everything in it has been consumed. */
    void release() {
        if (buf != null && pos == limit) {
            pool.give(buf);
            buf = null;
            pos = limit = 0;
        }
    }

    /** Whether a read failed other than by timing out: the connection is broken. */
    boolean failed() {
        return failed;
    }

    private int read(byte[] b, int off, int len, boolean wait) throws IOException {
        try {
            int n = socket.readNow(b, off, len);
            if (n != 0 || !wait) return n;
            beforeBlocking.run();
            return socket.read(b, off, len, deadline);
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }
}
