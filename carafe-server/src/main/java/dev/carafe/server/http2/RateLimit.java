package dev.carafe.server.http2;

/**
 * Counts events in fixed windows of time: more than {@code max} in one window is too many.
 * Used by the connection's reader thread only.
 */
final class RateLimit {
    private final int max;
    private final long windowNanos;
    private long windowStart = System.nanoTime();
    private int count;

    RateLimit(int max, long windowNanos) {
        this.max = max;
        this.windowNanos = windowNanos;
    }

    /** Counts one event; false when it is one too many for the current window. */
    boolean allow() {
        long now = System.nanoTime();
        if (now - windowStart > windowNanos) {
            windowStart = now;
            count = 0;
        }
        return ++count <= max;
    }
}
