package dev.carafe.server.http1;

import java.io.IOException;

/** A body framed by Content-Length. */
final class FixedLengthBody extends BodyStream {
    private long remaining;

    FixedLengthBody(InputBuffer in, long length, int ioTimeoutMillis, Runnable beforeFirstRead) {
        super(in, ioTimeoutMillis, beforeFirstRead);
        this.remaining = length;
    }

    @Override
    boolean finished() {
        return remaining == 0;
    }

    /** Bytes of the body not yet read. */
    long remaining() {
        return remaining;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (remaining == 0) return -1;
        if (len == 0) return 0;
        int n = copyOut(b, off, len, remaining);
        remaining -= n;
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(remaining, in.available());
    }
}
