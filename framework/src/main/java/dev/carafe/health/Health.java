package dev.carafe.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Liveness and readiness endpoints for a load balancer or Kubernetes, made by
 * {@code app.health(path)}:
 *
 * <ul>
 * <li>{@code GET path} — liveness: {@code 200 {"status":"up"}} whenever the process answers at
 *     all. It runs no checks on purpose: a database that is down should take the instance out of
 *     the balancer, not get every instance restarted.</li>
 * <li>{@code GET path/ready} — readiness: {@code 200 {"status":"ready",...}} when every check
 *     passes, else {@code 503} with {@code "status":"unavailable"} and each check's outcome. It
 *     turns {@code 503 "stopping"} as soon as a graceful stop begins, while the server still
 *     serves (the drain), so the balancer stops sending before the port closes.</li>
 * </ul>
 *
 * <pre>{@code
 * app.health("/healthz")
 *    .check("database", () -> db.isValid(1))
 *    .check("disk", () -> Files.getFileStore(data).getUsableSpace() > 100 << 20);
 * }</pre>
 */
public final class Health {
    private final Map<String, HealthCheck> checks = new LinkedHashMap<>();
    private final BooleanSupplier stopping;
    private volatile Duration timeout = Duration.ofSeconds(2);

    /** Health whose readiness turns false once {@code stopping} says so. */
    public Health(BooleanSupplier stopping) {
        this.stopping = stopping;
    }

    /** Adds a readiness check under {@code name}. Returns this. */
    public Health check(String name, HealthCheck check) {
        synchronized (checks) {
            if (checks.putIfAbsent(name, check) != null) throw new IllegalArgumentException("Two health checks named '" + name + "'");
        }
        return this;
    }

    /** How long each check may take before it counts as failed (default 2 s). Returns this. */
    public Health timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** The readiness answer: whether ready, and the body to send. */
    public Readiness readiness() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (stopping.getAsBoolean()) {
            body.put("status", "stopping");
            return new Readiness(false, body);
        }
        Map<String, HealthCheck> snapshot;
        synchronized (checks) {
            snapshot = new LinkedHashMap<>(checks);
        }
        Map<String, CompletableFuture<Boolean>> running = new LinkedHashMap<>();
        Map<String, Thread> threads = new LinkedHashMap<>();
        snapshot.forEach((name, check) -> {
            CompletableFuture<Boolean> f = new CompletableFuture<>();
            threads.put(name, Thread.ofVirtual().name("carafe-health-" + name).start(() -> {
                try {
                    f.complete(check.healthy());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            }));
            running.put(name, f);
        });
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> results = new LinkedHashMap<>();
        boolean ready = true;
        for (Map.Entry<String, CompletableFuture<Boolean>> e : running.entrySet()) {
            String outcome = outcome(e.getValue(), deadline);
            if (outcome.endsWith("timed out")) threads.get(e.getKey()).interrupt(); // a check stuck on I/O is told to give up
            results.put(e.getKey(), outcome);
            ready &= outcome.equals("up");
        }
        body.put("status", ready ? "ready" : "unavailable");
        body.put("checks", results);
        return new Readiness(ready, body);
    }

    private static String outcome(CompletableFuture<Boolean> f, long deadline) {
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) ? "up" : "down";
        } catch (TimeoutException e) {
            return "down: timed out";
        } catch (ExecutionException e) {
            // the type only: a message may name hosts or credentials, and probes are often public
            return "down: " + e.getCause().getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "down: interrupted";
        }
    }

    /** A readiness answer: {@code 200} with {@code body} when ready, else {@code 503}. */
    public record Readiness(boolean ready, Map<String, Object> body) {
        public int status() {
            return ready ? 200 : 503;
        }
    }
}
