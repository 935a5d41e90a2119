package dev.carafe.server.http2;

import static dev.carafe.server.http2.Frames.*;

import dev.carafe.server.Handler;
import dev.carafe.server.Headers;
import dev.carafe.server.Http2Config;
import dev.carafe.server.ServerConfig;
import dev.carafe.server.http1.Log;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * An HTTP/2 connection (RFC 9113) over any {@link Http2Transport}: one reader, the thread that
 * calls {@link #serve()}, decodes frames; each request runs its handler on a virtual thread of
 * its own, with the same {@link dev.carafe.server.Request} and {@link dev.carafe.server.Response}
 * as HTTP/1.1. When no stream is open and no frame is half-read, the reader leaves the connection
 * to the transport's poller and its thread ends, so an idle connection holds no thread.
 *
 * <pre>{@code
 * Http2Connection h2 = new Http2Connection(transport, handler, serverConfig, () -> stopping);
 * boolean parked = h2.serve(); // false: the connection is over
 * }</pre>
 *
 * <p>Every violation becomes the error RFC 9113 names: GOAWAY for the connection, RST_STREAM for
 * one stream (the other streams go on). The abuse limits of {@link Http2Config} end the connection
 * with ENHANCE_YOUR_CALM.
 */
public final class Http2Connection {
    private final Http2Transport transport;
    private final ServerConfig config;
    private final Http2Config limits;
    private final BooleanSupplier serverStopping;
    final FrameWriter writer;
    private final SendWindows windows;
    private final Streams streams;
    private final RateLimit resets, controlFrames;
    /** {@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}: how a client with prior knowledge starts (RFC 9113 §3.4). */
    public static final byte[] PREFACE = Frames.PREFACE.clone();
    // Reader thread only:
    private byte[] buf;
    private int pos, limit;
    private boolean prefaceRead, settingsSeen, resumed;
    private int lastStreamId;
    private final HeaderBlocks blocks;
    private boolean clientGoingAway;
    // Any thread:
    private volatile boolean goingAway; // a graceful stop began: the first GOAWAY is out
    private volatile boolean finalGoAwayDue;
    private boolean refusing; // reader only: the final GOAWAY is out, new streams are refused
    private volatile boolean ended;

    /**
     * @param stopping tells whether the server is stopping: then the connection says GOAWAY and
     *                 ends once its streams are done
     */
    public Http2Connection(Http2Transport transport, Handler handler, ServerConfig config, BooleanSupplier stopping) {
        this.transport = transport;
        this.config = config;
        this.limits = config.http2();
        this.serverStopping = stopping;
        this.writer = new FrameWriter(transport);
        this.windows = new SendWindows(config.ioTimeout().toMillis());
        this.resets = new RateLimit(limits.maxResets(), limits.window().toNanos());
        this.controlFrames = new RateLimit(limits.maxControlFrames(), limits.window().toNanos());
        this.streams = new Streams(transport, handler, config, writer, windows);
        this.blocks = new HeaderBlocks(config.maxHeaderBytes(), limits.maxHeaderBlockFrames());
    }

    /** Serves a connection whose client sent the preface first (prior knowledge, or TLS with ALPN {@code h2}). */
    public static boolean serve(Http2Transport transport, Handler handler, ServerConfig config) {
        return new Http2Connection(transport, handler, config, () -> false).serve();
    }

    /**
     * Speaks HTTP/2 until the connection ends (false) or falls idle and is left to the transport's
     * poller (true; it then resumes on a thread of the transport's).
     */
    public boolean serve() {
        return run(() -> {
            sendSettings();
            return loop();
        });
    }

    /**
     * Serves a connection upgraded from HTTP/1.1 ({@code Upgrade: h2c}, RFC 7540 §3.2) after the
     * {@code 101}: the upgrading request, which had no body, is stream 1 and is answered there.
     *
     * @param settings the decoded {@code HTTP2-Settings} field: the client's first SETTINGS payload
     */
    public boolean serveUpgrade(String method, String target, Headers headers, byte[] settings) {
        return run(() -> {
            sendSettings();
            ClientSettings.apply(settings, 0, settings.length, windows, streams, writer);
            lastStreamId = 1;
            Http2Stream s = new Http2Stream(1, 0, limits.streamWindow(), windows.initial(), RequestBody.empty());
            s.remoteClosed = true;
            Headers h = new Headers(headers.size());
            headers.forEach((n, v) -> h.add(n.toLowerCase(java.util.Locale.ROOT), v));
            streams.start(s, new Http2Request(method, target, h, 0));
            return loop();
        });
    }

    private interface Body {
        boolean run() throws IOException;
    }

    private boolean run(Body body) {
        boolean parked = false;
        try {
            parked = body.run();
        } catch (Http2Exception e) {
            Log.SERVER.log(System.Logger.Level.DEBUG, () -> "HTTP/2 connection from " + transport.remoteAddress() + ": " + e.getMessage());
            goAwayAndLinger(e.code(), e.getMessage());
        } catch (SocketTimeoutException e) {
            goAwayAndLinger(ErrorCode.NO_ERROR, "idle");
        } catch (IOException e) {
            Log.SERVER.log(System.Logger.Level.DEBUG, () -> "HTTP/2 connection from " + transport.remoteAddress() + " ended: " + e);
        } catch (RuntimeException | Error e) {
            Log.SERVER.log(System.Logger.Level.ERROR, "HTTP/2 connection from " + transport.remoteAddress() + " failed", e);
            goAwayAndLinger(ErrorCode.INTERNAL_ERROR, null);
        } finally {
            if (!parked) end();
        }
        return parked;
    }

    /**
     * Begins a graceful stop in two steps (RFC 9113 §6.8): a GOAWAY with the largest stream id and a
     * PING, so requests already on their way are still taken; then, once the PING comes back (or
     * after a second), the final GOAWAY with the last stream taken. Streams in flight finish; later
     * ones are refused; the connection closes when none is left.
     */
    public void stopGracefully() {
        if (goingAway || ended) return;
        goingAway = true;
        for (Http2Stream s : streams.all()) {
            Runnable hook = s.onServerStop;
            if (hook != null) {
                s.onServerStop = null;
                Thread.ofVirtual().start(hook);
            }
        }
        Thread.ofVirtual().name("carafe-h2-goaway").start(() -> {
            try {
                writer.goAway(Integer.MAX_VALUE, ErrorCode.NO_ERROR, "server stopping");
                writer.frame(PING, 0, 0, STOP_PING, 0, 8, true);
                Thread.sleep(1000);
            } catch (IOException e) {
                transport.close();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finalGoAwayDue = true;
            transport.wakeReader(); // the reader sends the final GOAWAY, even one left idle with no thread
        });
    }

    private static final byte[] STOP_PING = {'g', 'o', 'a', 'w', 'a', 'y', '!', '!'};

    /** The reader's side of a graceful stop: the final GOAWAY, once, from the thread that takes new streams. */
    private void finalGoAwayIfDue() throws IOException {
        if (!finalGoAwayDue || refusing) return;
        refusing = true;
        writer.goAway(streams.lastAccepted(), ErrorCode.NO_ERROR, "server stopping");
    }

    /** Closes the connection now. */
    public void close() {
        transport.close();
    }

    private void sendSettings() throws IOException {
        writer.settings(MAX_CONCURRENT_STREAMS, limits.maxConcurrentStreams(), INITIAL_WINDOW_SIZE, limits.streamWindow(),
                MAX_HEADER_LIST_SIZE, config.maxHeaderBytes(), ENABLE_PUSH, 0);
        if (limits.connectionWindow() > DEFAULT_WINDOW) writer.windowUpdate(0, limits.connectionWindow() - DEFAULT_WINDOW, false);
        writer.flush();
    }

    // ---- reading ----------------------------------------------------------------------------

    /** Reads and handles frames; returns true when the connection was parked idle. */
    private boolean loop() throws IOException {
        if (buf == null) buf = new byte[HEADER_LENGTH + DEFAULT_MAX_FRAME_SIZE + 1024];
        if (!prefaceRead) {
            ensure(PREFACE.length, config.headerTimeout().toMillis());
            if (!Arrays.equals(buf, pos, pos + PREFACE.length, PREFACE, 0, PREFACE.length)) {
                throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "Invalid connection preface");
            }
            pos += PREFACE.length;
            prefaceRead = true;
        }
        while (true) {
            finalGoAwayIfDue();
            if (pos == limit) {
                if ((refusing || clientGoingAway) && streams.active() == 0) {
                    writer.flush();
                    transport.drain(buf != null ? buf : new byte[4096], false);
                    return false;
                }
                if (streams.active() == 0 && blocks.continuing() == 0 && settingsSeen) {
                    if (resumed) {
                        // Woken from idle: readiness is level-triggered, so a wake-up may find nothing to read.
                        resumed = false;
                        int n = transport.read(buf, 0, buf.length, -1);
                        if (n < 0) return false;
                        pos = 0;
                        limit = n;
                        if (n > 0) continue;
                    }
                    writer.flush();
                    buf = null;
                    pos = limit = 0;
                    if (transport.parkIdle(this::resume, config.idleTimeout().toMillis())) return true;
                    buf = new byte[HEADER_LENGTH + DEFAULT_MAX_FRAME_SIZE + 1024];
                }
                resumed = false;
                if (!fill(streams.active() == 0 ? config.idleTimeout().toMillis() : 0)) return false;
                continue;
            }
            if (!ensure(HEADER_LENGTH, frameTimeout())) return false;
            int length = (buf[pos] & 0xff) << 16 | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff);
            int type = buf[pos + 3] & 0xff, flags = buf[pos + 4] & 0xff;
            int stream = int32(buf, pos + 5) & 0x7fffffff;
            if (length > DEFAULT_MAX_FRAME_SIZE) {
                throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "Frame of " + length + " bytes, above SETTINGS_MAX_FRAME_SIZE");
            }
            if (!ensure(HEADER_LENGTH + length, frameTimeout())) return false;
            int payload = pos + HEADER_LENGTH;
            pos = payload + length;
            if (!settingsSeen && type != SETTINGS) {
                throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "The first frame must be SETTINGS");
            }
            try {
                frame(type, flags, stream, payload, length);
            } catch (Http2Exception e) {
                if (e.stream() == 0) throw e;
                streams.resetStream(e.stream(), e.code(), e.getMessage());
            }
        }
    }

    /** Resumes a connection parked idle, on a new thread; returns whether it parked again. */
    private boolean resume() {
        resumed = true;
        return run(this::loop);
    }

    /** Half a frame: the client must send the rest in the header timeout, unless streams are busy. */
    private long frameTimeout() {
        return streams.active() == 0 ? config.headerTimeout().toMillis() : 0;
    }

    /** Makes {@code n} bytes available from {@code pos}; false at end of stream. */
    private boolean ensure(int n, long timeoutMillis) throws IOException {
        while (limit - pos < n) {
            if (!fill(timeoutMillis)) return false;
            if (timeoutMillis == 0) timeoutMillis = frameTimeout();
        }
        return true;
    }

    /** One read (or a wake-up, reading nothing); false at end of stream. */
    private boolean fill(long timeoutMillis) throws IOException {
        if (limit == buf.length) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        int n = transport.read(buf, limit, buf.length - limit, timeoutMillis);
        if (n < 0) return false;
        limit += n;
        return true;
    }

    private void frame(int type, int flags, int stream, int off, int len) throws IOException {
        if (blocks.continuing() != 0 && type != CONTINUATION) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "Expected CONTINUATION of stream " + blocks.continuing());
        }
        switch (type) {
            case DATA -> {
                if (stream == 0) throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "DATA on stream 0");
                streams.data(flags, stream, stream > lastStreamId, buf, off, len);
            }
            case HEADERS -> headers(flags, stream, off, len);
            case PRIORITY -> priority(stream, off, len);
            case RST_STREAM -> rstStream(stream, off, len);
            case SETTINGS -> settings(flags, stream, off, len);
            case PUSH_PROMISE -> throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "A client must not send PUSH_PROMISE");
            case PING -> ping(flags, stream, off, len);
            case GOAWAY -> goAway(stream, len);
            case WINDOW_UPDATE -> windowUpdate(stream, off, len);
            case CONTINUATION -> continuation(flags, stream, off, len);
            default -> { } // unknown frame types are ignored (§4.1, §5.5)
        }
    }

    private void settings(int flags, int stream, int off, int len) throws IOException {
        if (stream != 0) throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "SETTINGS on a stream");
        if ((flags & ACK) != 0) {
            if (len != 0) throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "SETTINGS ACK with a payload");
            return;
        }
        if (len % 6 != 0) throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "SETTINGS length not a multiple of 6");
        if (settingsSeen && !controlFrames.allow()) calm("Too many SETTINGS and PING frames");
        settingsSeen = true;
        ClientSettings.apply(buf, off, len, windows, streams, writer);
        writer.frame(SETTINGS, ACK, 0, buf, 0, 0, true);
    }

    private void ping(int flags, int stream, int off, int len) throws IOException {
        if (stream != 0) throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "PING on a stream");
        if (len != 8) throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "PING payload must be 8 bytes");
        if ((flags & ACK) != 0) {
            if (goingAway && Arrays.equals(buf, off, off + 8, STOP_PING, 0, 8)) finalGoAwayDue = true;
            return;
        }
        if (!controlFrames.allow()) calm("Too many SETTINGS and PING frames");
        writer.frame(PING, ACK, 0, buf, off, 8, true);
    }

    private void goAway(int stream, int len) throws IOException {
        if (stream != 0) throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "GOAWAY on a stream");
        if (len < 8) throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "GOAWAY shorter than 8 bytes");
        clientGoingAway = true;
    }

    private void windowUpdate(int stream, int off, int len) throws IOException {
        if (len != 4) throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "WINDOW_UPDATE payload must be 4 bytes");
        int increment = int32(buf, off) & 0x7fffffff;
        if (stream == 0) {
            if (increment == 0) throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE of 0");
            windows.openConnection(increment);
            return;
        }
        checkNotIdle(stream, "WINDOW_UPDATE");
        Http2Stream s = streams.get(stream);
        if (s == null || s.isReset()) return; // closed: a late update is harmless
        if (increment == 0) throw Http2Exception.stream(stream, ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE of 0");
        windows.openStream(s, increment);
    }

    private void priority(int stream, int off, int len) throws IOException {
        if (stream == 0) throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "PRIORITY on stream 0");
        if (len != 5) throw Http2Exception.stream(stream, ErrorCode.FRAME_SIZE_ERROR, "PRIORITY payload must be 5 bytes");
        if ((int32(buf, off) & 0x7fffffff) == stream) {
            throw Http2Exception.stream(stream, ErrorCode.PROTOCOL_ERROR, "A stream cannot depend on itself");
        }
        // Priorities are otherwise ignored, as RFC 9113 §5.3.2 allows.
    }

    private void rstStream(int stream, int off, int len) throws IOException {
        if (stream == 0) throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "RST_STREAM on stream 0");
        if (len != 4) throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "RST_STREAM payload must be 4 bytes");
        checkNotIdle(stream, "RST_STREAM");
        if (!resets.allow()) calm("Too many streams reset by the client (rapid reset)");
        Http2Stream s = streams.get(stream);
        if (s != null && s.markReset(int32(buf, off), true)) streams.abandon(s);
    }

    private void checkNotIdle(int stream, String frame) throws Http2Exception {
        if (stream > lastStreamId) throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, frame + " on idle stream " + stream);
    }

    private static void calm(String why) throws Http2Exception {
        throw Http2Exception.connection(ErrorCode.ENHANCE_YOUR_CALM, why);
    }

    // ---- header blocks and new streams ------------------------------------------------------

    private void headers(int flags, int stream, int off, int len) throws IOException {
        if (blocks.headers(flags, stream, buf, off, len)) headerBlock(stream);
    }

    private void continuation(int flags, int stream, int off, int len) throws IOException {
        if (blocks.continuation(flags, stream, buf, off, len)) headerBlock(stream);
    }

    /** A complete header block: a new stream, or trailers. */
    private void headerBlock(int stream) throws IOException {
        HpackDecoder.Block fields = blocks.decode();
        boolean endStream = (blocks.flags() & END_STREAM) != 0;
        Http2Stream s = streams.get(stream);
        if (s != null || stream <= lastStreamId) {
            if (s == null) {
                if (streams.closedState(stream) != 0) throw Http2Exception.connection(ErrorCode.STREAM_CLOSED, "HEADERS on closed stream " + stream);
                throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "Stream id " + stream + " lower than a previous one");
            }
            streams.trailers(s, fields, endStream);
            return;
        }
        lastStreamId = stream;
        if (blocks.dependency() == stream) throw Http2Exception.stream(stream, ErrorCode.PROTOCOL_ERROR, "A stream cannot depend on itself");
        if (!goingAway && serverStopping.getAsBoolean()) stopGracefully();
        finalGoAwayIfDue();
        if (refusing || clientGoingAway || streams.active() >= limits.maxConcurrentStreams()) {
            streams.refuse(stream);
            return;
        }
        if (fields.tooLarge()) {
            streams.answerAlone(stream, 431, endStream);
            return;
        }
        RequestHead.Parsed head = RequestHead.parse(stream, fields, endStream, config.maxHeaderCount());
        if (head.status() != 0) {
            streams.answerAlone(stream, head.status(), endStream);
            return;
        }
        if (head.contentLength() > config.maxBodyBytes()) {
            streams.answerAlone(stream, 413, endStream);
            return;
        }
        streams.create(stream, head, endStream);
    }

    // ---- ending -----------------------------------------------------------------------------

    private void goAwayAndLinger(int code, String debug) {
        try {
            writer.goAway(streams.lastAccepted(), code, debug);
            transport.drain(buf != null ? buf : new byte[4096], true);
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void end() {
        ended = true;
        transport.close();
        streams.endAll();
        buf = null;
    }
}
