package dev.carafe.server.http1;

import dev.carafe.server.AccessLog;
import dev.carafe.server.Handler;
import dev.carafe.server.ServerConfig;
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
    private static final int MAX_LEADING_EMPTY_LINES = 8;
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

    private static final int ACTIVE = 0, IDLE = 1, CLOSED = 2; // IDLE: no thread, waiting for a request
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
    private volatile Deadline writeDeadline; // for writes from other threads after an upgrade
    private volatile Runnable onServerStop; // what an upgraded protocol does when the server stops
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state = IDLE;
    private volatile boolean fresh = true; // not yet woken by a first request, which its client is sending
    private final long acceptedAt = System.nanoTime(); // a stop leaves a fresh connection 1 s for that request

    /**
     * @param stopping tells whether the server is shutting down: then no response keeps the connection open
     * @param onClose  runs once when the connection has closed
     */
    public Http1Connection(SocketChannel channel, Poller poller, ServerConfig config, BufferPool pool, Handler handler,
                           BooleanSupplier stopping, Runnable onClose) throws IOException {
        this.socket = new PolledSocket(channel, poller);
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
        boolean parked = false;
        try {
            parked = resume() && (nothingArrived() ? parkIdle() : serve());
        } catch (IOException e) {
            Log.SERVER.log(System.Logger.Level.DEBUG, () -> "Connection from " + remote + " ended: " + e);
        } catch (RuntimeException | Error e) {
            Log.SERVER.log(System.Logger.Level.ERROR, "Connection from " + remote + " failed", e);
        } finally {
            if (!parked) {
                STATE.setVolatile(this, CLOSED);
                socket.close();
                in.release();
                onClose.run();
            }
        }
    }

    /**
     * Closes the connection if it is waiting between requests; a request in flight is left to finish,
     * and so is a fresh connection for a second: closing it would reset the request its client (a
     * balancer that connected as the port closed) is sending. The caller asks again until it ends.
     */
    public void closeIfIdle() {
        Runnable stop = onServerStop; // only the stopping thread calls this: no race on clearing it
        if (stop != null) {
            onServerStop = null;
            Thread.ofVirtual().start(stop);
        }
        boolean waitsForFirst = fresh && System.nanoTime() - acceptedAt < 1_000_000_000L;
        if (!waitsForFirst && STATE.compareAndSet(this, IDLE, CLOSED)) socket.close(); // its thread cleans up
    }

    /** Closes the connection whatever it is doing. */
    public void close() {
        STATE.setVolatile(this, CLOSED);
        socket.close();
    }

    /**
     * Whether the connection, woken from idle, has a request to serve: not when it idled too long or
     * stop() closed it. One arriving while the server stops is served, with {@code Connection: close}.
     */
    private boolean resume() {
        deadline.disarm();
        fresh = false;
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

    /** Serves requests; returns true when the connection was left idle, false when it should close. */
    private boolean serve() throws IOException {
        while (true) {
            Http1Request req;
            try {
                req = readHead();
            } catch (ProtocolException e) {
                reject(e.status(), e.getMessage());
                return false;
            }
            if (req == null) return false; // the client went away mid-head
            if (!exchange(req)) {
                out.flush();
                if (in.available() > 0 || req.body instanceof BodyStream body && !body.finished()) lingeringClose(LINGER_MILLIS);
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

    /**
     * Reads until a whole request head is buffered, validating as bytes arrive so that garbage
     * (a TLS handshake, a bare LF) is refused at once rather than after a timeout.
     */
    private Http1Request readHead() throws IOException {
        try {
            return readHeadArmingOnce();
        } finally {
            deadline.disarm();
        }
    }

    /** The header timeout covers the whole head, however many reads it takes: armed once, at the first read. */
    private Http1Request readHeadArmingOnce() throws IOException {
        boolean armed = false;
        int maxLine = config.maxRequestLineBytes();
        int maxHead = maxLine + config.maxHeaderBytes() + 4;
        int emptyLines = 0;
        int scanned = 0; // bytes from in.pos already searched for the end of the head
        int lineEnd = -1; // length of the request line once its CRLF is seen
        while (true) {
            byte[] b = in.buf;
            while (scanned == 0 && in.available() >= 2 && b[in.pos] == '\r' && b[in.pos + 1] == '\n') {
                if (++emptyLines > MAX_LEADING_EMPTY_LINES) throw new ProtocolException(400, "Too many empty lines");
                in.pos += 2; // RFC 9112 §2.2: ignore empty lines before a request line
            }
            int start = in.pos, limit = in.limit;
            if (scanned == 0 && limit > start && !Ascii.isToken(b[start]) && b[start] != '\r') {
                throw new ProtocolException(400, "Not an HTTP request");
            }
            // Only line feeds are looked for here, eight bytes at a time; a bare CR inside a line
            // is refused by the parser once the head is complete.
            for (int i = start + Math.max(scanned, 1); (i = Ascii.indexOfLf(b, i, limit)) >= 0; i++) {
                if (b[i - 1] != '\r') throw new ProtocolException(400, "Bare LF in request head (lines must end in CRLF)");
                if (lineEnd < 0) lineEnd = i + 1 - start;
                if (i - start >= 3 && b[i - 2] == '\n') {
                    in.pos = i + 1;
                    checkSizes(lineEnd, i + 1 - start, maxLine);
                    return RequestParser.parse(b, start, i + 1, config.maxHeaderCount());
                }
            }
            scanned = limit - start;
            if (lineEnd < 0) checkMethodSoFar(b, start, limit);
            checkSizes(lineEnd, scanned, maxLine);
            if (b != null && in.limit == b.length) in.compactOrGrow(in.pos > 0 ? b.length : Math.min(b.length * 2, maxHead));
            if (!armed) {
                deadline.armRead(config.headerTimeout().toMillis());
                armed = true;
            }
            int n;
            try {
                n = in.fill();
            } catch (SocketTimeoutException e) {
                throw new ProtocolException(408, "Timed out reading the request head");
            }
            if (n < 0) return null;
        }
    }

    /** A method is a token followed by a space: anything else is refused before the line ends. */
    private static void checkMethodSoFar(byte[] b, int start, int limit) throws ProtocolException {
        for (int i = start; i < limit; i++) {
            if (b[i] == ' ') return;
            if (!Ascii.isToken(b[i])) throw new ProtocolException(400, "Not an HTTP request");
        }
    }

    private void checkSizes(int lineLength, int headLength, int maxLine) throws ProtocolException {
        if (lineLength < 0 ? headLength > maxLine : lineLength > maxLine + 2) {
            throw new ProtocolException(414, "Request line longer than " + maxLine + " bytes");
        }
        if (lineLength >= 0 && headLength - lineLength > config.maxHeaderBytes()) {
            throw new ProtocolException(431, "Header fields longer than " + config.maxHeaderBytes() + " bytes");
        }
    }

    /** Runs one request through the handler. Returns whether the connection may serve another. */
    private boolean exchange(Http1Request req) throws IOException {
        req.remote = remote;
        req.local = local;
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
        log(req, res);
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
    private void log(Http1Request req, Http1Response res) {
        AccessLog log = config.accessLog();
        if (log == null) return;
        try {
            log.log(req, res.status(), res.bytesSent());
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
        lingeringClose(lingerMillis);
    }

    /**
     * Closes so the client reads the answer: closing with unread input makes the kernel send a
     * reset that can destroy the response in flight, so first signal the end, then read and discard
     * what the client still sends, for a bounded time and size. The time limit goes through the
     * {@link Deadline} like every other wait, not a timed socket read.
     */
    private void lingeringClose(long millis) {
        try {
            socket.shutdownOutput();
            byte[] sink = new byte[4096];
            deadline.armRead(millis);
            long total = 0;
            int n;
            while (total < LINGER_MAX_BYTES && (n = socket.read(sink, 0, sink.length, deadline)) >= 0) total += n;
        } catch (IOException ignored) {
            // closing anyway
        } finally {
            deadline.disarm();
        }
    }

    private static final long LINGER_MILLIS = 2000;
    /** Connections beyond the limit must cost little: long enough for a request already on its way. */
    private static final long REFUSAL_LINGER_MILLIS = 250;
    private static final long LINGER_MAX_BYTES = 1 << 20;

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
