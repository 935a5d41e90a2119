package dev.carafe.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A keep-alive client with buffered streams, for many requests on one connection (RawClient reads
 * a byte per system call). It reads responses framed by {@code Content-Length} only, which is
 * what the tests' handlers send.
 */
final class BufferedClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    BufferedClient(int port, int timeoutMillis) throws IOException {
        this(port, timeoutMillis, 64 * 1024);
    }

    /** {@code bufferBytes} small when there are hundreds of clients, whose buffers would dwarf the server's heap. */
    BufferedClient(int port, int timeoutMillis, int bufferBytes) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        in = new BufferedInputStream(socket.getInputStream(), bufferBytes);
        out = new BufferedOutputStream(socket.getOutputStream(), bufferBytes);
    }

    /** Buffers a request; {@link #flush()} sends what is buffered. */
    BufferedClient write(String request) throws IOException {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Reads one response: its status line and body ("200 ok"), failing on anything unexpected. */
    String read() throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ")) throw new IOException("not a status line: " + statusLine);
        long length = -1;
        for (String field; !(field = line()).isEmpty(); ) {
            if (field.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Long.parseLong(field.substring(15).trim());
        }
        if (length < 0) throw new IOException("no Content-Length after " + statusLine);
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) throw new IOException("body cut short after " + statusLine);
        return statusLine.substring(9, 12) + " " + new String(body, StandardCharsets.ISO_8859_1);
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new IOException("connection closed");
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
