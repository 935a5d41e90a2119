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
 */
public final class BufferPool {
    static final int SIZE = 8 * 1024;
    private final byte[][] free;
    private int count;

    /** A pool keeping at most {@code capacity} free buffers. */
    public BufferPool(int capacity) {
        free = new byte[Math.max(capacity, 1)][];
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
