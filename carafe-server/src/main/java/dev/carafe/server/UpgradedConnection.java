package dev.carafe.server;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A connection handed over after {@code 101 Switching Protocols}: raw bytes in both directions,
 * beginning with any bytes the client sent right after its request head. The server's HTTP
 * timeouts no longer apply; reads wait at most {@link #readTimeout(Duration)} (forever by
 * default) and writes at most the server's {@code ioTimeout}. Reads belong to one thread; writes
 * may come from any thread but must not interleave (serialize them, e.g. with a lock).
 *
 * <pre>{@code
 * response.header("Upgrade", "line-echo").upgrade(conn -> {
 *     conn.readTimeout(Duration.ofMinutes(1));
 *     var lines = new BufferedReader(new InputStreamReader(conn.input(), UTF_8));
 *     for (String line; (line = lines.readLine()) != null; ) conn.output().write((line + "
").getBytes(UTF_8));
 * });
 * }</pre>
 */
public interface UpgradedConnection {
    /** The bytes from the client. A read past the read timeout throws {@link java.net.SocketTimeoutException}. */
    InputStream input();

    /** The bytes to the client, unbuffered: each write goes to the socket. */
    OutputStream output();

    /**
     * How long one read may wait for bytes; {@link Duration#ZERO} waits forever. A read that
     * times out leaves the input unusable (the connection's read side is shut), but output may
     * still be written, e.g. to say goodbye.
     */
    void readTimeout(Duration timeout);

    /** The client's address. */
    InetSocketAddress remoteAddress();

    /**
     * Runs {@code action} (on a thread of its own) when the server begins a graceful stop, so the
     * protocol can say goodbye (a WebSocket sends close {@code 1001}); the connection is closed
     * anyway at the stop's deadline.
     */
    void onServerStop(Runnable action);

    /** Sends end-of-stream to the client (TCP FIN) while reads may continue. */
    void shutdownOutput();

    /** Closes the connection; a blocked read or write ends with an exception. */
    void close();
}
