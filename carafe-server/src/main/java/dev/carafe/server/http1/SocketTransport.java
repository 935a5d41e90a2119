package dev.carafe.server.http1;

import dev.carafe.server.http2.Http2Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The socket of a connection that speaks HTTP/2: plain (h2c) or TLS whose ALPN chose {@code h2}
 * ({@link TlsSocket} decrypts below the same calls). Reads first return what the HTTP/1.1 side had
 * buffered, then come from the socket under the connection's read {@link Deadline}; writes gather
 * in a buffer and leave on flush under a write deadline of their own, both enforced by the
 * server's {@link Reaper}. Idle parking is the poller's, as for HTTP/1.1.
 */
final class SocketTransport implements Http2Transport {
    private final PolledSocket socket;
    private final boolean secure;
    private final Deadline readDeadline;
    private final Deadline writeDeadline;
    private final long writeTimeoutMillis;
    private final InetSocketAddress remote, local;
    private final Runnable onEnd;
    private byte[] leftover;
    private int leftoverPos;
    private final byte[] out = new byte[16 * 1024];
    private int outLen;
    private volatile boolean wakePending;

    /** @param onEnd runs once the connection, resumed from idle, ends on a thread of the poller's */
    SocketTransport(PolledSocket socket, boolean secure, Deadline readDeadline, Deadline writeDeadline, long writeTimeoutMillis,
                    byte[] leftover, InetSocketAddress remote, InetSocketAddress local, Runnable onEnd) {
        this.socket = socket;
        this.secure = secure;
        this.readDeadline = readDeadline;
        this.writeDeadline = writeDeadline;
        this.writeTimeoutMillis = writeTimeoutMillis;
        this.leftover = leftover.length == 0 ? null : leftover;
        this.remote = remote;
        this.local = local;
        this.onEnd = onEnd;
    }

    @Override
    public int read(byte[] b, int off, int len, long timeoutMillis) throws IOException {
        if (leftover != null) {
            int n = Math.min(len, leftover.length - leftoverPos);
            System.arraycopy(leftover, leftoverPos, b, off, n);
            leftoverPos += n;
            if (leftoverPos == leftover.length) leftover = null;
            return n;
        }
        if (readDeadline.expired()) throw new SocketTimeoutException("Read timed out");
        int n = socket.readNow(b, off, len);
        if (n != 0 || timeoutMillis < 0) return n;
        if (timeoutMillis > 0) readDeadline.armRead(timeoutMillis);
        try {
            int r = socket.readOrWake(b, off, len, readDeadline, () -> wakePending);
            wakePending = false;
            return r;
        } finally {
            readDeadline.disarm();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > out.length - outLen) {
            flush();
            if (len > out.length) {
                send(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, out, outLen, len);
        outLen += len;
    }

    @Override
    public void flush() throws IOException {
        if (outLen == 0) return;
        int n = outLen;
        outLen = 0;
        send(out, 0, n);
    }

    private void send(byte[] b, int off, int len) throws IOException {
        writeDeadline.armWrite(writeTimeoutMillis);
        try {
            socket.write(b, off, len, writeDeadline);
        } finally {
            writeDeadline.disarm();
        }
    }

    @Override
    public void wakeReader() {
        wakePending = true; // seen by a reader that was about to wait when the wake-up came
        socket.wake(); // also resumes a connection left idle
    }

    @Override
    public boolean parkIdle(BooleanSupplier resume, long timeoutMillis) {
        readDeadline.armRead(timeoutMillis);
        socket.parkIdle(() -> {
            readDeadline.disarm();
            boolean parked = false;
            try {
                parked = resume.getAsBoolean();
            } finally {
                if (!parked) onEnd.run();
            }
        });
        return true;
    }

    @Override
    public void shutdownOutput() throws IOException {
        flush();
        socket.shutdownOutput();
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public boolean secure() {
        return secure;
    }

    @Override
    public String serverName() {
        return socket.serverName();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }
}
