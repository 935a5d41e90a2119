package dev.carafe.server.http1;

import dev.carafe.server.UpgradedConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection after {@code 101}: reads first return what the request-head parser had buffered
 * beyond the head, then come straight from the socket under the connection's read
 * {@link Deadline}; writes go straight to the socket under a second deadline of their own, so a
 * thread sending while the reader waits does not disturb the reader's timeout.
 */
final class Http1Upgraded implements UpgradedConnection {
    private final PolledSocket socket;
    private final Deadline readDeadline;
    private final Deadline writeDeadline;
    private final long writeTimeoutMillis;
    private final InetSocketAddress remote;
    private final ReentrantLock writeLock = new ReentrantLock(); // a write may wait for the client: no monitor
    private byte[] leftover;
    private int leftoverPos;
    private volatile long readTimeoutMillis;
    private final java.util.function.Consumer<Runnable> stopHook;

    Http1Upgraded(PolledSocket socket, Deadline readDeadline, Deadline writeDeadline, long writeTimeoutMillis,
                  byte[] leftover, InetSocketAddress remote, java.util.function.Consumer<Runnable> stopHook) {
        this.socket = socket;
        this.stopHook = stopHook;
        this.readDeadline = readDeadline;
        this.writeDeadline = writeDeadline;
        this.writeTimeoutMillis = writeTimeoutMillis;
        this.leftover = leftover.length == 0 ? null : leftover;
        this.remote = remote;
    }

    /** Takes the unconsumed bytes of {@code in}, leaving it empty. */
    static byte[] drain(InputBuffer in) {
        if (in.buf == null || in.pos == in.limit) return new byte[0];
        byte[] b = Arrays.copyOfRange(in.buf, in.pos, in.limit);
        in.pos = in.limit;
        return b;
    }

    private final InputStream input = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return 0;
            if (leftover != null) {
                int n = Math.min(len, leftover.length - leftoverPos);
                System.arraycopy(leftover, leftoverPos, b, off, n);
                leftoverPos += n;
                if (leftoverPos == leftover.length) leftover = null;
                return n;
            }
            long timeout = readTimeoutMillis;
            if (timeout > 0) readDeadline.armRead(timeout);
            try {
                return socket.read(b, off, len, readDeadline);
            } finally {
                readDeadline.disarm();
            }
        }

        @Override
        public int available() {
            return leftover == null ? 0 : leftover.length - leftoverPos;
        }
    };

    private final OutputStream output = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            writeLock.lock(); // writes from several threads must not interleave their bytes
            try {
                writeDeadline.armWrite(writeTimeoutMillis);
                socket.write(b, off, len, writeDeadline);
            } finally {
                writeDeadline.disarm();
                writeLock.unlock();
            }
        }
    };

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void readTimeout(Duration timeout) {
        readTimeoutMillis = timeout.toMillis();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public void onServerStop(Runnable action) {
        stopHook.accept(action);
    }

    @Override
    public void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
