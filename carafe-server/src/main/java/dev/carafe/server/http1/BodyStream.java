package dev.carafe.server.http1;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * A request body read straight off the connection's {@link InputBuffer}: it ends exactly where the
 * body ends, so the bytes after it stay in the buffer for the next request.
 */
abstract sealed class BodyStream extends InputStream permits FixedLengthBody, ChunkedBody {
    final InputBuffer in;
    private final int ioTimeoutMillis;
    /** Runs before the first read: sends {@code 100 Continue} when the client waits for it. */
    private Runnable beforeFirstRead;
    private final byte[] one = new byte[1];

    BodyStream(InputBuffer in, int ioTimeoutMillis, Runnable beforeFirstRead) {
        this.in = in;
        this.ioTimeoutMillis = ioTimeoutMillis;
        this.beforeFirstRead = beforeFirstRead;
    }

    /** Whether every byte of the body has been read. */
    abstract boolean finished();

    /** Ensures unconsumed bytes are buffered, reading from the socket if needed. */
    final void require() throws IOException {
        if (beforeFirstRead != null) {
            Runnable r = beforeFirstRead;
            beforeFirstRead = null;
            r.run();
        }
        if (in.available() > 0) return;
        int n;
        try {
            n = in.fillWithin(ioTimeoutMillis);
        } catch (SocketTimeoutException e) {
            throw new ProtocolException(408, "Timed out reading the request body");
        }
        if (n < 0) throw new ClientGoneException("Client closed the connection in the middle of the request body");
    }

    /**
     * Copies at most {@code len} and at most {@code framed} body bytes (what the framing still
     * allows) to {@code b}, reading from the socket only when nothing is buffered. Returns the count.
     */
    final int copyOut(byte[] b, int off, int len, long framed) throws IOException {
        require();
        int n = (int) Math.min(Math.min(len, framed), in.available());
        System.arraycopy(in.buf, in.pos, b, off, n);
        in.pos += n;
        return n;
    }

    /** Whether the body was never touched and the client still waits for 100 Continue. */
    final boolean continueNotSent() {
        return beforeFirstRead != null;
    }

    @Override
    public final int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final long skip(long n) throws IOException {
        long skipped = 0;
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 1))];
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) break;
            skipped += r;
        }
        return skipped;
    }

    /** Reads and discards what is left, up to {@code limit} bytes; true when the body ended within it. */
    final boolean drain(long limit) throws IOException {
        byte[] scratch = new byte[8192];
        long total = 0;
        while (total <= limit) {
            int r = read(scratch, 0, scratch.length);
            if (r < 0) return true;
            total += r;
        }
        return false;
    }
}
