package dev.carafe.server.http1;

import dev.carafe.server.AccessLog;
import dev.carafe.server.Handler;
import dev.carafe.server.Headers;
import dev.carafe.server.ServerConfig;
import dev.carafe.server.http2.Http2Connection;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;

/**
 * One client connection: read a request head, run the handler on the same virtual thread, write
 * the response, repeat while requests keep coming. When the connection falls idle its thread
 * ends, leaving it to the {@link Poller}, and a new thread serves it once the next request
 * arrives: an idle keep-alive connection holds no thread, stack or buffer.
 *
 * <p>Responses to pipelined requests already in the buffer are written together: output is
 * flushed only before the connection would wait for input, or when the output buffer fills.
 */
public final class Http1Connection implements Runnable {
    /** The body of a request without one: stateless, so every such request shares it. */
    private static final InputStream NO_BODY = new InputStream() {
        @Override
        public int read() {
            return -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            return len == 0 ? 0 : -1;
        }
    };

    /**
     * What ALPN may choose over TLS, in the server's order of preference: HTTP/2 when the client
     * offers it. A client that offers neither (or no ALPN at all) is served HTTP/1.1.
     */
    private static final java.util.List<String> APPLICATION_PROTOCOLS = java.util.List.of("h2", "http/1.1");

    private static final int ACTIVE = 0, IDLE = 1, CLOSED = 2; // IDLE: no thread, waiting for a request
    /** How long a stopping server waits for the first request of a connection it has just accepted. */
    static final long FIRST_REQUEST_GRACE_NANOS = 2_000_000_000L;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Http1Connection.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PolledSocket socket;
    private final ServerConfig config;
    private final Handler handler;
    private final BooleanSupplier stopping;
    private final Runnable onClose;
    private final InputBuffer in;
    final OutputBuffer out;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final Deadline deadline;
    private final boolean secure;
    private volatile Deadline writeDeadline; // for writes from other threads after an upgrade
    private volatile Runnable onServerStop; // what an upgraded protocol does when the server stops
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state = IDLE;
    /** Until the first bytes have been looked at: they may be HTTP/2's preface (h2c with prior knowledge). */
    private boolean fresh = true;
    /** Set once the connection speaks HTTP/2. */
    private volatile Http2Connection http2;
    private final long acceptedAt = System.nanoTime();
    private volatile boolean woken; // once: the first request arrived (or the client closed)

    /**
     * @param stopping tells whether the server is shutting down: then no response keeps the connection open
     * @param onClose  runs once when the connection has closed
     */
    public Http1Connection(SocketChannel channel, Poller poller, ServerConfig config, BufferPool pool, Handler handler,
                           BooleanSupplier stopping, Runnable onClose) throws IOException {
        this.secure = config.tls() != null;
        this.socket = secure ? TlsSocket.open(channel, poller, () -> config.tls().newEngine(APPLICATION_PROTOCOLS), pool)
                : new PolledSocket(channel, poller);
        this.config = config;
        this.handler = handler;
        this.stopping = stopping;
        this.onClose = onClose;
        this.deadline = new Deadline(socket);
        this.out = new OutputBuffer(socket, pool, deadline, (int) config.ioTimeout().toMillis());
        this.in = new InputBuffer(socket, pool, deadline, this::flushQuietly);
        this.remote = socket.remoteAddress();
        this.local = socket.localAddress();
    }

    /** Waits, with no thread, for the first request. */
    public void start() {
        deadline.armRead(config.idleTimeout().toMillis());
        socket.parkIdle(this);
    }

    /**
     * Serves the connection from idle until it is idle again (its thread then ends) or closes.
     * Runs on a new virtual thread each time the connection wakes from idle.
     */
    @Override
    public void run() {
        woken = true;
        boolean parked = false;
        try {
            parked = resume() && (socket.handshakePending() ? handshake()
                    : nothingArrived() ? parkIdle() : fresh && startsWithPreface() ? serveHttp2(null) : serve());
        } catch (IOException e) {
            Log.SERVER.log(System.Logger.Level.DEBUG, () -> "Connection from " + remote + " ended: " + e);
        } catch (RuntimeException | Error e) {
            Log.SERVER.log(System.Logger.Level.ERROR, "Connection from " + remote + " failed", e);
        } finally {
            if (!parked) end();
        }
    }

