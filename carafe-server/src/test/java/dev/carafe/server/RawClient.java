package dev.carafe.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A client that sends exact bytes and reads exact bytes: for asserting what goes over the wire. */
final class RawClient implements AutoCloseable {
    final Socket socket;
    private final InputStream in;

    RawClient(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    /** Over a socket already connected, e.g. a TLS one. */
    RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
    }

    RawClient send(String s) throws IOException {
        return send(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] b) throws IOException {
        socket.getOutputStream().write(b);
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads one response: head, then a Content-Length or chunked body (none for HEAD when {@code head}). */
    Resp read(boolean head) throws IOException {
        String h = readHead();
        Resp r = new Resp(h);
        if (head || r.status < 200 || r.status == 204 || r.status == 304) return r;
        String cl = r.header("Content-Length");
        if (cl != null) {
            r.body = new String(in.readNBytes(Integer.parseInt(cl)), StandardCharsets.ISO_8859_1);
        } else if ("chunked".equalsIgnoreCase(r.header("Transfer-Encoding"))) {
            StringBuilder body = new StringBuilder();
            while (true) {
                int size = Integer.parseInt(line().split(";")[0].trim(), 16);
                if (size == 0) {
                    while (!line().isEmpty()) { /* trailers */ }
                    break;
                }
                body.append(new String(in.readNBytes(size), StandardCharsets.ISO_8859_1));
                line();
            }
            r.body = body.toString();
        } else {
            r.body = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        return r;
    }

    Resp read() throws IOException {
        return read(false);
    }

    /** A valid request sent after a bad one in the same write: a strict server must never answer it. */
    static final String NEVER_ANSWERED = "GET /never-answered HTTP/1.1\r\nHost: x\r\n\r\n";

    /**
     * Sends {@code bad} followed by {@link #NEVER_ANSWERED} in one write and asserts the server
     * answers {@code status} with {@code Connection: close}, then closes without another byte.
     */
    Resp assertRejected(String bad, int status) throws IOException {
        send(bad + NEVER_ANSWERED);
        return assertRejectedAlreadySent(status);
    }

    /** Asserts the next response is {@code status} with {@code Connection: close}, then the connection ends. */
    Resp assertRejectedAlreadySent(int status) throws IOException {
        Resp r = read();
        if (r.status != status) throw new AssertionError("expected " + status + ", got:\n" + r);
        if (!"close".equals(r.header("Connection"))) throw new AssertionError("expected Connection: close in:\n" + r);
        if (r.header("Date") == null) throw new AssertionError("expected a Date header in:\n" + r);
        if (!closedWithin(2000)) throw new AssertionError("connection still open after " + status);
        return r;
    }

    /** Reads whatever arrives until the server closes the connection. */
    String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** Reads up to the blank line ending a response head; fails on end of stream. */
    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed after " + head.size() + " bytes: " + head);
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new IOException("closed mid-line");
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether the server closed the connection: end of stream (or reset) within {@code millis}, and nothing more was sent. */
    boolean closedWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            int b = in.read();
            if (b >= 0) throw new AssertionError("expected close, got more bytes: " + (char) b + new String(in.readNBytes(in.available())));
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        } finally {
            socket.setSoTimeout(5000);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A parsed response. */
    static final class Resp {
        final String head;
        final int status;
        String body = "";

        Resp(String head) {
            this.head = head;
            this.status = Integer.parseInt(head.substring(9, 12));
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
            }
            return null;
        }

        @Override
        public String toString() {
            return head + body;
        }
    }
}
