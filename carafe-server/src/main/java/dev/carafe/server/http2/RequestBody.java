package dev.carafe.server.http2;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * A request body as the reader thread receives its DATA frames. What is buffered here is bounded
 * by the stream's flow-control window: the client may send more only as the handler reads, and
 * {@code onConsumed} tells the connection how much to grant back.
 */
final class RequestBody extends InputStream {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final long timeoutNanos;
    private final IntConsumer onConsumed;
    private volatile Runnable beforeFirstRead; // sends 100 Continue to a client that asked for it
    private int headPos;
    private int buffered;
    private boolean ended;
    private IOException failure;

    /** @param timeoutMillis longest a read waits for the client's next bytes */
    RequestBody(long timeoutMillis, IntConsumer onConsumed) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.onConsumed = onConsumed;
    }

    /** Runs {@code action} once, before the handler first reads: the body is wanted. */
    void beforeFirstRead(Runnable action) {
        beforeFirstRead = action;
    }

    /** A body that has already ended (END_STREAM came with the HEADERS). */
    static RequestBody empty() {
        RequestBody b = new RequestBody(0, n -> {});
        b.ended = true;
        return b;
    }

    void offer(byte[] chunk) {
        lock.lock();
        try {
            if (ended || failure != null) return;
            chunks.add(chunk);
            buffered += chunk.length;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void end() {
        lock.lock();
        try {
            ended = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Makes reads fail with {@code e} (after what was buffered is dropped); returns the bytes dropped. */
    int fail(IOException e) {
        lock.lock();
        try {
            if (failure == null && !(ended && chunks.isEmpty())) failure = e;
            int dropped = buffered;
            chunks.clear();
            buffered = 0;
            headPos = 0;
            arrived.signalAll();
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes received but not read: given back to the connection's window when the stream ends. */
    int discard() {
        lock.lock();
        try {
            int dropped = buffered;
            chunks.clear();
            buffered = 0;
            headPos = 0;
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        Runnable first = beforeFirstRead;
        if (first != null) {
            beforeFirstRead = null;
            first.run();
        }
        int n = 0;
        lock.lock();
        try {
            long wait = timeoutNanos;
            while (chunks.isEmpty()) {
                if (failure != null) throw failure;
                if (ended) return -1;
                if (wait <= 0) throw new SocketTimeoutException("Timed out waiting for the request body");
                wait = arrived.awaitNanos(wait);
            }
            while (n < len && !chunks.isEmpty()) {
                byte[] head = chunks.peek();
                int k = Math.min(len - n, head.length - headPos);
                System.arraycopy(head, headPos, b, off + n, k);
                n += k;
                headPos += k;
                if (headPos == head.length) {
                    chunks.poll();
                    headPos = 0;
                }
            }
            buffered -= n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("Interrupted reading the request body");
        } finally {
            lock.unlock();
        }
        onConsumed.accept(n);
        return n;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }
}
