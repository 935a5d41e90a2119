package dev.carafe.server.http1;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A connection's socket in non-blocking mode, registered with a {@link Poller}. Reads and writes
 * block the calling virtual thread as plain socket I/O would, parking it until the poller reports
 * the socket ready; between requests the connection can instead be left with no thread at all
 * ({@link #parkIdle}).
 *
 * <p>Because Carafe parks the threads itself, it can also end a wait without touching the socket
 * ({@link #wake}): a read past its deadline returns a timeout and the connection can still answer
 * {@code 408}.
 *
 * <p>At most one thread reads and one writes at a time; the poller is the only other party.
 *
 * <p>{@link TlsSocket} overrides the I/O methods to put TLS between the connection and the
 * socket. A plain server never loads that class, so the JIT sees one implementation and these
 * calls stay direct on the plain path.
 */
class PolledSocket {
    private static final VarHandle READER, WRITER, IDLE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            READER = l.findVarHandle(PolledSocket.class, "reader", Thread.class);
            WRITER = l.findVarHandle(PolledSocket.class, "writer", Thread.class);
            IDLE = l.findVarHandle(PolledSocket.class, "idle", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SocketChannel channel;
    private final Poller poller;
    private final SelectionKey key;
    @SuppressWarnings("unused") private volatile Thread reader; // through READER: parked until readable
    @SuppressWarnings("unused") private volatile Thread writer; // through WRITER: parked until writable
    @SuppressWarnings("unused") private volatile Runnable idle; // through IDLE: runs when an idle connection is readable
    private volatile boolean closed;

    PolledSocket(SocketChannel channel, Poller poller) throws IOException {
        this.channel = channel;
        this.poller = poller;
        this.key = poller.register(channel, this);
    }

    InetSocketAddress remoteAddress() throws IOException {
        return (InetSocketAddress) channel.getRemoteAddress();
    }

    InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Reads what is there without waiting: the count, 0 when nothing is, -1 at end of stream. */
    int readNow(byte[] b, int off, int len) throws IOException {
        return channel.read(ByteBuffer.wrap(b, off, len));
    }

    /** Writes what the socket takes without waiting; returns the count written. */
    int writeNow(byte[] b, int off, int len) throws IOException {
        return channel.write(ByteBuffer.wrap(b, off, len));
    }

    /**
     * Reads at least one byte, waiting as long as it takes; -1 at end of stream.
     *
     * @throws SocketTimeoutException when {@code deadline} expires while waiting
     */
    int read(byte[] b, int off, int len, Deadline deadline) throws IOException {
        if (len == 0) return 0;
        ByteBuffer dst = ByteBuffer.wrap(b, off, len);
        int n;
        while ((n = channel.read(dst)) == 0) await(READER, SelectionKey.OP_READ, deadline, null);
        return n;
    }

    /**
     * Reads what is there, or waits once for the socket to become readable and reads then:
     * returns 0 when {@link #wake} ended the wait with nothing to read, or {@code woken} said to
     * stop waiting (its setter calls {@link #wake} after setting it), -1 at end of stream.
     */
    int readOrWake(byte[] b, int off, int len, Deadline deadline, BooleanSupplier woken) throws IOException {
        ByteBuffer dst = ByteBuffer.wrap(b, off, len);
        int n = channel.read(dst);
        if (n != 0) return n;
        await(READER, SelectionKey.OP_READ, deadline, woken);
        return channel.read(dst);
    }

    /**
     * Writes all of {@code b[off, off + len)}, waiting while the client is not reading.
     *
     * @throws SocketTimeoutException when {@code deadline} expires while waiting
     */
    void write(byte[] b, int off, int len, Deadline deadline) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(b, off, len);
        while (true) {
            channel.write(src);
            if (!src.hasRemaining()) return;
            await(WRITER, SelectionKey.OP_WRITE, deadline, null);
        }
    }

    /** Parks until the poller reports {@code op} ready, the deadline expires, or {@code woken} says so (when not null). */
    private void await(VarHandle waiter, int op, Deadline deadline, BooleanSupplier woken) throws IOException {
        Thread me = Thread.currentThread();
        waiter.setVolatile(this, me);
        try {
            watch(op);
            while (waiter.getVolatile(this) == me) {
                if (woken != null && woken.getAsBoolean()) return;
                if (closed) throw new SocketException("Socket closed");
                if (deadline != null && deadline.expired()) {
                    throw new SocketTimeoutException(op == SelectionKey.OP_READ ? "Read timed out" : "Write timed out");
                }
                LockSupport.park(this);
            }
        } finally {
            waiter.compareAndSet(this, me, null);
        }
    }

    /** Has the poller watch for {@code op}; interest stays set after it fires, so this is usually free. */
    private void watch(int op) throws SocketException {
        try {
            if ((key.interestOps() & op) != 0) return;
            key.interestOpsOr(op);
        } catch (CancelledKeyException e) {
            throw new SocketException("Socket closed");
        }
        poller.wakeup();
    }

    /**
     * Leaves the connection with no thread: {@code resume} runs on a new virtual thread once the
     * socket is readable, or is closed, or {@link #wake} is called. The calling thread must not
     * touch the connection afterwards: another may already be serving it.
     */
    void parkIdle(Runnable resume) {
        idle = resume;
        try {
            watch(SelectionKey.OP_READ);
        } catch (SocketException e) {
            resumeIdle();
        }
        if (closed) resumeIdle(); // a close that came before idle was set found nothing to resume
    }

    /** Starts {@code resume} on a new thread at once: the connection has input buffered above the socket. */
    void resumeNow(Runnable resume) {
        poller.resume(resume);
    }

    /** Whether a TLS handshake must run before the first read: never for a plain socket. */
    boolean handshakePending() {
        return false;
    }

    /**
     * Runs the TLS handshake under {@code deadline}; the protocol the client and server agreed on
     * through ALPN is then {@link #applicationProtocol()}. Nothing to do for a plain socket.
     */
    void handshake(Deadline deadline) throws IOException {
        // plain sockets have no handshake
    }

    /** The protocol ALPN selected, or {@code null} (plain socket, or the client offered none). */
    String applicationProtocol() {
        return null;
    }

    /** The host name the client asked for in its TLS handshake (SNI), or {@code null}. */
    String serverName() {
        return null;
    }

    /** Ends a read wait now (it then times out if its deadline has expired), or resumes an idle connection. */
    void wake() {
        wake(READER);
        resumeIdle();
    }

    /** Called by the poller: wakes whoever waits for what is ready. */
    void ready(int ops) {
        int unwanted = ops;
        if ((ops & SelectionKey.OP_READ) != 0 && (wake(READER) | resumeIdle())) unwanted &= ~SelectionKey.OP_READ;
        if ((ops & SelectionKey.OP_WRITE) != 0 && wake(WRITER)) unwanted &= ~SelectionKey.OP_WRITE;
        if (unwanted == 0) return;
        // Ready while nobody waits: a thread busy with the connection will read or write when it
        // gets there. Stop watching until someone waits, or every select would report it again.
        try {
            key.interestOpsAnd(~unwanted);
        } catch (CancelledKeyException e) {
            return;
        }
        // A waiter that came meanwhile may have seen the old interest and not asked again.
        if ((unwanted & SelectionKey.OP_READ) != 0) {
            wake(READER);
            resumeIdle();
        }
        if ((unwanted & SelectionKey.OP_WRITE) != 0) wake(WRITER);
    }

    private boolean wake(VarHandle waiter) {
        Thread t = (Thread) waiter.getVolatile(this);
        if (t == null || !waiter.compareAndSet(this, t, null)) return false;
        LockSupport.unpark(t);
        return true;
    }

    private boolean resumeIdle() {
        Runnable r = (Runnable) IDLE.getVolatile(this);
        if (r == null || !IDLE.compareAndSet(this, r, null)) return false;
        poller.resume(r);
        return true;
    }

    /** Sends FIN: the client sees the end of the response stream, and may still send. */
    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /** Closes the socket and ends every wait on it; an idle connection is resumed to clean up. */
    void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed anyway
        }
        poller.wakeup(); // a registered socket's descriptor is released at the poller's next select
        wake(READER);
        wake(WRITER);
        resumeIdle();
    }

    private static final long LINGER_MAX_BYTES = 1 << 20;

    /**
     * Closes so the client reads the answer: closing with unread input makes the kernel send a
     * reset that can destroy the response in flight, so first signal the end, then read and discard
     * what the client still sends, for a bounded time and at most 1 MiB. The time limit goes through the
     * {@link Deadline} like every other wait, not a timed socket read.
     */
    void lingerBeforeClose(Deadline deadline, long millis) {
        try {
            shutdownOutput();
            byte[] sink = new byte[4096];
            deadline.armRead(millis);
            long total = 0;
            int n;
            while (total < LINGER_MAX_BYTES && (n = read(sink, 0, sink.length, deadline)) >= 0) total += n;
        } catch (IOException ignored) {
            // closing anyway
        } finally {
            deadline.disarm();
        }
    }
}
