package dev.carafe.bench.soak;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/** Request latencies in nanoseconds, for percentiles at the end of a phase. */
final class Latencies {
    private final ReentrantLock lock = new ReentrantLock();
    private long[] values = new long[1024];
    private int count;
    private final long created = System.nanoTime();
    private long worstNanos, worstAtNanos;

    /** A request that started at {@code startNanos} (System.nanoTime) and took {@code nanos}. */
    void add(long startNanos, long nanos) {
        lock.lock();
        try {
            if (nanos > worstNanos) {
                worstNanos = nanos;
                worstAtNanos = startNanos - created;
            }
            if (count == values.length) values = Arrays.copyOf(values, count * 2);
            values[count++] = nanos;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        long[] sorted;
        double worstAt;
        lock.lock();
        try {
            sorted = Arrays.copyOf(values, count);
            worstAt = worstAtNanos / 1e9;
        } finally {
            lock.unlock();
        }
        if (sorted.length == 0) return "no requests";
        Arrays.sort(sorted);
        return String.format("HTTP latency p50 %.1f ms, p99 %.1f ms, max %.1f ms (sent %.1f s into the phase)",
                at(sorted, 0.50), at(sorted, 0.99), sorted[sorted.length - 1] / 1e6, worstAt);
    }

    private static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
