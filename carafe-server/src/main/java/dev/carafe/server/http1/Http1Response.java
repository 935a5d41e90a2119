package dev.carafe.server.http1;

import dev.carafe.server.Headers;
import dev.carafe.server.HttpStatus;
import dev.carafe.server.Response;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A response on an HTTP/1.1 connection. The head is written into the connection's output buffer
 * when the response commits; the server owns the framing fields ({@code Content-Length},
 * {@code Transfer-Encoding}, {@code Connection}, {@code Date}) so a handler cannot contradict them.
 */
final class Http1Response implements Response {
    private final Http1Connection conn;
    private final Http1Request req;
    private final Headers headers = new Headers(4);
    private int status = 200;
    private long declaredLength = -1;
    private boolean committed;
    private boolean complete;
    private boolean keepAlive;
    private long bytesSent = -1;
    private StreamingBody stream;
    private dev.carafe.server.Upgrade upgrade;

    Http1Response(Http1Connection conn, Http1Request req) {
        this.conn = conn;
        this.req = req;
    }

    @Override
    public Response status(int status) {
        if (status < 200 || status > 599) throw new IllegalArgumentException("Status must be 200..599: " + status);
        checkNotCommitted();
        this.status = status;
        return this;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public Response contentLength(long length) {
        if (length < 0) throw new IllegalArgumentException("length must be >= 0");
        checkNotCommitted();
        declaredLength = length;
        return this;
    }

    @Override
    public boolean committed() {
        return committed;
    }

    @Override
    public void send(byte[] body) throws IOException {
        checkNotCommitted();
        if (stream != null) throw new IllegalStateException("send() after body(): write to the stream instead");
        boolean noBody = HttpStatus.forbidsBody(status);
        writeHead(noBody ? -1 : body.length, false);
        if (!noBody && !isHead()) conn.out.write(body);
        bytesSent = noBody ? -1 : body.length;
        complete = true;
    }

    @Override
    public OutputStream body() {
        if (complete && stream == null) throw new IllegalStateException("Response already sent");
        if (stream == null) stream = new StreamingBody();
        return stream;
    }

    @Override
    public void upgrade(dev.carafe.server.Upgrade upgrade) {
        checkNotCommitted();
        if (stream != null || complete) throw new IllegalStateException("A body was already started");
        this.upgrade = java.util.Objects.requireNonNull(upgrade, "upgrade");
        this.status = 101;
    }

    @Override
    public void onServerStop(Runnable action) {
        conn.onServerStop(java.util.Objects.requireNonNull(action, "action"));
    }

    /** The protocol to switch to after this response, or {@code null}. */
    dev.carafe.server.Upgrade upgrade() {
        return upgrade;
    }

    /** Writes the {@code 101} head: the handler's fields but the framing ones, and {@code Connection: Upgrade}. */
    private void writeUpgradeHead() throws IOException {
        committed = true;
        complete = true;
        keepAlive = false;
        OutputBuffer out = conn.out;
        out.write(HeadBytes.statusLine(101));
        out.write(HeadBytes.dateLine());
        for (int i = 0, n = headers.size(); i < n; i++) {
            String name = headers.name(i);
            if (isFramingField(name)) continue;
            checkField(name, headers.value(i));
            out.writeLatin1(name);
            out.write(':');
            out.write(' ');
            out.writeLatin1(headers.value(i));
            out.write(HeadBytes.CRLF);
        }
        out.writeLatin1("Connection: Upgrade");
        out.write(HeadBytes.CRLF);
        out.write(HeadBytes.CRLF);
    }

    boolean keepAlive() {
        return keepAlive;
    }

    long bytesSent() {
        return bytesSent;
    }

    boolean isHead() {
        return req.method.equals("HEAD");
    }

    private void checkNotCommitted() {
        if (committed) throw new IllegalStateException("Response already committed");
    }

    /** Completes a response the handler left unfinished: an empty body, or the end of its stream. */
    void finish() throws IOException {
        if (upgrade != null) {
            if (!committed) writeUpgradeHead();
            return;
        }
        if (stream != null) stream.close();
        else if (!complete) send(EMPTY);
    }

    private static final byte[] EMPTY = {};

    /** Replaces an uncommitted response with a plain-text error: {@code 500 Internal Server Error}. */
    void sendError(int code, String message, boolean close) throws IOException {
        headers.clear();
        stream = null;
        upgrade = null;
        complete = false;
        declaredLength = -1;
        status = code;
        if (close) headers.set("Connection", "close");
        if (code == 503) headers.set("Retry-After", "1");
        headers.set("Content-Type", "text/plain; charset=utf-8");
        send(code + " " + HttpStatus.reason(code) + (message == null ? "" : ": " + message) + "\n");
    }

    /**
     * Writes the status line and header fields. {@code length} is the body length, or -1 when the
     * body is chunked ({@code chunked}), delimited by closing, or absent.
     */
    private void writeHead(long length, boolean chunked) throws IOException {
        // Every field is checked before the first byte is buffered: a bad one then fails the
        // handler with nothing written, and the connection can still answer 500.
        boolean connectionField = false;
        for (int i = 0, n = headers.size(); i < n; i++) {
            String name = headers.name(i);
            if (!isFramingField(name)) checkField(name, headers.value(i));
            else if (name.equalsIgnoreCase("Connection")) connectionField = true;
        }
        committed = true;
        keepAlive = conn.mayKeepAlive(req) && !(connectionField && headers.hasToken("Connection", "close"))
                && (length >= 0 || chunked || HttpStatus.forbidsBody(status) || isHead());
        OutputBuffer out = conn.out;
        out.write(HeadBytes.statusLine(status));
        out.write(HeadBytes.dateLine());
        for (int i = 0, n = headers.size(); i < n; i++) {
            String name = headers.name(i);
            if (isFramingField(name)) continue;
            String value = headers.value(i);
            out.writeLatin1(name);
            out.write(':');
            out.write(' ');
            out.writeLatin1(value);
            out.write(HeadBytes.CRLF);
        }
        if (length >= 0 && status >= 200 && status != 204 && status != 304) {
            out.write(HeadBytes.CONTENT_LENGTH);
            out.writeDecimal(length);
            out.write(HeadBytes.CRLF);
        } else if (chunked) {
            out.write(HeadBytes.CHUNKED);
        }
        if (!keepAlive) out.write(HeadBytes.CONNECTION_CLOSE);
        else if (req.http10) out.write(HeadBytes.CONNECTION_KEEP_ALIVE);
        out.write(HeadBytes.CRLF);
    }

    private static boolean isFramingField(String name) {
        return name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                || name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Date");
    }

    /** Refuses what would split the response or corrupt the head: CR, LF and other controls. */
    private static void checkField(String name, String value) {
        if (name.isEmpty()) throw new IllegalArgumentException("Empty header name");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7f || !Ascii.isToken((byte) c)) throw new IllegalArgumentException("Invalid header name: " + name);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff || c != '\t' && c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("Invalid character in value of header " + name);
            }
        }
    }

    /**
     * The body written piece by piece. Bytes gather in a buffer first: a body that fits in it and
     * is closed without a flush still goes out with a Content-Length. Otherwise the body is
     * chunked (HTTP/1.1), or delimited by closing the connection (HTTP/1.0).
     */
    private final class StreamingBody extends OutputStream {
        private static final int MAX_PENDING = 8192;
        private byte[] pending = new byte[256]; // grows to MAX_PENDING: long-lived streams of small events stay small
        private int pendingLen;
        private long written;
        private boolean closed;
        private boolean chunked;

        private boolean discard() {
            return isHead() || HttpStatus.forbidsBody(status);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (closed) throw new IOException("Response body already closed");
            written += len;
            if (declaredLength >= 0 && written > declaredLength) {
                throw new IOException("Body longer than the declared Content-Length " + declaredLength);
            }
            if (len > pending.length - pendingLen) {
                if (pending.length < MAX_PENDING && pendingLen + len <= MAX_PENDING) {
                    pending = java.util.Arrays.copyOf(pending, MAX_PENDING);
                } else {
                    emit(false);
                    if (len > pending.length) {
                        writeOut(b, off, len);
                        return;
                    }
                }
            }
            System.arraycopy(b, off, pending, pendingLen, len);
            pendingLen += len;
        }

        /** Commits the head if needed and hands the pending bytes to the connection. */
        private void emit(boolean last) throws IOException {
            if (!committed) {
                if (declaredLength >= 0) writeHead(declaredLength, false);
                else if (last) writeHead(pendingLen, false);
                else {
                    // A HEAD response says what the GET would have (RFC 9110 §9.3.2): chunked, with
                    // no chunks. Strict clients (llhttp) keep the connection only when the head frames
                    // the (absent) body, so leaving both length and coding out would cost keep-alive.
                    boolean chunkedHead = !req.http10 && !HttpStatus.forbidsBody(status);
                    chunked = chunkedHead && !isHead();
                    writeHead(-1, chunkedHead);
                }
            }
            if (pendingLen > 0) {
                writeOut(pending, 0, pendingLen);
                pendingLen = 0;
            }
        }

        private void writeOut(byte[] b, int off, int len) throws IOException {
            if (discard() || len == 0) return;
            if (!committed) emit(false);
            OutputBuffer out = conn.out;
            if (chunked) {
                out.writeLatin1(Integer.toHexString(len));
                out.write(HeadBytes.CRLF);
                out.write(b, off, len);
                out.write(HeadBytes.CRLF);
            } else {
                out.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            if (closed) return;
            emit(false);
            conn.out.release(); // flushes, and lends the buffer back until the next write: streams may idle for long
        }

        @Override
        public void close() throws IOException {
            if (closed) return;
            emit(true);
            closed = true;
            complete = true;
            bytesSent = written;
            if (chunked) conn.out.write(LAST_CHUNK);
            if (declaredLength >= 0 && written != declaredLength && !discard()) {
                keepAlive = false; // the client counts on bytes that will never come: end the connection
                throw new IOException("Body shorter (" + written + ") than the declared Content-Length " + declaredLength);
            }
        }
    }

    private static final byte[] LAST_CHUNK = HeadBytes.ascii("0\r\n\r\n");
}
