package dev.carafe.server.http1;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * Watches the sockets of connections that are waiting, and wakes their threads (or, for an idle
 * connection, starts one) when a socket becomes ready. This is what lets an idle keep-alive
 * connection cost no thread at all: a parked virtual thread keeps its stack (~1.5 KiB measured),
 * a registration here costs a selection key.
 *
 * <p>On JDK 25+ the loop runs on a virtual thread: {@link Selector#select} then parks it over the
 * JDK's own poller instead of blocking a carrier, so dispatching happens on the same carriers as
 * the connections, without an OS thread switch per request (a platform-thread selector halved
 * throughput when measured). Older JDKs pin a virtual thread's carrier for the whole select, so
 * there the loop gets a platform thread of its own. Readiness is level-triggered and interest is kept between requests,
 * so a connection that goes idle and becomes readable again costs no {@code epoll_ctl} call.
 */
public final class Poller implements Runnable {

    private final Selector selector;
    private final ThreadFactory threads;
    private volatile boolean running = true;

    /** @param threads makes the virtual threads that resume idle connections */
    public Poller(ThreadFactory threads) {
        this.threads = threads;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the loop on a thread named {@code name}. */
    public Poller start(String name) {
        Thread.Builder thread = onVirtualThread() ? Thread.ofVirtual() : Thread.ofPlatform().daemon();
        thread.name(name).start(this);
        return this;
    }

    /**
     * Whether the loop runs on a virtual thread: on JDK 25+, unless the system property
     * {@code carafe.poller} says {@code platform} (or {@code virtual}). The switch exists so the
     * loop JDK 21–24 get, on a platform thread of its own, can be run and tested on a newer JDK.
     */
    static boolean onVirtualThread() {
        return switch (System.getProperty("carafe.poller", "")) {
            case "platform" -> false;
            case "virtual" -> true;
            default -> Runtime.version().feature() >= 25;
        };
    }

    /** Registers a connected socket, switching it to non-blocking mode; it is watched for nothing yet. */
    SelectionKey register(SocketChannel channel, PolledSocket socket) throws IOException {
        channel.configureBlocking(false);
        return channel.register(selector, 0, socket);
    }

    /**
     * Makes the loop see an interest just added (or a key just cancelled). Interest set through a
     * key takes effect at the next select, so one that sleeps in select must be woken for it.
     */
    void wakeup() {
        selector.wakeup();
    }

    /** Starts {@code task} on a new virtual thread: an idle connection that has work again. */
    void resume(Runnable task) {
        threads.newThread(task).start();
    }

    @Override
    public void run() {
        while (running) {
            try {
                int ready = selector.select(Poller::dispatch);
                // Give the threads just woken the carrier before polling again: until they have read,
                // their sockets still look readable and the next select would report them twice.
                if (ready > 0) Thread.yield();
            } catch (IOException | RuntimeException e) {
                if (!running) break;
                Log.SERVER.log(System.Logger.Level.ERROR, "The connection poller failed; it goes on", e);
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static void dispatch(SelectionKey key) {
        int ops;
        try {
            ops = key.readyOps();
        } catch (CancelledKeyException e) {
            return; // the socket was closed after select saw it ready: its close woke its waiters
        }
        ((PolledSocket) key.attachment()).ready(ops);
    }

    /** Ends the loop; connections still registered are closed by the server before this. */
    public void stop() {
        running = false;
        selector.wakeup();
    }
}
