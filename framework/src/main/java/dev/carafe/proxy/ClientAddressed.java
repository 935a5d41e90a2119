package dev.carafe.proxy;

import dev.carafe.server.Headers;
import dev.carafe.server.Request;
import java.io.InputStream;
import java.net.InetSocketAddress;

/** A request whose remote address is the client's, as trusted proxies forwarded it: what the access log sees. */
record ClientAddressed(Request request, InetSocketAddress client) implements Request {
    @Override public String method() { return request.method(); }
    @Override public String target() { return request.target(); }
    @Override public String path() { return request.path(); }
    @Override public String query() { return request.query(); }
    @Override public String version() { return request.version(); }
    @Override public Headers headers() { return request.headers(); }
    @Override public long contentLength() { return request.contentLength(); }
    @Override public InputStream body() { return request.body(); }
    @Override public InetSocketAddress remoteAddress() { return client; }
    @Override public InetSocketAddress localAddress() { return request.localAddress(); }
}
