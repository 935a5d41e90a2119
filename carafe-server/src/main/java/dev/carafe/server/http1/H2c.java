package dev.carafe.server.http1;

import dev.carafe.server.Headers;
import dev.carafe.server.ServerConfig;
import dev.carafe.server.http2.Http2Connection;
import java.io.IOException;

/**
 * The two ways a plain HTTP/1.1 port becomes HTTP/2 (h2c): a client that starts with the
 * connection preface (prior knowledge), and an {@code Upgrade: h2c} request (RFC 7540 §3.2).
 */
final class H2c {
    /** The answer to an upgrade the server takes; the upgrading request is then served as stream 1. */
    static final byte[] SWITCHING =
            HeadBytes.ascii("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");

    private H2c() {}

    /**
     * Whether the connection's first bytes are HTTP/2's connection preface. Looked at once per
     * connection, before its first request: HTTP/1.1 requests pay nothing for it.
     */
    static boolean prefaceArrived(InputBuffer in, Deadline deadline, ServerConfig config) throws IOException {
        byte[] preface = Http2Connection.PREFACE;
        int seen = 0;
        while (true) {
            int n = Math.min(in.available(), preface.length);
            for (; seen < n; seen++) {
                if (in.buf[in.pos + seen] != preface[seen]) return false;
            }
            if (seen == preface.length) return true;
            deadline.armRead(config.headerTimeout().toMillis());
            try {
                if (in.fill() < 0) return false;
            } finally {
                deadline.disarm();
            }
        }
    }

    /**
     * Whether {@code req} asks to switch to h2c (RFC 7540 §3.2) in a way this server takes: no body
     * (it would have to be read whole first), a valid {@code HTTP2-Settings}, and the server not stopping.
     */
    static boolean upgradeRequested(Http1Request req, boolean stopping) {
        if (!req.upgrade || req.chunked || req.contentLength > 0 || req.http10 || stopping) return false;
        Headers h = req.headers;
        if (!h.hasToken("Upgrade", "h2c") || !h.hasToken("Connection", "Upgrade") || !h.hasToken("Connection", "HTTP2-Settings")
                || h.count("HTTP2-Settings") != 1) {
            return false;
        }
        try {
            req.http2Settings = java.util.Base64.getUrlDecoder().decode(h.get("HTTP2-Settings").strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return req.http2Settings.length % 6 == 0;
    }

    /** The upgrading request's fields as stream 1 carries them: without the hop-by-hop ones of the upgrade. */
    static Headers stream1Headers(Http1Request upgrade) {
        Headers headers = new Headers(upgrade.headers.size());
        for (int i = 0; i < upgrade.headers.size(); i++) {
            String name = upgrade.headers.name(i);
            if (!name.equalsIgnoreCase("Connection") && !name.equalsIgnoreCase("Upgrade")
                    && !name.equalsIgnoreCase("HTTP2-Settings") && !name.equalsIgnoreCase("Keep-Alive")) {
                headers.add(name, upgrade.headers.value(i));
            }
        }
        return headers;
    }

    /** The origin form, whatever form the request line used: an HTTP/2 {@code :path} is a path. */
    static String target(Http1Request upgrade) {
        return upgrade.query == null ? upgrade.path : upgrade.path + "?" + upgrade.query;
    }
}
