package dev.carafe.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The well-behaved client of the hostile-client tests: one keep-alive connection sending a GET
 * every {@code intervalMillis} on a platform thread, timing each request from send to last byte.
 * The schedule is fixed: a slow response does not thin out the requests that follow.
 */
final class SteadyClient implements AutoCloseable {
    private final BufferedClient client;
    private final long intervalNanos;
    private final Thread thread;
    private final List<Long> latencies = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private volatile boolean running = true;

    SteadyClient(int port, long intervalMillis) throws Exception {
        client = new BufferedClient(port, 5000);
        intervalNanos = intervalMillis * 1_000_000;
        client.write("GET /steady HTTP/1.1\r\nHost: x\r\n\r\n").flush(); // the connection is established and served first
        check(client.read());
        thread = Thread.ofPlatform().name("steady-client").start(this::loop);
    }

    private void loop() {
        long next = System.nanoTime();
        while (running) {
            long start = System.nanoTime();
            try {
                client.write("GET /steady HTTP/1.1\r\nHost: x\r\n\r\n").flush();
                check(client.read());
                latencies.add(System.nanoTime() - start);
            } catch (Exception e) {
                errors.add("request " + latencies.size() + ": " + e);
                return;
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
        }
    }

    private void check(String response) {
        if (!response.equals("200 steady")) throw new IllegalStateException("unexpected response: " + response);
    }

    /** Stops sending, closes the connection and returns what was measured. */
    Stats stop() throws Exception {
        running = false;
        thread.join();
        client.close();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Stats(sorted, List.copyOf(errors));
    }

    @Override
    public void close() throws Exception {
        if (running) stop();
    }

    /** Latencies in nanoseconds, sorted, and the errors seen. */
    record Stats(long[] latencies, List<String> errors) {
        double percentileMillis(double p) {
            if (latencies.length == 0) return Double.NaN;
            int i = (int) Math.ceil(p / 100 * latencies.length) - 1;
            return latencies[Math.max(0, Math.min(latencies.length - 1, i))] / 1e6;
        }

        @Override
        public String toString() {
            return String.format("%d requests, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d errors",
                    latencies.length, percentileMillis(50), percentileMillis(99), percentileMillis(100), errors.size())
                    + (errors.isEmpty() ? "" : " " + errors.subList(0, Math.min(3, errors.size())));
        }
    }
}
