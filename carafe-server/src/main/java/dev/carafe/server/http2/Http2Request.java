package dev.carafe.server.http2;

import dev.carafe.server.Headers;
import dev.carafe.server.Request;
import java.io.InputStream;
import java.net.InetSocketAddress;

/** A request that came on an HTTP/2 stream; {@link #version()} is {@code HTTP/2.0}. */
final class Http2Request implements Request {
    final String method;
    final String target;
    final String path;
    final String query;
    final Headers headers;
    final long contentLength;
    InputStream body;
    InetSocketAddress remote;
    InetSocketAddress local;
    boolean secure;
    String serverName;

    Http2Request(String method, String target, Headers headers, long contentLength) {
        this.method = method;
        this.target = target;
        this.headers = headers;
        this.contentLength = contentLength;
        int q = target.indexOf('?');
        this.path = q < 0 ? target : target.substring(0, q);
        this.query = q < 0 ? null : target.substring(q + 1);
    }

    @Override public String method() { return method; }
    @Override public String target() { return target; }
    @Override public String path() { return path; }
    @Override public String query() { return query; }
    @Override public String version() { return "HTTP/2.0"; }
    @Override public Headers headers() { return headers; }
    @Override public long contentLength() { return contentLength; }
    @Override public InputStream body() { return body; }
    @Override public InetSocketAddress remoteAddress() { return remote; }
    @Override public InetSocketAddress localAddress() { return local; }
    @Override public boolean secure() { return secure; }
    @Override public String serverName() { return serverName; }

    @Override
    public String toString() {
        return method + ' ' + target + " HTTP/2.0";
    }
}
