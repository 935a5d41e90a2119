package dev.carafe.server.http1;

import java.util.Collection;

/**
 * One platform thread per server that enforces every connection's {@link Deadline} and keeps the
 * coarse clock deadlines are measured in. Scanning ten thousand connections twenty times a second
 * costs far less than a timed park on every read would.
 */
public final class Reaper implements Runnable {
    private static final long TICK_MILLIS = 50;
    private final Collection<Http1Connection> connections;
    private volatile long now = System.nanoTime();
    private volatile boolean running = true;

    /** @param connections the server's live connections, read concurrently */
    public Reaper(Collection<Http1Connection> connections) {
        this.connections = connections;
    }

    long now() {
        return now;
    }

    @Override
    public void run() {
        while (running) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long t = System.nanoTime();
            now = t;
            for (Http1Connection c : connections) c.checkDeadlines(t);
        }
    }

    /** Ends the thread after its current tick. */
    public void stop() {
        running = false;
    }
}
