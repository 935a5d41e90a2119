package dev.carafe.server.http1;

import java.util.Collection;

/**
 * One platform thread per server that enforces every connection's {@link Deadline}. Scanning ten
 * thousand connections twenty times a second costs far less than a timed park on every read
 * would; a deadline fires up to two ticks late, never early. Each tick also refreshes the {@code Date}
 * line that responses share.
 */
public final class Reaper implements Runnable {
    private static final long TICK_MILLIS = 50;
    private final Collection<Http1Connection> connections;
    private volatile boolean running = true;

    /** @param connections the server's live connections, read concurrently */
    public Reaper(Collection<Http1Connection> connections) {
        this.connections = connections;
    }

    @Override
    public void run() {
        while (running) {
            HeadBytes.refreshDate();
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long t = System.nanoTime();
            for (Http1Connection c : connections) c.checkDeadlines(t);
        }
    }

    /** Ends the thread after its current tick. */
    public void stop() {
        running = false;
    }
}
