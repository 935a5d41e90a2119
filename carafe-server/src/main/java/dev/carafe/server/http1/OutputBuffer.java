package dev.carafe.server.http1;

import java.io.IOException;

/**
 * A connection's write side. Responses to pipelined requests accumulate here and leave in one
 * write when the connection is about to wait for input, so a batch of requests costs one syscall.
 */
final class OutputBuffer {
    private final PolledSocket socket;
    private final BufferPool pool;
    private final Deadline deadline;
    private final int timeoutMillis;
    private byte[] buf;
    private int len;
    private boolean failed;

    /** @param timeoutMillis longest a write may wait for a client that does not read */
    OutputBuffer(PolledSocket socket, BufferPool pool, Deadline deadline, int timeoutMillis) {
        this.socket = socket;
        this.pool = pool;
        this.deadline = deadline;
        this.timeoutMillis = timeoutMillis;
    }

    void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    void write(byte[] b, int off, int n) throws IOException {
        if (buf == null) buf = pool.take();
        if (n > buf.length - len) {
            flush();
            if (n > buf.length) { // large bodies go straight to the socket
                send(b, off, n);
                return;
            }
        }
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    void write(int b) throws IOException {
        if (buf == null) buf = pool.take();
        if (len == buf.length) flush();
        buf[len++] = (byte) b;
    }

    /** Writes {@code s}, which must be ASCII/Latin-1 (status lines, header fields). */
    void writeLatin1(String s) throws IOException {
        int n = s.length();
        if (buf == null) buf = pool.take();
        if (n > buf.length - len) {
            flush();
            if (n > buf.length) {
                write(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                return;
            }
        }
        s.getBytes(0, n, buf, len); // deprecated for lossy charsets, exact for Latin-1, and copy-free
        len += n;
    }

    /** Writes {@code n}, which must not be negative, in decimal: a Content-Length without a String. */
    void writeDecimal(long n) throws IOException {
        if (buf == null) buf = pool.take();
        if (buf.length - len < 19) flush();
        int digits = 1;
        for (long t = n; t >= 10; t /= 10) digits++;
        for (int i = len + digits - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        len += digits;
    }

    int buffered() {
        return len;
    }

    void flush() throws IOException {
        if (len > 0) {
            int n = len;
            len = 0;
            send(buf, 0, n);
        }
    }

    /** Whether a write failed: the client is gone. */
    boolean failed() {
        return failed;
    }

    private void send(byte[] b, int off, int n) throws IOException {
        deadline.armWrite(timeoutMillis);
        try {
            socket.write(b, off, n, deadline);
        } catch (IOException e) {
            failed = true;
            throw e;
        } finally {
            deadline.disarm();
        }
    }

    /** Flushes and gives the buffer back to the pool until the next response. */
    void release() throws IOException {
        flush();
        if (buf != null) {
            pool.give(buf);
            buf = null;
        }
    }
}
