package dev.carafe.metrics;

import java.util.concurrent.atomic.LongAdder;

/** A latency histogram with fixed buckets, written by many threads without locking. */
final class Histogram {
    /** Upper bounds in seconds: Prometheus' defaults, with two finer ones for a fast server. */
    static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1]; // the last one is +Inf
    private final LongAdder sumNanos = new LongAdder();

    Histogram() {
        for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
    }

    void observe(long nanos) {
        double seconds = nanos / 1e9;
        int i = 0;
        while (i < BOUNDS.length && seconds > BOUNDS[i]) i++;
        buckets[i].increment();
        sumNanos.add(nanos);
    }

    /** The cumulative bucket counts, the last being the total count. */
    long[] cumulative() {
        long[] out = new long[buckets.length];
        long running = 0;
        for (int i = 0; i < buckets.length; i++) out[i] = running += buckets[i].sum();
        return out;
    }

    double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
