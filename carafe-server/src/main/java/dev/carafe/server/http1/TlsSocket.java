package dev.carafe.server.http1;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * A {@link PolledSocket} that speaks TLS: an {@link SSLEngine} between the connection's buffers
 * and the raw socket. The poller still waits on the raw socket, so an idle TLS connection holds no
 * thread either; what the engine has already received but the connection not yet read (a
 * pipelined request in a record of its own, a partial record) is checked before going idle, since
 * the socket will not report it readable again.
 *
 * <p>The handshake runs first, on the connection's thread, under the header timeout
 * ({@link #handshake}). A client that sends plain HTTP instead of a ClientHello is answered in
 * plain text: the socket then passes bytes through untouched.
 *
 * <p>One thread reads and one writes, as for a plain socket. They may run at once (an upgraded
 * connection), which {@link SSLEngine} allows; a read that must answer the peer (a key update)
 * sends under the same lock as writes, so records never interleave.
 */
final class TlsSocket extends PolledSocket {
    private static final byte HANDSHAKE_RECORD = 22;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0); // wrap reads nothing from it: shareable

    private final Supplier<SSLEngine> engines;
    private final BufferPool pool;
    private final ReentrantLock sending = new ReentrantLock(); // a send may wait for the client: no monitor
    private SSLEngine engine; // made at the handshake, so a connection that never speaks costs none
    private volatile boolean established;
    private boolean passThrough; // plain HTTP arrived: it is answered in plain text
    private ByteBuffer netIn; // received records, unprocessed bytes between position and limit
    private boolean partialRecord; // netIn holds less than a whole record: wait for the socket
    private ByteBuffer appIn; // decrypted bytes the connection has not read yet
    private ByteBuffer netOut; // guarded by sending
    private String serverName;
    private String protocol;

    /**
     * A TLS socket, typed as a plain one: code that only calls this never makes the JVM load this
     * class, so a plain server's socket calls have one implementation to inline.
     */
    static PolledSocket open(SocketChannel channel, Poller poller, Supplier<SSLEngine> engines, BufferPool pool)
            throws IOException {
        return new TlsSocket(channel, poller, engines, pool);
    }

    /**
     * @param engines makes the server-side engine for this connection, ALPN and all
     * @param pool    lends the record buffers while the connection is not idle
     */
    private TlsSocket(SocketChannel channel, Poller poller, Supplier<SSLEngine> engines, BufferPool pool) throws IOException {
        super(channel, poller);
        this.engines = engines;
        this.pool = pool;
    }

    @Override
    boolean handshakePending() {
        return engine == null;
    }

    /**
     * Completes the handshake, waiting for the client under {@code deadline}.
     *
     * @throws ProtocolException when the client sent plain HTTP: answer it, the socket now passes bytes through
     * @throws SSLException      when the handshake failed (the alert has been sent)
     */
    @Override
    void handshake(Deadline deadline) throws IOException {
        engine = engines.get();
        while (netIn == null || !netIn.hasRemaining()) {
            if (receiveRecords(true, deadline, null) < 0) throw new EOFException("closed before the TLS handshake");
        }
        byte first = netIn.get(netIn.position());
        if (first != HANDSHAKE_RECORD) {
            passThrough = true;
            if (Ascii.isToken(first)) throw new ProtocolException(400, "The plain HTTP request was sent to the HTTPS port");
            throw new SSLException("Not a TLS handshake");
        }
        try {
            engine.beginHandshake();
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (!netIn.hasRemaining() || partialRecord) {
                            if (receiveRecords(true, deadline, null) < 0) throw new EOFException("closed during the TLS handshake");
                        } else if (unwrap().getStatus() == SSLEngineResult.Status.CLOSED) {
                            throw new EOFException("closed during the TLS handshake");
                        }
                    }
                    case NEED_WRAP -> send(NOTHING, deadline);
                    case NEED_TASK -> runTasks();
                    case FINISHED, NOT_HANDSHAKING -> {
                        finishHandshake();
                        return;
                    }
                }
            }
        } catch (SSLException e) {
            sendAlert(deadline);
            throw e;
        }
    }

    private void finishHandshake() {
        SSLSession session = engine.getSession();
        if (session instanceof ExtendedSSLSession ext) {
            List<SNIServerName> names = ext.getRequestedServerNames();
            for (SNIServerName n : names) {
                if (n instanceof SNIHostName host) serverName = host.getAsciiName();
            }
        }
        String p = engine.getApplicationProtocol();
        protocol = p == null || p.isEmpty() ? null : p;
        established = true;
    }

    /** After a failed handshake the engine holds an alert telling the client why: send it, best effort. */
    private void sendAlert(Deadline deadline) {
        try {
            engine.closeOutbound();
            send(NOTHING, deadline);
        } catch (IOException | RuntimeException ignored) {
            // the client is told nothing more; the connection closes anyway
        }
    }

    @Override
    String applicationProtocol() {
        return protocol;
    }

    @Override
    String serverName() {
        return serverName;
    }

    @Override
    int readNow(byte[] b, int off, int len) throws IOException {
        return passThrough ? super.readNow(b, off, len) : receive(b, off, len, false, null);
    }

    @Override
    int read(byte[] b, int off, int len, Deadline deadline) throws IOException {
        if (len == 0) return 0;
        return passThrough ? super.read(b, off, len, deadline) : receive(b, off, len, true, deadline);
    }

    /**
     * HTTP/2's read: decrypted bytes already here, else one wait on the raw socket (which
     * {@link #wake} or {@code woken} ends as for a plain socket), then what those records decrypt
     * to. Returns 0 when the wait ended with no whole record, as a plain socket's wake-up does.
     */
    @Override
    int readOrWake(byte[] b, int off, int len, Deadline deadline, BooleanSupplier woken) throws IOException {
        if (passThrough) return super.readOrWake(b, off, len, deadline, woken);
        int n = receive(b, off, len, false, deadline);
        if (n != 0) return n;
        n = receiveRecords(false, deadline, woken);
        return n <= 0 ? n : receive(b, off, len, false, deadline);
    }

    /** Decrypted bytes into {@code b}: those already there, else from records received, else from the socket. */
    private int receive(byte[] b, int off, int len, boolean wait, Deadline deadline) throws IOException {
        if (!established) throw new SSLException("The TLS handshake has not completed");
        while (true) {
            if (appIn != null && appIn.hasRemaining()) {
                int n = Math.min(len, appIn.remaining());
                appIn.get(b, off, n);
                return n;
            }
            if (netIn != null && netIn.hasRemaining() && !partialRecord) {
                SSLEngineResult r = unwrap();
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) return -1; // the client's close_notify
                afterUnwrap(r.getHandshakeStatus(), deadline);
                continue;
            }
            int n = receiveRecords(wait, deadline, null);
            if (n <= 0) return n;
        }
    }

    /**
     * A record received may ask for an answer (a TLS 1.3 key update): give it. A TLS 1.2 client
     * asking to renegotiate is refused by closing, as nginx does: each renegotiation costs the
     * server a handshake's CPU, and HTTP has no use for it.
     */
    private void afterUnwrap(HandshakeStatus status, Deadline deadline) throws IOException {
        if (status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED
                && "TLSv1.2".equals(engine.getSession().getProtocol())) {
            throw new SSLException("TLS renegotiation is not supported");
        }
        while (true) {
            switch (status) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> send(NOTHING, deadline);
                default -> {
                    return;
                }
            }
            status = engine.getHandshakeStatus();
        }
    }

    /** Decrypts one record from {@code netIn} into {@code appIn}, growing either buffer as the engine asks. */
    private SSLEngineResult unwrap() throws SSLException {
        if (appIn == null) appIn = borrow(engine.getSession().getApplicationBufferSize()).limit(0);
        while (true) {
            appIn.compact();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
            }
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> appIn = grow(appIn, appIn.capacity() + engine.getSession().getApplicationBufferSize());
                case BUFFER_UNDERFLOW -> {
                    partialRecord = true;
                    return r;
                }
                default -> {
                    return r;
                }
            }
        }
    }

    /**
     * Reads what the socket has into {@code netIn}: waiting for at least a byte when {@code wait},
     * or waiting once, until readable or woken, when {@code woken} is given.
     */
    private int receiveRecords(boolean wait, Deadline deadline, BooleanSupplier woken) throws IOException {
        int packet = engine.getSession().getPacketBufferSize();
        if (netIn == null) netIn = borrow(packet).limit(0);
        netIn.compact();
        try {
            if (!netIn.hasRemaining()) netIn = grow(netIn.flip(), netIn.capacity() + packet).compact();
            int pos = netIn.position();
            int n = woken != null ? super.readOrWake(netIn.array(), pos, netIn.remaining(), deadline, woken)
                    : wait ? super.read(netIn.array(), pos, netIn.remaining(), deadline)
                    : super.readNow(netIn.array(), pos, netIn.remaining());
            if (n > 0) {
                netIn.position(pos + n);
                partialRecord = false;
            }
            return n;
        } finally {
            netIn.flip();
        }
    }

    /** A copy of {@code b} (in read mode) with room for at least {@code capacity} bytes; {@code b} goes back to the pool. */
    private ByteBuffer grow(ByteBuffer b, int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(capacity, b.capacity() + 1));
        bigger.put(b).flip();
        pool.giveTls(b.array());
        return bigger;
    }

    /** An empty buffer (in write mode) of at least {@code size} bytes: pooled when a record fits. */
    private ByteBuffer borrow(int size) {
        return size <= BufferPool.TLS_SIZE ? ByteBuffer.wrap(pool.takeTls()) : ByteBuffer.allocate(size);
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) task.run(); // signing with the key: CPU work, on this thread
    }

    @Override
    void write(byte[] b, int off, int len, Deadline deadline) throws IOException {
        if (passThrough) {
            super.write(b, off, len, deadline);
        } else if (!established) {
            throw new SSLException("The TLS handshake has not completed"); // e.g. the 408 of a stalled handshake
        } else {
            send(ByteBuffer.wrap(b, off, len), deadline);
        }
    }

    /** Encrypts all of {@code src} (and whatever the engine has to say) and writes the records. */
    private void send(ByteBuffer src, Deadline deadline) throws IOException {
        sending.lock();
        try {
            if (netOut == null) netOut = borrow(engine.getSession().getPacketBufferSize());
            do {
                netOut.clear();
                SSLEngineResult r = engine.wrap(src, netOut);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    pool.giveTls(netOut.array());
                    netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
                    continue;
                }
                if (r.bytesProduced() > 0) super.write(netOut.array(), 0, r.bytesProduced(), deadline);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    if (src.hasRemaining()) throw new SocketException("TLS connection closed");
                    return;
                }
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) runTasks();
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0 && src.hasRemaining()) {
                    // The engine waits for the client's handshake messages before it sends data again.
                    throw new SSLException("TLS renegotiation while sending is not supported");
                }
            } while (src.hasRemaining() || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP);
        } finally {
            sending.unlock();
        }
    }

    /**
     * Goes idle like a plain socket, unless input is already buffered here: the socket would not
     * report it, so the connection resumes at once. Otherwise the empty buffers go back to the
     * pool, so an idle TLS connection costs its engine and no buffer.
     */
    @Override
    void parkIdle(Runnable resume) {
        if (engine != null && !passThrough) {
            if ((appIn != null && appIn.hasRemaining()) || (netIn != null && netIn.hasRemaining() && !partialRecord)) {
                resumeNow(resume);
                return;
            }
            if (appIn != null && !appIn.hasRemaining()) {
                pool.giveTls(appIn.array());
                appIn = null;
            }
            if (netIn != null && !netIn.hasRemaining()) {
                pool.giveTls(netIn.array());
                netIn = null;
            }
            if (sending.tryLock()) {
                try {
                    if (netOut != null) pool.giveTls(netOut.array());
                    netOut = null;
                } finally {
                    sending.unlock();
                }
            }
        }
        super.parkIdle(resume);
    }

    /**
     * Closes, telling the client first with close_notify when that costs no wait: without it a
     * client cannot tell a response that ends at the close from one cut short (OpenSSL 3 reports
     * "unexpected eof"). Skipped when a writer holds the connection or the socket has no room.
     */
    @Override
    void close() {
        if (established && !passThrough && !engine.isOutboundDone() && sending.tryLock()) {
            try {
                engine.closeOutbound();
                if (netOut == null) netOut = borrow(engine.getSession().getPacketBufferSize());
                netOut.clear();
                SSLEngineResult r = engine.wrap(NOTHING, netOut);
                if (r.bytesProduced() > 0) super.writeNow(netOut.array(), 0, r.bytesProduced());
            } catch (IOException | RuntimeException ignored) {
                // closing anyway
            } finally {
                sending.unlock();
            }
        }
        super.close();
    }

    /** Sends close_notify, then FIN. */
    @Override
    void shutdownOutput() throws IOException {
        if (established && !passThrough) {
            engine.closeOutbound();
            try {
                send(NOTHING, null);
            } catch (IOException ignored) {
                // the FIN below still tells the client
            }
        }
        super.shutdownOutput();
    }
}
