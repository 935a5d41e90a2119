package dev.carafe.server.http1;

import dev.carafe.server.Headers;
import dev.carafe.server.Request;
import java.io.InputStream;
import java.net.InetSocketAddress;

/** A parsed HTTP/1.x request: immutable after {@link RequestParser} built it, but for its body stream. */
final class Http1Request implements Request {
    String method;
    String target;
    String path;
    String query;
    boolean http10;
    final Headers headers;
    /** Declared length; -1 when chunked. */
    long contentLength;
    boolean chunked;
    boolean expectContinue;
    /** Whether the client allows the connection to stay open after this exchange. */
    boolean keepAlive;
    /** Whether the request carries an {@code Upgrade} field (h2c, WebSocket): looked at only then. */
    boolean upgrade;
    /** The decoded {@code HTTP2-Settings} of an h2c upgrade. */
    byte[] http2Settings;
    InputStream body;
    InetSocketAddress remote;
    InetSocketAddress local;
    boolean secure;
    String serverName;

    Http1Request(Headers headers) {
        this.headers = headers;
    }

    @Override public String method() { return method; }
    @Override public String target() { return target; }
    @Override public String path() { return path; }
    @Override public String query() { return query; }
    @Override public String version() { return http10 ? "HTTP/1.0" : "HTTP/1.1"; }
    @Override public Headers headers() { return headers; }
    @Override public long contentLength() { return contentLength; }
    @Override public InputStream body() { return body; }
    @Override public InetSocketAddress remoteAddress() { return remote; }
    @Override public InetSocketAddress localAddress() { return local; }
    @Override public boolean secure() { return secure; }
    @Override public String serverName() { return serverName; }

    @Override
    public String toString() {
        return method + ' ' + target + ' ' + version();
    }
}
