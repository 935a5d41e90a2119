package dev.carafe.health;

/**
 * One readiness check: returns normally when the dependency is usable, throws (or returns
 * false) when it is not. Runs on its own virtual thread at every probe, bounded by a timeout.
 *
 * <pre>{@code
 * app.health("/healthz").check("database", () -> pool.isRunning());
 * }</pre>
 */
@FunctionalInterface
public interface HealthCheck {
    /** Whether the dependency is usable; an exception counts as no, with its message in the answer. */
    boolean healthy() throws Exception;
}
