package dev.carafe.server.http2;

import dev.carafe.server.Headers;
import dev.carafe.server.HttpStatus;
import dev.carafe.server.Response;
import dev.carafe.server.Upgrade;
import dev.carafe.server.http1.HeadBytes;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/**
 * A response on an HTTP/2 stream: a HEADERS frame, then DATA frames as flow control allows. The
 * server owns {@code date} and {@code content-length}, and drops the fields HTTP/2 forbids
 * ({@code connection}, {@code transfer-encoding}, ...), so a handler written for HTTP/1.1 works
 * unchanged. Protocol upgrades (WebSocket) need HTTP/1.1 and fail here.
 */
final class Http2Response implements Response {
    private final Streams conn;
    private final Http2Stream stream;
    private final boolean head;
    private final Headers headers = new Headers(4);
    private int status = 200;
    private long declaredLength = -1;
    private boolean committed;
    private boolean complete;
    private long bytesSent = -1;
    private ResponseBody body;

    Http2Response(Streams conn, Http2Stream stream, boolean head) {
        this.conn = conn;
        this.stream = stream;
        this.head = head;
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
    public void send(byte[] bytes) throws IOException {
        checkNotCommitted();
        if (body != null) throw new IllegalStateException("send() after body(): write to the stream instead");
        boolean noBody = HttpStatus.forbidsBody(status);
        boolean empty = noBody || head || bytes.length == 0;
        writeHead(noBody ? -1 : bytes.length, empty);
        if (!empty) conn.sendData(stream, bytes, 0, bytes.length, true);
        bytesSent = noBody ? -1 : bytes.length;
        complete = true;
    }

    @Override
    public OutputStream body() {
        if (complete && body == null) throw new IllegalStateException("Response already sent");
        if (body == null) body = new ResponseBody();
        return body;
    }

    @Override
    public void onServerStop(Runnable action) {
        stream.onServerStop = java.util.Objects.requireNonNull(action, "action");
    }

    @Override
    public void upgrade(Upgrade upgrade) {
        throw new UnsupportedOperationException("Protocol upgrades (WebSocket) need HTTP/1.1; this request came over HTTP/2");
    }

    long bytesSent() {
        return bytesSent;
    }

    private void checkNotCommitted() {
        if (committed) throw new IllegalStateException("Response already committed");
    }

    /** Completes a response the handler left unfinished. */
    void finish() throws IOException {
        if (body != null) body.close();
        else if (!complete) send(new byte[0]);
    }

    /** Replaces an uncommitted response with a plain-text error. */
    void sendError(int code, String message) throws IOException {
        headers.clear();
        body = null;
        complete = false;
        declaredLength = -1;
        status = code;
        headers.set("content-type", "text/plain; charset=utf-8");
        send(code + " " + HttpStatus.reason(code) + (message == null ? "" : ": " + message) + "\n");
    }

    /** Sends the HEADERS frame: {@code length} is the body's, or -1 when unknown. */
    private void writeHead(long length, boolean endStream) throws IOException {
        String[] fields = new String[2 * (headers.size() + 3)];
        int n = 0;
        fields[n++] = ":status";
        fields[n++] = Integer.toString(status);
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i).toLowerCase(Locale.ROOT), value = headers.value(i);
            if (isOwnedOrForbidden(name)) continue;
            checkField(name, value);
            fields[n++] = name;
            fields[n++] = value;
        }
        fields[n++] = "date";
        fields[n++] = HeadBytes.dateValue();
        if (length >= 0 && status != 204 && status != 304) {
            fields[n++] = "content-length";
            fields[n++] = Long.toString(length);
        }
        committed = true;
        conn.sendHeaders(stream, fields, n / 2, endStream);
    }

    private static boolean isOwnedOrForbidden(String name) {
        return switch (name) {
            case "content-length", "date", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" -> true;
            default -> false;
        };
    }

    /** Refuses what no HTTP/2 field may hold: the same rule as HTTP/1.1's, so a handler fails the same way on both. */
    private static void checkField(String name, String value) {
        if (name.isEmpty() || name.charAt(0) == ':') throw new IllegalArgumentException("Invalid header name: " + name);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("Invalid header name: " + name);
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff || c != '\t' && c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("Invalid character in value of header " + name);
            }
        }
    }

    /**
     * The body written piece by piece: bytes gather in a buffer and leave as DATA frames when it
     * fills or on flush; a body closed without a flush goes out with a content-length.
     */
    private final class ResponseBody extends OutputStream {
        private static final int MAX_PENDING = 16_384;
        private byte[] pending = new byte[256];
        private int pendingLen;
        private long written;
        private boolean closed;

        private boolean discard() {
            return head || HttpStatus.forbidsBody(status);
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
                        if (!discard()) conn.sendData(stream, b, off, len, false);
                        return;
                    }
                }
            }
            System.arraycopy(b, off, pending, pendingLen, len);
            pendingLen += len;
        }

        /** Commits the head if needed and sends what is pending, ending the stream if {@code last}. */
        private void emit(boolean last) throws IOException {
            if (!committed) {
                long length = declaredLength >= 0 ? declaredLength : last ? pendingLen : -1;
                writeHead(length, last && (pendingLen == 0 || discard()));
                if (last && (pendingLen == 0 || discard())) return;
            }
            if (discard()) {
                pendingLen = 0;
                if (last) conn.sendData(stream, pending, 0, 0, true);
                return;
            }
            if (pendingLen > 0 || last) conn.sendData(stream, pending, 0, pendingLen, last);
            pendingLen = 0;
        }

        @Override
        public void flush() throws IOException {
            if (closed) return;
            emit(false);
            conn.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) return;
            closed = true;
            complete = true;
            bytesSent = written;
            if (declaredLength >= 0 && written != declaredLength && !discard()) {
                throw new IOException("Body shorter (" + written + ") than the declared Content-Length " + declaredLength);
            }
            emit(true);
        }
    }
}
