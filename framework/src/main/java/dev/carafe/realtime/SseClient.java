package dev.carafe.realtime;

import dev.carafe.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connected server-sent events client (an {@code EventSource} in a browser).
 *
 * <p>{@link #send} writes at once and blocks while the client is slow to read (back-pressure),
 * from any thread. {@link #offer} queues an event without blocking (what an
 * {@link SseBroadcaster} uses): the connection's own thread writes queued events once the
 * endpoint has returned, or the next {@code send} writes them first. A client whose queue
 * overflows is too slow to keep up and is closed.
 *
 * <p>A client that goes away is noticed at the next write: an event, or the comment heartbeat
 * sent every {@code SSE_HEARTBEAT} (15 s by default; it also keeps proxies from timing out an
 * idle stream). Then {@link #isOpen()} turns false, {@code send} throws, and the
 * {@link #onClose} callbacks run.
 *
 * <pre>{@code
 * app.sse("/feed", client -> {
 *     String since = client.lastEventId();            // on reconnect: resume after it
 *     for (Event e : log.after(since)) client.send(e.type(), e.json(), e.id());
 *     client.onClose(() -> log.info("left"));
 *     feed.add(client);                               // later events come by broadcast
 * });
 * }</pre>
 */
public final class SseClient {
    private final Context ctx;
    private final OutputStream out;
    private final long heartbeatNanos;
    private final int maxQueued;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition changed = queueLock.newCondition();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final List<Runnable> closeCallbacks = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile boolean wroteAny;
    private final java.util.concurrent.atomic.AtomicBoolean callbacksRun = new java.util.concurrent.atomic.AtomicBoolean();

    SseClient(Context ctx, OutputStream out, Duration heartbeat, int maxQueued) {
        this.ctx = ctx;
        this.out = out;
        this.heartbeatNanos = heartbeat.toNanos();
        this.maxQueued = maxQueued;
    }

    /** The request that opened the stream: path parameters, query, cookies, session. */
    public Context context() {
        return ctx;
    }

    /** The {@code Last-Event-ID} a reconnecting browser sends (the id of the last event it saw), or {@code null}. */
    public String lastEventId() {
        return ctx.header("Last-Event-ID");
    }

    /** Sends an unnamed event ({@code message} in the browser). */
    public void send(String data) throws IOException {
        send(null, data, null);
    }

    /** Sends an event named {@code event}. */
    public void send(String event, String data) throws IOException {
        send(event, data, null);
    }

    /**
     * Sends an event; {@code event} and {@code id} may be {@code null}. Multi-line {@code data}
     * becomes several {@code data:} lines, which the browser joins back with newlines.
     *
     * @throws IOException when the client is gone or the stream closed
     */
    public void send(String event, String data, String id) throws IOException {
        write(format(event, data, id));
    }

    /** Tells the browser to wait {@code delay} before reconnecting after the stream drops. */
    public void retry(Duration delay) throws IOException {
        write(("retry: " + delay.toMillis() + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a comment line, ignored by the browser (what heartbeats are). */
    public void comment(String text) throws IOException {
        write((": " + text.replace("\n", " ") + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Queues an event without blocking; false (and the client is closed) if the queue was full,
     * or false if the client is already closed.
     */
    public boolean offer(String event, String data, String id) {
        return offerBytes(format(event, data, id));
    }

    boolean offerBytes(byte[] bytes) {
        if (closed) return false;
        queueLock.lock();
        try {
            if (queue.size() >= maxQueued) {
                closed = true;
                queue.clear();
            } else {
                queue.add(bytes);
            }
            changed.signalAll();
        } finally {
            queueLock.unlock();
        }
        if (closed) runCallbacks();
        return !closed;
    }

    /** Whether the stream is still open, as far as the last write could tell. */
    public boolean isOpen() {
        return !closed;
    }

    /** Runs {@code callback} once the client is gone or the stream is closed (at once if it already is). */
    public void onClose(Runnable callback) {
        closeCallbacks.add(callback);
        if (closed) runCallbacks();
    }

    /** Ends the stream: the response finishes and the browser reconnects unless told otherwise. */
    public void close() {
        closed = true;
        queueLock.lock();
        try {
            changed.signalAll();
        } finally {
            queueLock.unlock();
        }
        runCallbacks();
    }

    private void runCallbacks() {
        if (!callbacksRun.compareAndSet(false, true)) return;
        for (Runnable r : closeCallbacks) {
            try {
                r.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(SseClient.class).error("SSE close callback failed", e);
            }
        }
    }

    static byte[] format(String event, String data, String id) {
        StringBuilder sb = new StringBuilder(data.length() + 32);
        if (id != null) sb.append("id: ").append(oneLine(id)).append('\n');
        if (event != null) sb.append("event: ").append(oneLine(event)).append('\n');
        int start = 0;
        String d = data.replace("\r\n", "\n").replace('\r', '\n');
        while (true) {
            int nl = d.indexOf('\n', start);
            sb.append("data: ").append(d, start, nl < 0 ? d.length() : nl).append('\n');
            if (nl < 0) break;
            start = nl + 1;
        }
        return sb.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String oneLine(String s) {
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) throw new IllegalArgumentException("event names and ids are one line");
        return s;
    }

    /** Writes {@code bytes} after anything queued; marks the client closed when the write fails. */
    private void write(byte[] bytes) throws IOException {
        if (closed) throw new IOException("The event stream is closed");
        writeLock.lock();
        try {
            drainQueue();
            out.write(bytes);
            out.flush();
            wroteAny = true;
        } catch (IOException e) {
            closed = true;
            runCallbacks();
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes the queued events; the caller holds the write lock. */
    private void drainQueue() throws IOException {
        while (true) {
            byte[] next;
            queueLock.lock();
            try {
                next = queue.poll();
            } finally {
                queueLock.unlock();
            }
            if (next == null) return;
            out.write(next);
        }
    }

    /**
     * Run by the connection's thread after the endpoint returned: writes queued events and
     * heartbeats until the client is gone or the stream is closed.
     */
    void pump() {
        try {
            if (!wroteAny && !closed) comment("stream open"); // sends the head now: the browser's onopen fires
            while (!closed) {
                boolean due;
                queueLock.lock();
                try {
                    long wait = heartbeatNanos;
                    while (queue.isEmpty() && !closed && wait > 0) wait = changed.awaitNanos(wait);
                    due = queue.isEmpty() && !closed;
                } finally {
                    queueLock.unlock();
                }
                if (closed) break;
                writeLock.lock();
                try {
                    drainQueue();
                    if (due) out.write(HEARTBEAT);
                    out.flush();
                } finally {
                    writeLock.unlock();
                }
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closed = true;
            runCallbacks();
        }
    }

    private static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.US_ASCII);
}
