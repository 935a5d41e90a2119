package dev.carafe.server;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the server logs at ERROR (SEVERE in java.util.logging, the System.Logger backend
 * of these tests) while open: a hostile client must never make the server report a failure of its own.
 */
final class ServerErrors extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("dev.carafe.server");
    private final List<String> errors = new ArrayList<>();

    ServerErrors() {
        setLevel(Level.SEVERE);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        if (r.getLevel().intValue() < Level.SEVERE.intValue()) return;
        synchronized (errors) {
            errors.add(r.getMessage() + (r.getThrown() == null ? "" : ": " + r.getThrown()));
        }
    }

    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors.subList(0, Math.min(errors.size(), 5)));
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
