package dev.carafe.server.http1;

/**
 * Byte arrays lent to connections while they have a request in flight. An idle keep-alive
 * connection gives its buffers back, so ten thousand idle connections cost ten thousand small
 * objects, not ten thousand pairs of 8 KiB buffers.
 *
 * <p>Buffers are taken and given back on every request, so this is a plain array stack: a
 * sparse lock-free table was measured slower, its probes missing and allocating fresh buffers.
 * The monitor is held for a few instructions and never across blocking, so it does not pin
 * virtual threads in any way that matters.
 *
 * <p>TLS connections also borrow record-sized buffers ({@link #TLS_SIZE}), from a second, smaller
 * stack: a keep-alive TLS connection wakes from idle for each request, and allocating its three
 * 17 KiB buffers anew each time was ~50 KiB of garbage per request.
 */
public final class BufferPool {
    static final int SIZE = 8 * 1024;
    /** Fits a whole TLS record, encrypted (16,709 bytes as the JDK sizes it) or not. */
    static final int TLS_SIZE = 17 * 1024;
    private final byte[][] free;
    private int count;
    private final byte[][] freeTls;
    private int tlsCount;

    /** A pool keeping at most {@code capacity} free buffers, and an eighth as many TLS buffers. */
    public BufferPool(int capacity) {
        free = new byte[Math.max(capacity, 1)][];
        freeTls = new byte[Math.max(capacity / 8, 1)][];
    }

    /** A buffer of {@link #TLS_SIZE} bytes, its contents undefined. */
    byte[] takeTls() {
        synchronized (freeTls) {
            if (tlsCount > 0) {
                byte[] b = freeTls[--tlsCount];
                freeTls[tlsCount] = null;
                return b;
            }
        }
        return new byte[TLS_SIZE];
    }

    void giveTls(byte[] b) {
        if (b.length != TLS_SIZE) return;
        synchronized (freeTls) {
            if (tlsCount < freeTls.length) freeTls[tlsCount++] = b;
        }
    }

    byte[] take() {
        synchronized (this) {
            if (count > 0) {
                byte[] b = free[--count];
                free[count] = null;
                return b;
            }
        }
        return new byte[SIZE];
    }

    void give(byte[] b) {
        if (b.length != SIZE) return; // grown buffers are left to the collector
        synchronized (this) {
            if (count < free.length) free[count++] = b;
        }
    }
}
