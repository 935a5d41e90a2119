package dev.carafe.server;

import dev.carafe.server.Http2Config;
import dev.carafe.server.tls.Tls;
import java.time.Duration;
import java.util.Objects;

/**
 * The server's settings: an immutable value, built fluently.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.builder()
 *     .port(8080)
 *     .maxBodyBytes(50 << 20)
 *     .idleTimeout(Duration.ofSeconds(30))
 *     .tls(Tls.pem(Path.of("fullchain.pem"), Path.of("privkey.pem"))) // HTTPS; leave out for plain HTTP
 *     .build();
 * }</pre>
 *
 * <p> The defaults suit a public-facing server: it listens on
 * loopback only until given a host, and every limit below bounds what one client can make the
 * server hold.
 *
 * @param host               address to listen on; {@code 127.0.0.1} unless told otherwise,
 *                           {@code 0.0.0.0} or {@code ::} to expose the server
 * @param port               port to listen on; {@code 0} picks a free one ({@link Server#port()})
 * @param backlog            length of the kernel's queue of connections not yet accepted
 * @param maxRequestLineBytes longest request line accepted; longer gets {@code 414}
 * @param maxHeaderBytes     most bytes of header fields accepted; more gets {@code 431}
 * @param maxHeaderCount     most header fields accepted; more gets {@code 431}
 * @param maxBodyBytes       largest request body accepted; larger gets {@code 413}, refused
 *                           before reading when the length is declared
 * @param maxDrainBytes      most unread body bytes the server reads and discards after a handler
 *                           to keep the connection; beyond that it closes the connection instead
 * @param headerTimeout      time a client has to send a whole request head once it started; then
 *                           {@code 408} and the connection is closed (slow-client protection)
 * @param idleTimeout        how long an idle keep-alive connection is kept open
 * @param ioTimeout          longest wait for a client to send the next bytes of a body, or to
 *                           take the next bytes of a response; then the connection is closed
 * @param maxConnections     most connections open at once; beyond that new ones get {@code 503}
 * @param accessLog          where to log one line per request, or {@code null} for none
 * @param tls                the certificate to serve HTTPS with ({@link Tls#pem}, {@link Tls#keyStore},
 *                           {@link Tls#selfSigned}), or {@code null} for plain HTTP
 * @param http2              HTTP/2's own limits (streams, windows, abuse bounds); see {@link Http2Config}
 */
public record ServerConfig(
        String host,
        int port,
        int backlog,
        int maxRequestLineBytes,
        int maxHeaderBytes,
        int maxHeaderCount,
        long maxBodyBytes,
        long maxDrainBytes,
        Duration headerTimeout,
        Duration idleTimeout,
        Duration ioTimeout,
        int maxConnections,
        AccessLog accessLog,
        Tls tls,
        Http2Config http2) {

    /** Validates every setting; a bad one fails here rather than when the server runs. */
    public ServerConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535: " + port);
        positive("backlog", backlog);
        positive("maxRequestLineBytes", maxRequestLineBytes);
        positive("maxHeaderBytes", maxHeaderBytes);
        positive("maxHeaderCount", maxHeaderCount);
        if (maxBodyBytes < 0) throw new IllegalArgumentException("maxBodyBytes must be >= 0");
        if (maxDrainBytes < 0) throw new IllegalArgumentException("maxDrainBytes must be >= 0");
        positive("headerTimeout", headerTimeout);
        positive("idleTimeout", idleTimeout);
        positive("ioTimeout", ioTimeout);
        positive("maxConnections", maxConnections);
        Objects.requireNonNull(http2, "http2");
    }

    private static void positive(String name, long value) {
        if (value <= 0) throw new IllegalArgumentException(name + " must be positive: " + value);
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be between 1 ms and 24 days: " + value);
        }
    }

    /** The defaults: loopback on port 8080, with limits suited to a server facing the internet. */
    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 8080, 1024, 8 * 1024, 16 * 1024, 100, 10L << 20, 64 * 1024,
                Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30), 16_384,
                AccessLog.console(), null, Http2Config.defaults());
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** Collects settings for a new {@link ServerConfig}; each method sets one and returns the builder. */
    public static final class Builder {
        private String host;
        private int port, backlog, maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxConnections;
        private long maxBodyBytes, maxDrainBytes;
        private Duration headerTimeout, idleTimeout, ioTimeout;
        private AccessLog accessLog;
        private Tls tls;
        private Http2Config http2;

        private Builder(ServerConfig c) {
            host = c.host; port = c.port; backlog = c.backlog; maxRequestLineBytes = c.maxRequestLineBytes;
            maxHeaderBytes = c.maxHeaderBytes; maxHeaderCount = c.maxHeaderCount; maxBodyBytes = c.maxBodyBytes;
            maxDrainBytes = c.maxDrainBytes; headerTimeout = c.headerTimeout; idleTimeout = c.idleTimeout;
            ioTimeout = c.ioTimeout; maxConnections = c.maxConnections; accessLog = c.accessLog; tls = c.tls;
            http2 = c.http2;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder backlog(int v) { backlog = v; return this; }
        public Builder maxRequestLineBytes(int v) { maxRequestLineBytes = v; return this; }
        public Builder maxHeaderBytes(int v) { maxHeaderBytes = v; return this; }
        public Builder maxHeaderCount(int v) { maxHeaderCount = v; return this; }
        public Builder maxBodyBytes(long v) { maxBodyBytes = v; return this; }
        public Builder maxDrainBytes(long v) { maxDrainBytes = v; return this; }
        public Builder headerTimeout(Duration v) { headerTimeout = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder ioTimeout(Duration v) { ioTimeout = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        /** The access log, or {@code null} to turn it off. */
        public Builder accessLog(AccessLog v) { accessLog = v; return this; }
        /** Serve HTTPS with this certificate, or plain HTTP with {@code null} (the default). */
        public Builder tls(Tls v) { tls = v; return this; }
        /** HTTP/2's limits: {@code Http2Config.defaults().withMaxConcurrentStreams(50)}. */
        public Builder http2(Http2Config v) { http2 = v; return this; }

        /** The config, validated. */
        public ServerConfig build() {
            return new ServerConfig(host, port, backlog, maxRequestLineBytes, maxHeaderBytes, maxHeaderCount,
                    maxBodyBytes, maxDrainBytes, headerTimeout, idleTimeout, ioTimeout, maxConnections, accessLog, tls,
                    http2);
        }
    }
}
