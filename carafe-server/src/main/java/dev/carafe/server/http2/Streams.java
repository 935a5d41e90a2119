package dev.carafe.server.http2;

import static dev.carafe.server.http2.Frames.*;

import dev.carafe.server.Handler;
import dev.carafe.server.Http2Config;
import dev.carafe.server.ServerConfig;
import dev.carafe.server.http1.Log;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection's streams: the reader hands them request bodies and resets, their own threads
 * write responses through here. A stream counts as active from its HEADERS until its handler
 * returns; the concurrency limit and the connection's idling both go by that count.
 */
final class Streams {
    private final Http2Transport transport;
    private final Handler handler;
    private final ServerConfig config;
    private final Http2Config limits;
    private final FrameWriter writer;
    private final SendWindows windows;
    private final ReceiveWindows received;
    private final Map<Integer, Http2Stream> streams = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final ClosedStreams closed = new ClosedStreams();
    private volatile int lastAccepted; // the GOAWAY's last-stream-id

    Streams(Http2Transport transport, Handler handler, ServerConfig config, FrameWriter writer, SendWindows windows) {
        this.transport = transport;
        this.handler = handler;
        this.config = config;
        this.limits = config.http2();
        this.writer = writer;
        this.windows = windows;
        this.received = new ReceiveWindows(writer, limits.streamWindow(), limits.connectionWindow());
    }

    Http2Stream get(int id) {
        return streams.get(id);
    }

    Collection<Http2Stream> all() {
        return streams.values();
    }

    /** Streams whose handlers still run. */
    int active() {
        return active.get();
    }

    /** The last stream taken: what a GOAWAY names. */
    int lastAccepted() {
        return lastAccepted;
    }

    /** See {@link ClosedStreams#state}. */
    int closedState(int id) {
        return closed.state(id);
    }

