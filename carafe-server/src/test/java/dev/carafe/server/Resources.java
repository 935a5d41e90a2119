package dev.carafe.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What this JVM holds, for tests that check a server gives everything back: open file
 * descriptors ({@code /proc/self/fd}), platform threads, virtual threads serving connections, and
 * the heap in use after a full collection.
 */
record Resources(int fds, int platformThreads, int connectionThreads, long heapAfterGc) {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    /** A snapshot now; collects garbage first, so it takes a few tens of milliseconds. */
    static Resources now() throws Exception {
        return new Resources(openFds(), ManagementFactory.getThreadMXBean().getThreadCount(),
                IdleConnectionsTest.connectionThreads(), collectAndMeasureHeap());
    }

    static int openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count() - 1; // the directory stream itself holds one
        }
    }

    /** Heap in use after a full collection (twice: the first may only queue finalizable cleanups). */
    static long collectAndMeasureHeap() {
        for (int i = 0; i < 2; i++) System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    /**
     * Waits up to {@code millis} for this JVM to be back at {@code baseline} (fds and platform
     * threads within {@code slack}, no connection thread) and returns the last snapshot.
     */
    static Resources awaitBack(Resources baseline, int slack, long millis) throws Exception {
        long until = System.nanoTime() + millis * 1_000_000;
        while (true) {
            Resources now = now();
            if (now.isBackTo(baseline, slack) || System.nanoTime() > until) return now;
            Thread.sleep(100);
        }
    }

    boolean isBackTo(Resources baseline, int slack) {
        return fds <= baseline.fds + slack && platformThreads <= baseline.platformThreads + slack && connectionThreads == 0;
    }

    long heapMiB() {
        return heapAfterGc >> 20;
    }

    @Override
    public String toString() {
        return fds + " fds, " + platformThreads + " platform threads, " + connectionThreads + " connection threads, "
                + heapMiB() + " MiB heap after GC";
    }
}