    private void end() {
        STATE.setVolatile(this, CLOSED);
        socket.close();
        in.release();
        onClose.run();
    }


    /** Whether the first bytes are HTTP/2's preface (h2c with prior knowledge); asked once per connection. */
    private boolean startsWithPreface() throws IOException {
        fresh = false;
        return H2c.prefaceArrived(in, deadline, config);
    }

    /**
     * Hands the connection to HTTP/2: with prior knowledge ({@code upgrade} null) or after a
     * {@code 101} to an {@code Upgrade: h2c} request, which is answered as stream 1. Returns
     * whether the connection was left idle (it then resumes through the transport).
     */
    private boolean serveHttp2(Http1Request upgrade) throws IOException {
        out.release();
        byte[] leftover = Http1Upgraded.drain(in);
        in.release();
        Deadline writes = new Deadline(socket);
        writeDeadline = writes;
        SocketTransport transport = new SocketTransport(socket, secure, deadline, writes, config.ioTimeout().toMillis(),
                leftover, remote, local, this::end);
        Http2Connection h2 = new Http2Connection(transport, handler, config, stopping);
        http2 = h2;
        STATE.setVolatile(this, ACTIVE);
        if (upgrade == null) return h2.serve();
        return h2.serveUpgrade(upgrade.method, H2c.target(upgrade), H2c.stream1Headers(upgrade), upgrade.http2Settings);
    }


    /**
     * Closes the connection if it is waiting between requests; a request in flight is left to
     * finish. A connection just accepted is left alone for {@link #FIRST_REQUEST_GRACE_NANOS}: its
     * client sends the first request at once, and closing it unanswered fails that request (a
     * client retries only on a connection it reused). One that sent nothing for that long is a
     * browser's speculative preconnect, and is closed.
     */
    public void closeIfIdle() {
        Http2Connection h2 = http2;
        if (h2 != null) {
            h2.stopGracefully(); // GOAWAY; the connection closes once its streams are done
            return;
        }
        Runnable stop = onServerStop; // only the stopping thread calls this: no race on clearing it
        if (stop != null) {
            onServerStop = null;
            Thread.ofVirtual().start(stop);
        }
        if (!woken && System.nanoTime() - acceptedAt < FIRST_REQUEST_GRACE_NANOS) return;
        if (STATE.compareAndSet(this, IDLE, CLOSED)) socket.close(); // resumes the connection, whose thread cleans up
    }

    /** Closes the connection whatever it is doing. */
    public void close() {
        STATE.setVolatile(this, CLOSED);
        socket.close();
    }

    /**
     * Whether the connection, woken from idle, may serve what arrived: not when it idled too long
     * or stop() closed it. A request that arrived while the server stops is still served (with
     * {@code Connection: close}): a client cannot tell it was refused, and may not retry a POST.
     */
    private boolean resume() {
        deadline.disarm();
        if (deadline.expired()) return false;
        return STATE.compareAndSet(this, IDLE, ACTIVE);
    }

    /**
     * Whether a connection woken from idle has nothing to read after all. Readiness is level-triggered:
     * a poller that selects again before the woken thread has read sees the socket readable a second
     * time, and may wake the connection once more after that thread has already served the request
     * and left it idle. Such a connection goes back to idle; waiting for a request head instead would
     * hold a thread and trade the idle timeout for the header timeout.
     */
    private boolean nothingArrived() throws IOException {
        return in.available() == 0 && in.fillNow() == 0;
    }

    /**
     * Over TLS, before the first request: the handshake, under the header timeout like a request
     * head, then the protocol ALPN chose: HTTP/2 (whose preface the client sends at once) when it
     * is {@code h2}, else HTTP/1.1.
     */
    private boolean handshake() throws IOException {
        deadline.armRead(config.headerTimeout().toMillis());
        try {
            socket.handshake(deadline);
        } catch (ProtocolException e) { // plain HTTP to the TLS port: the socket now passes plain text
            reject(e.status(), e.getMessage());
            return false;
        } catch (SocketTimeoutException e) {
            Log.SERVER.log(System.Logger.Level.DEBUG, () -> "TLS handshake from " + remote + " timed out");
            return false;
        } finally {
            deadline.disarm();
        }
        if ("h2".equals(socket.applicationProtocol())) return serveHttp2(null);
        return nothingArrived() ? parkIdle() : serve();
    }

