package dev.carafe.server.http2;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

/**
 * The bytes an HTTP/2 connection runs over: a plain socket (h2c) or a TLS session whose ALPN
 * chose {@code h2}. One thread reads; writes come from many threads but the connection
 * serializes them, so an implementation needs no locking of its own.
 *
 * <pre>{@code
 * Http2Connection.serve(transport, handler, serverConfig); // returns when the connection ends or idles
 * }</pre>
 */
public interface Http2Transport {
    /**
     * Reads at least one byte into {@code b}, waiting at most {@code timeoutMillis} (0: no limit;
     * negative: not at all). Returns the count, -1 at end of stream, or 0 when nothing came:
     * {@link #wakeReader()} ended the wait, or the caller asked not to wait.
     *
     * @throws java.net.SocketTimeoutException when the time runs out; the transport is then spent
     */
    int read(byte[] b, int off, int len, long timeoutMillis) throws IOException;

    /** Buffers or writes {@code b[off, off + len)}; a client that does not read fails it after the write timeout. */
    void write(byte[] b, int off, int len) throws IOException;

    /** Sends what is buffered. */
    void flush() throws IOException;

    /**
     * Makes a {@link #read} waiting now (or about to wait) return 0, so the reader can look at its
     * state again; a connection left idle by {@link #parkIdle} is resumed.
     */
    void wakeReader();

    /**
     * Leaves the connection with no thread until bytes arrive (or {@code timeoutMillis} pass, or
     * it closes); {@code resume} then runs on a new thread and returns whether it parked again.
     * Returns false when the transport cannot do that: the caller then keeps reading.
     */
    default boolean parkIdle(BooleanSupplier resume, long timeoutMillis) {
        return false;
    }

    /** Sends end-of-stream (TCP FIN) after what was written, while reads go on: how a GOAWAY is made sure to arrive. */
    void shutdownOutput() throws IOException;

    /** Closes the connection; reads and writes waiting on it fail. */
    void close();

    InetSocketAddress remoteAddress();

    /** Whether the connection is TLS (ALPN h2): requests then say {@code https}. */
    default boolean secure() {
        return false;
    }

    /** The host name the client asked for in its TLS handshake (SNI), or {@code null}. */
    default String serverName() {
        return null;
    }

    InetSocketAddress localAddress();

    /**
     * Reads what the client still sends for a moment (at most a second, 1 MiB) before closing:
     * closing with unread input resets the TCP connection, which can destroy the last frames before
     * the client reads them. After an error the output is ended first ({@code endOutputFirst}), so
     * the client sees the end at once; after a graceful GOAWAY the client closes when it has read
     * everything: a client (the JDK's) that saw the end of stream first took it for a failure of a
     * request it was about to send.
     */
    default void drain(byte[] sink, boolean endOutputFirst) {
        try {
            if (endOutputFirst) shutdownOutput();
            long total = 0;
            int n;
            while (total < (1 << 20) && (n = read(sink, 0, sink.length, 1000)) >= 0) total += n;
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