    /** A DATA frame on {@code stream}; {@code idle} when the client never opened it. */
    void data(int flags, int stream, boolean idle, byte[] buf, int off, int len) throws IOException {
        int padding = 0;
        if ((flags & PADDED) != 0) {
            if (len < 1 || (buf[off] & 0xff) >= len) throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "Padding longer than the frame");
            padding = (buf[off] & 0xff) + 1;
        }
        if (!received.receivedOnConnection(len)) throw Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR, "DATA beyond the connection window");
        if (idle) throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "DATA on idle stream " + stream);
        Http2Stream s = streams.get(stream);
        if (s == null || s.isReset() || s.remoteClosed) {
            received.consumedOnConnection(len);
            boolean ours = s != null ? s.isReset() && !s.resetByClient() : closed.state(stream) == 2;
            if (!ours) throw Http2Exception.stream(stream, ErrorCode.STREAM_CLOSED, "DATA on closed stream " + stream);
            return;
        }
        if (!received.receivedOnStream(s, len)) throw Http2Exception.stream(stream, ErrorCode.FLOW_CONTROL_ERROR, "DATA beyond the stream window");
        int dataLen = len - padding;
        if (padding > 0) received.consumed(s, padding);
        s.received += dataLen;
        if (s.declaredLength >= 0 && s.received > s.declaredLength) {
            throw Http2Exception.stream(stream, ErrorCode.PROTOCOL_ERROR, "More DATA than the content-length");
        }
        if (s.received > config.maxBodyBytes()) {
            received.consumed(s, dataLen);
            received.consumed(s, s.body.fail(new BodyTooLargeException(config.maxBodyBytes())));
        } else if (dataLen > 0) {
            s.body.offer(Arrays.copyOfRange(buf, off + (padding > 0 ? 1 : 0), off + (padding > 0 ? 1 : 0) + dataLen));
        }
        if ((flags & END_STREAM) != 0) endOfRequest(s);
    }

    void endOfRequest(Http2Stream s) throws Http2Exception {
        s.remoteClosed = true;
        if (s.declaredLength >= 0 && s.received != s.declaredLength) {
            throw Http2Exception.stream(s.id, ErrorCode.PROTOCOL_ERROR, "DATA shorter than the content-length");
        }
        s.body.end();
    }

    /** Starts a stream for an accepted request. */
    void create(int stream, RequestHead.Parsed head, boolean endStream) {
        RequestBody body = endStream ? RequestBody.empty() : null;
        Http2Stream[] self = new Http2Stream[1];
        if (body == null) body = new RequestBody(config.ioTimeout().toMillis(), n -> received.consumed(self[0], n));
        Http2Stream s = new Http2Stream(stream, endStream ? 0 : head.contentLength(), limits.streamWindow(), windows.initial(), body);
        self[0] = s;
        s.remoteClosed = endStream;
        if (!endStream && "100-continue".equalsIgnoreCase(head.headers().get("expect"))) {
            body.beforeFirstRead(() -> sendContinue(self[0]));
        }
        start(s, new Http2Request(head.method(), head.target(), head.headers(), head.contentLength()));
    }

    /** Trailers end the request: accepted, not passed on (the Request interface has no trailers). */
    void trailers(Http2Stream s, HpackDecoder.Block fields, boolean endStream) throws Http2Exception {
        if (s.isReset() || s.remoteClosed) {
            if (s.isReset() && !s.resetByClient()) return;
            // Both ends sent END_STREAM: the stream is closed (RFC 9113 §5.1) even while its handler's
            // thread is still finishing and the stream is still listed, so this is the connection
            // error a HEADERS on a closed stream is, not the stream error of a half-closed one.
            if (s.remoteClosed && s.localClosed && !s.isReset()) {
                throw Http2Exception.connection(ErrorCode.STREAM_CLOSED, "HEADERS on closed stream " + s.id);
            }
            throw Http2Exception.stream(s.id, ErrorCode.STREAM_CLOSED, "HEADERS on half-closed stream " + s.id);
        }
        if (!endStream) throw Http2Exception.stream(s.id, ErrorCode.PROTOCOL_ERROR, "Trailers without END_STREAM");
        for (int i = 0; i < fields.count(); i++) {
            if (fields.name(i).startsWith(":")) throw RequestHead.malformed(s.id, "Pseudo-header field in trailers");
        }
        endOfRequest(s);
    }

    void refuse(int stream) throws IOException {
        writer.rstStream(stream, ErrorCode.REFUSED_STREAM);
        closed.add(stream, true);
    }

    /** Answers a request the handler never sees (431, 413, 501), then stops the client sending its body. */
    void answerAlone(int stream, int status, boolean endStream) throws IOException {
        byte[] text = (status + " " + dev.carafe.server.HttpStatus.reason(status) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String[] fields = {":status", Integer.toString(status), "content-type", "text/plain; charset=utf-8",
                "content-length", Integer.toString(text.length)};
        writer.headers(stream, fields, 3, false, null, false);
        writer.frame(DATA, END_STREAM, stream, text, 0, text.length, !endStream ? false : true);
        if (!endStream) writer.rstStream(stream, ErrorCode.NO_ERROR);
        closed.add(stream, true);
    }

    void start(Http2Stream s, Http2Request request) {
        request.body = s.body;
        request.remote = transport.remoteAddress();
        request.local = transport.localAddress();
        request.secure = transport.secure();
        request.serverName = transport.serverName();
        s.request = request;
        streams.put(s.id, s);
        active.incrementAndGet();
        lastAccepted = s.id;
        Thread.ofVirtual().name("carafe-h2-stream").start(() -> new StreamExchange(this, s, handler, config).run());
    }

    /** Resets a stream from this side (a stream error, §5.4.2). */
    void resetStream(int stream, int code, String why) throws IOException {
        Log.SERVER.log(System.Logger.Level.DEBUG, () -> "Resetting stream " + stream + ": " + why);
        Http2Stream s = streams.get(stream);
        writer.rstStream(stream, code);
        if (s == null) closed.add(stream, true);
        else if (s.markReset(code, false)) abandon(s);
    }

    /** A reset stream: its reads fail, its writes fail, its unread body goes back to the window. */
    void abandon(Http2Stream s) {
        received.consumedOnConnection(s.body.fail(new Http2Stream.StreamResetException("Stream " + s.id + " was reset")));
        windows.wakeAll(false);
    }

    void sendHeaders(Http2Stream s, String[] fields, int count, boolean endStream) throws IOException {
        writer.headers(s.id, fields, count, endStream, s, endStream);
    }

    /** Sends body bytes as DATA frames as the windows allow; {@code end} ends the stream after them. */
    void sendData(Http2Stream s, byte[] b, int off, int len, boolean end) throws IOException {
        do {
            int want = Math.min(len, writer.maxFrameSize());
            int n = want == 0 ? 0 : windows.tryReserve(s, want);
            if (n == 0 && want > 0) {
                writer.flush(); // what is buffered must reach the client, or its WINDOW_UPDATE never comes
                n = windows.reserve(s, want);
            }
            boolean last = end && n == len;
            writer.data(s, b, off, n, last, last);
            off += n;
            len -= n;
        } while (len > 0);
    }

    void flush() throws IOException {
        writer.flush();
    }

    /** Gives up on a stream whose client stopped taking its response (a window kept closed past the write timeout). */
    void cancel(Http2Stream s) {
        if (!s.markReset(ErrorCode.CANCEL, false)) return;
        try {
            writer.rstStream(s.id, ErrorCode.CANCEL);
        } catch (IOException e) {
            // the connection is failing; the reader ends it
        }
        abandon(s);
    }

    /** A stream's handler returned: the stream is over, and its slot free. */
    void streamDone(Http2Stream s) {
        boolean resetHere = false;
        try {
            if (!s.isReset() && !s.localClosed) {
                resetHere = s.markReset(ErrorCode.INTERNAL_ERROR, false);
                if (resetHere) writer.rstStream(s.id, ErrorCode.INTERNAL_ERROR);
            } else if (!s.isReset() && !s.remoteClosed) {
                // A complete response before the whole request (§8.1): the rest of the body is not wanted.
                resetHere = s.markReset(ErrorCode.NO_ERROR, false);
                if (resetHere) writer.rstStream(s.id, ErrorCode.NO_ERROR);
            }
        } catch (IOException e) {
            // the connection is failing; the reader ends it
        }
        received.consumedOnConnection(s.body.discard());
        closed.add(s.id, resetHere || s.isReset() && !s.resetByClient());
        streams.remove(s.id);
        if (active.decrementAndGet() == 0) transport.wakeReader(); // it may idle now, or end after a GOAWAY
    }


    /** Tells a client waiting with {@code Expect: 100-continue} to send its body, unless a response went first. */
    private void sendContinue(Http2Stream s) {
        try {
            writer.headers(s.id, new String[] {":status", "100"}, 1, false, s, true);
        } catch (IOException e) {
            // the read that follows sees the stream or connection gone
        }
    }

    /** The connection is over: every stream still running fails its next read or write. */
    void endAll() {
        windows.wakeAll(true);
        for (Http2Stream s : streams.values()) {
            if (s.markReset(ErrorCode.CANCEL, false)) s.body.fail(new IOException("The HTTP/2 connection closed"));
        }
    }
}
