package dev.carafe.server;

import java.io.InputStream;
import java.net.InetSocketAddress;

/**
 * An HTTP request as the server parsed it: the request line, the header fields and a body stream.
 *
 * <p>The server validates framing strictly before a handler ever sees a request, so what is here
 * is well-formed. Nothing is decoded: {@link #path()} and {@link #query()} are exactly the bytes
 * the client sent (percent-encoding intact); decoding is the framework's job.
 *
 * <pre>{@code
 * (request, response) -> {
 *     if (request.method().equals("POST")) {
 *         byte[] body = request.body().readAllBytes();
 *         ...
 *     }
 * }
 * }</pre>
 */
public interface Request {
    /** The method token, e.g. {@code GET}. Case-sensitive, as HTTP defines it. */
    String method();

    /** The request target as sent: {@code /search?q=tea}, or an absolute URI, or {@code *}. */
    String target();

    /** The path part of the target without the query, still percent-encoded: {@code /search}. */
    String path();

    /** The query part of the target without the {@code ?}, or {@code null} when there is none. */
    String query();

    /** The protocol version: {@code HTTP/1.1}, {@code HTTP/1.0}, or {@code HTTP/2.0} for a request on an HTTP/2 stream. */
    String version();

    /** The header fields, in the order received. */
    Headers headers();

    /** The first value of the header field {@code name} (case-insensitive), or {@code null}. */
    default String header(String name) {
        return headers().get(name);
    }

    /** The declared body length, or {@code -1} for a chunked body. {@code 0} when there is none. */
    long contentLength();

    /**
     * The body as a stream. It ends where the body ends (never reads into the next request) and
     * throws an {@link java.io.IOException} if the client breaks the framing. Reading it first
     * sends {@code 100 Continue} to a client that asked for one. Bodies are never buffered whole
     * by the server, so a large upload costs only what the handler keeps.
     */
    InputStream body();

    /** The client's address. */
    InetSocketAddress remoteAddress();

    /** The server's address on which this request arrived. */
    InetSocketAddress localAddress();

    /** Whether the request came over TLS (HTTPS). */
    default boolean secure() {
        return false;
    }

    /**
     * The URL scheme the client used: {@code https} over TLS, else {@code http}. What the server
     * saw, not what a proxy in front of it may have (that is in its forwarded header fields).
     */
    default String scheme() {
        return secure() ? "https" : "http";
    }

    /**
     * The host name the client asked for in its TLS handshake (SNI), e.g. {@code example.com};
     * {@code null} over plain HTTP, or when the client sent none (it connected to an IP address).
     * Unlike the {@code Host} header field it was sent before any HTTP, and it is what the
     * certificate was chosen for.
     */
    default String serverName() {
        return null;
    }
}
