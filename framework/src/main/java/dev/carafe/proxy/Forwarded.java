package dev.carafe.proxy;

import dev.carafe.server.Request;
import java.net.InetSocketAddress;

/**
 * Who the client is and how it addressed the app, after the trusted proxies have had their say:
 * the client's address, the scheme ({@code http} or {@code https}), the host (with its port when
 * not the default) and the path prefix the proxy mounts the app under ({@code ""} for none).
 * Without trusted proxies these are the connection's peer, {@code http}, the {@code Host} header
 * and {@code ""}.
 */
public record Forwarded(InetSocketAddress client, String scheme, String host, String prefix) {
    /** The full URL of {@code request} as the client sent it: scheme, host, prefix, path and query. */
    public String url(Request request) {
        String q = request.query();
        return scheme + "://" + host + prefix + request.path() + (q == null ? "" : "?" + q);
    }

    /** What a request says about itself, trusting no header but {@code Host}. */
    static Forwarded direct(Request request) {
        String host = request.header("Host");
        if (host == null || host.isEmpty()) {
            InetSocketAddress local = request.localAddress();
            String h = local.getAddress().getHostAddress();
            host = (h.contains(":") ? "[" + h + "]" : h) + ":" + local.getPort();
        }
        return new Forwarded(request.remoteAddress(), request.scheme(), host, "");
    }
}
