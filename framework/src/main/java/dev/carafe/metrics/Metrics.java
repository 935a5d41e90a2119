package dev.carafe.metrics;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * An app's metrics in the Prometheus text format (version 0.0.4), with no dependency: requests by
 * route, method and status, a latency histogram by route, requests in flight, open connections,
 * and the JVM's basics. Labels are bounded: the route is the pattern ({@code /todos/{id:int}},
 * or {@code (unmatched)}), methods outside the usual seven are {@code OTHER}.
 */
public final class Metrics {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** The route label of a request no route matched (404s, bad paths). */
    public static final String UNMATCHED = "(unmatched)";

    private record Key(String route, String method, int status) {}

    private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile IntSupplier openConnections;

    /** Counts the connections {@code open} reports (the server's); unset, the gauge is left out. */
    public void connections(IntSupplier open) {
        this.openConnections = open;
    }

    /** A request starts; returns the time to hand to {@link #end}. */
    public long begin() {
        inFlight.incrementAndGet();
        return System.nanoTime();
    }

    /** The request begun at {@code start} was answered with {@code status}. */
    public void end(long start, String route, String method, int status) {
        long nanos = System.nanoTime() - start;
        inFlight.decrementAndGet();
        String m = METHODS.contains(method) ? method : "OTHER";
        requests.computeIfAbsent(new Key(route, m, status), k -> new LongAdder()).increment();
        latency.computeIfAbsent(route, r -> new Histogram()).observe(nanos);
    }

    /** Everything, in the Prometheus text exposition format. */
    public String scrape() {
        StringBuilder out = new StringBuilder(4096);
        header(out, "carafe_http_requests_total", "counter", "Requests answered, by route, method and status.");
        sortedRequests().forEach((labels, n) -> out.append("carafe_http_requests_total")
                .append(labels).append(' ').append(n).append('\n'));
        header(out, "carafe_http_request_duration_seconds", "histogram", "Time from routing a request to writing its reply.");
        new TreeMap<>(latency).forEach((route, h) -> {
            long[] counts = h.cumulative();
            String r = "route=\"" + escape(route) + "\"";
            for (int i = 0; i < Histogram.BOUNDS.length; i++) {
                out.append("carafe_http_request_duration_seconds_bucket{").append(r).append(",le=\"")
                        .append(Histogram.BOUNDS[i]).append("\"} ").append(counts[i]).append('\n');
            }
            long count = counts[counts.length - 1];
            out.append("carafe_http_request_duration_seconds_bucket{").append(r).append(",le=\"+Inf\"} ").append(count).append('\n');
            out.append("carafe_http_request_duration_seconds_sum{").append(r).append("} ").append(h.sumSeconds()).append('\n');
            out.append("carafe_http_request_duration_seconds_count{").append(r).append("} ").append(count).append('\n');
        });
        gauge(out, "carafe_http_requests_in_flight", "Requests being handled now.", inFlight.get());
        IntSupplier open = openConnections;
        if (open != null) gauge(out, "carafe_http_connections_open", "Open client connections.", open.getAsInt());
        JvmMetrics.write(out);
        return out.toString();
    }

    private Map<String, Long> sortedRequests() {
        Map<String, Long> out = new TreeMap<>();
        requests.forEach((k, n) -> out.put("{method=\"" + k.method() + "\",route=\"" + escape(k.route())
                + "\",status=\"" + k.status() + "\"}", n.sum()));
        return out;
    }

    static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    static void gauge(StringBuilder out, String name, String help, double value) {
        header(out, name, "gauge", help);
        out.append(name).append(' ').append(format(value)).append('\n');
    }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** A label value as the format wants it: backslash, quote and newline escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** The JVM's basics: memory, threads, GC, uptime and CPU. */
    static final class JvmMetrics {
        private JvmMetrics() {}

        static void write(StringBuilder out) {
            var memory = ManagementFactory.getMemoryMXBean();
            header(out, "jvm_memory_used_bytes", "gauge", "Memory in use, by area.");
            usage(out, "jvm_memory_used_bytes", memory.getHeapMemoryUsage().getUsed(), memory.getNonHeapMemoryUsage().getUsed());
            header(out, "jvm_memory_committed_bytes", "gauge", "Memory the JVM holds from the OS, by area.");
            usage(out, "jvm_memory_committed_bytes", memory.getHeapMemoryUsage().getCommitted(), memory.getNonHeapMemoryUsage().getCommitted());
            MemoryUsage heap = memory.getHeapMemoryUsage();
            if (heap.getMax() >= 0) gauge(out, "jvm_memory_max_bytes", "The most heap the JVM may use.", heap.getMax());
            gauge(out, "jvm_threads_live", "Live platform threads (virtual threads are not counted).",
                    ManagementFactory.getThreadMXBean().getThreadCount());
            header(out, "jvm_gc_collection_seconds", "summary", "Time spent in garbage collection, by collector.");
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                String l = "{gc=\"" + escape(gc.getName()) + "\"}";
                out.append("jvm_gc_collection_seconds_count").append(l).append(' ').append(Math.max(0, gc.getCollectionCount())).append('\n');
                out.append("jvm_gc_collection_seconds_sum").append(l).append(' ').append(format(Math.max(0, gc.getCollectionTime()) / 1000.0)).append('\n');
            }
            var runtime = ManagementFactory.getRuntimeMXBean();
            gauge(out, "process_start_time_seconds", "When the process started, in seconds since the epoch.", runtime.getStartTime() / 1000.0);
            gauge(out, "process_uptime_seconds", "How long the process has run.", runtime.getUptime() / 1000.0);
            ProcessHandle.current().info().totalCpuDuration().ifPresent(cpu -> {
                header(out, "process_cpu_seconds_total", "counter", "CPU time the process has used.");
                out.append("process_cpu_seconds_total ").append(format(cpu.toNanos() / 1e9)).append('\n');
            });
        }

        private static void usage(StringBuilder out, String name, long heap, long nonHeap) {
            out.append(name).append("{area=\"heap\"} ").append(heap).append('\n');
            out.append(name).append("{area=\"nonheap\"} ").append(nonHeap).append('\n');
        }
    }
}