    /** Serves requests; returns true when the connection was left idle, false when it should close. */
    private boolean serve() throws IOException {
        while (true) {
            Http1Request req;
            try {
                req = HeadReader.read(in, config, deadline);
            } catch (ProtocolException e) {
                reject(e.status(), e.getMessage());
                return false;
            }
            if (req == null) { // the stream ended, maybe mid-head: answers to the requests before it still go out
                out.flush();
                return false;
            }
            if (req.upgrade && H2c.upgradeRequested(req, stopping.getAsBoolean())) {
                out.write(H2c.SWITCHING);
                out.flush();
                return serveHttp2(req);
            }
            if (!exchange(req)) {
                out.flush();
                if (in.available() > 0 || req.body instanceof BodyStream body && !body.finished()) socket.lingerBeforeClose(deadline, LINGER_MILLIS);
                return false;
            }
            if (in.available() == 0) return parkIdle();
        }
    }

    /** Flushes, gives the buffers back and leaves the connection to the poller; false when it should close instead. */
    private boolean parkIdle() throws IOException {
        out.release();
        in.release();
        STATE.setVolatile(this, IDLE);
        if (stopping.getAsBoolean()) return false;
        deadline.armRead(config.idleTimeout().toMillis());
        socket.parkIdle(this);
        return true;
    }

    /** Runs one request through the handler. Returns whether the connection may serve another. */
    private boolean exchange(Http1Request req) throws IOException {
        long started = System.nanoTime();
        req.remote = remote;
        req.local = local;
        if (secure) {
            req.secure = true;
            req.serverName = socket.serverName();
        }
        if (!req.chunked && req.contentLength > config.maxBodyBytes()) {
            reject(413, "Request body larger than " + config.maxBodyBytes() + " bytes");
            return false;
        }
        Http1Response res = new Http1Response(this, req);
        int ioTimeout = (int) config.ioTimeout().toMillis();
        Runnable sendContinue = req.expectContinue ? () -> sendContinue(res) : null;
        BodyStream body = req.chunked ? new ChunkedBody(in, config.maxBodyBytes(), ioTimeout, sendContinue)
                : req.contentLength > 0 ? new FixedLengthBody(in, req.contentLength, ioTimeout, sendContinue)
                : null;
        req.body = body != null ? body : NO_BODY;
        if (body == null) in.release(); // nothing more to read for this exchange: a long response holds no input buffer
        try {
            handler.handle(req, res);
            res.finish();
        } catch (Throwable t) {
            if (!recover(t, req, res)) return false;
        } finally {
            onServerStop = null; // a stop hook belongs to its exchange
        }
        log(req, res, started);
        if (res.upgrade() != null) {
            switchProtocols(res.upgrade());
            return false;
        }
        if (!res.keepAlive()) return false;
        if (body == null || body.finished()) return true;
        if (body.continueNotSent()) return false; // the client may never send the body it announced
        try {
            return body.drain(config.maxDrainBytes());
        } catch (IOException e) {
            return false;
        }
    }

    /** Hands the connection to {@code upgrade} after the {@code 101}; the connection closes when it returns. */
    private void switchProtocols(dev.carafe.server.Upgrade upgrade) throws IOException {
        out.release();
        byte[] leftover = Http1Upgraded.drain(in);
        in.release();
        Deadline writes = new Deadline(socket);
        writeDeadline = writes;
        try {
            upgrade.run(new Http1Upgraded(socket, deadline, writes, config.ioTimeout().toMillis(), leftover, remote,
                    this::onServerStop));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            Log.SERVER.log(System.Logger.Level.ERROR, "Upgraded connection from " + remote + " failed", e);
        }
    }

    /** Sets what runs when the server begins a graceful stop during the current exchange or upgrade. */
    void onServerStop(Runnable action) {
        onServerStop = action;
    }

    /** Called by the reaper: ends waits past their deadline. */
    void checkDeadlines(long now) {
        deadline.check(now);
        Deadline writes = writeDeadline;
        if (writes != null) writes.check(now);
    }

    /** Logs the exchange; a failing log must not cost the client its response, which is not yet flushed. */
    private void log(Http1Request req, Http1Response res, long started) {
        AccessLog log = config.accessLog();
        if (log == null) return;
        try {
            log.log(req, res.status(), res.bytesSent(), System.nanoTime() - started);
        } catch (RuntimeException e) {
            Log.SERVER.log(System.Logger.Level.ERROR, "The access log failed", e);
        }
    }

    /** After a failed exchange: answers if still possible; returns whether to keep the connection. */
    private boolean recover(Throwable t, Http1Request req, Http1Response res) throws IOException {
        if (t instanceof ProtocolException pe) {
            if (!res.committed()) reject(pe.status(), pe.getMessage());
            return false;
        }
        if (t instanceof ClientGoneException || in.failed() || out.failed()) {
            Log.SERVER.log(System.Logger.Level.DEBUG, () -> "Client " + remote + " went away during " + req + ": " + t);
            return false;
        }
        Log.SERVER.log(System.Logger.Level.ERROR, "Error handling " + req + " from " + remote, t);
        if (res.committed()) return false; // part of the answer is out: cutting it short is the only signal left
        res.sendError(500, null, false);
        return res.keepAlive();
    }

    /** Hands the client {@code 100 Continue} once its body is wanted, if no final status went first. */
    private void sendContinue(Http1Response res) {
        if (res.committed()) return;
        try {
            out.write(HeadBytes.CONTINUE);
            out.flush();
        } catch (IOException e) {
            // the body read that follows will see the broken connection and report it
        }
    }

    /** Whether the exchange for {@code req} may leave the connection open. */
    boolean mayKeepAlive(Http1Request req) {
        if (!req.keepAlive || stopping.getAsBoolean()) return false;
        if (req.body instanceof BodyStream body && !body.finished()) {
            // The client still waits for 100 Continue: it may send the body or not, so the next
            // request's first byte cannot be known.
            if (body.continueNotSent()) return false;
            // More left unread than the server will drain: it is going to close, so it says so
            // now rather than leaving the client to find a closed connection. (A chunked body's
            // rest is unknown; it is drained up to the limit and the connection closed beyond.)
            if (body instanceof FixedLengthBody fixed && fixed.remaining() > config.maxDrainBytes()) return false;
        }
        return true;
    }

    /** Answers a request that broke the protocol, then closes: its remaining bytes cannot be trusted. */
    private void reject(int status, String message) throws IOException {
        reject(status, message, LINGER_MILLIS);
    }

    private void reject(int status, String message, long lingerMillis) throws IOException {
        Http1Request stub = new Http1Request(new dev.carafe.server.Headers(0));
        stub.method = "GET";
        Http1Response res = new Http1Response(this, stub);
        res.sendError(status, message, true);
        out.flush();
        socket.lingerBeforeClose(deadline, lingerMillis);
    }


    private static final long LINGER_MILLIS = 2000;
    /** Connections beyond the limit must cost little: long enough for a request already on its way. */
    private static final long REFUSAL_LINGER_MILLIS = 250;

    /**
     * Serves this connection with a {@code 503} and closes it: the server is at its connection
     * limit. Runs on its own thread, like {@link #run()}.
     */
    public void refuseBusy() {
        try {
            reject(503, "server busy", REFUSAL_LINGER_MILLIS);
        } catch (IOException | RuntimeException e) {
            Log.SERVER.log(System.Logger.Level.DEBUG, () -> "Refusing " + remote + " failed: " + e);
        } finally {
            STATE.setVolatile(this, CLOSED);
            socket.close();
            in.release();
            onClose.run();
        }
    }

    private void flushQuietly() {
        try {
            out.flush();
        } catch (IOException e) {
            // the read that follows fails the same way and ends the connection
        }
    }
}
