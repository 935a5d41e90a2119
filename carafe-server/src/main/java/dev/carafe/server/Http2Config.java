package dev.carafe.server;

import java.time.Duration;

/**
 * HTTP/2's own limits; the server's {@code maxHeaderBytes}, {@code maxHeaderCount},
 * {@code maxBodyBytes}, {@code headerTimeout}, {@code idleTimeout} and {@code ioTimeout} apply to
 * HTTP/2 as well. The defaults suit a public-facing server.
 *
 * <pre>{@code
 * ServerConfig.builder().http2(Http2Config.defaults().withMaxConcurrentStreams(50)).build();
 * }</pre>
 *
 * @param maxConcurrentStreams  streams a client may have open at once (advertised in SETTINGS);
 *                              a stream counts until its handler returns, so a reset does not
 *                              free its slot early; more are refused with RST_STREAM REFUSED_STREAM
 * @param streamWindow          bytes of request body a client may send on a stream before the
 *                              handler reads them (SETTINGS_INITIAL_WINDOW_SIZE)
 * @param connectionWindow      the same for all streams of a connection together
 * @param maxResets             client RST_STREAM frames allowed per {@code window} before GOAWAY
 *                              ENHANCE_YOUR_CALM (rapid reset, CVE-2023-44487)
 * @param maxControlFrames      PING and SETTINGS frames allowed per {@code window}, each of which
 *                              demands an answer, before GOAWAY ENHANCE_YOUR_CALM
 * @param window                the period those two counts are taken over
 * @param maxHeaderBlockFrames  frames (HEADERS plus CONTINUATION) one header block may span before
 *                              GOAWAY ENHANCE_YOUR_CALM (CONTINUATION flood, CVE-2024-27316)
 */
public record Http2Config(int maxConcurrentStreams, int streamWindow, int connectionWindow, int maxResets,
                          int maxControlFrames, Duration window, int maxHeaderBlockFrames) {

    public Http2Config {
        if (maxConcurrentStreams < 1) throw new IllegalArgumentException("maxConcurrentStreams must be positive");
        if (streamWindow < 1024 || streamWindow > Integer.MAX_VALUE) throw new IllegalArgumentException("streamWindow must be at least 1024");
        if (connectionWindow < 65_535) throw new IllegalArgumentException("connectionWindow must be at least 65535");
        if (maxResets < 1 || maxControlFrames < 1 || maxHeaderBlockFrames < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (window == null || window.isNegative() || window.isZero()) throw new IllegalArgumentException("window must be positive");
    }

    /** 100 streams, 64 KiB per stream and 1 MiB per connection, 200 resets and 1000 PING/SETTINGS per 10 s, 32 frames per header block. */
    public static Http2Config defaults() {
        return new Http2Config(100, 65_535, 1 << 20, 200, 1000, Duration.ofSeconds(10), 32);
    }

    public Http2Config withMaxConcurrentStreams(int v) {
        return new Http2Config(v, streamWindow, connectionWindow, maxResets, maxControlFrames, window, maxHeaderBlockFrames);
    }

    public Http2Config withStreamWindow(int v) {
        return new Http2Config(maxConcurrentStreams, v, connectionWindow, maxResets, maxControlFrames, window, maxHeaderBlockFrames);
    }

    public Http2Config withConnectionWindow(int v) {
        return new Http2Config(maxConcurrentStreams, streamWindow, v, maxResets, maxControlFrames, window, maxHeaderBlockFrames);
    }

    public Http2Config withMaxResets(int v, Duration per) {
        return new Http2Config(maxConcurrentStreams, streamWindow, connectionWindow, v, maxControlFrames, per, maxHeaderBlockFrames);
    }

    public Http2Config withMaxControlFrames(int v) {
        return new Http2Config(maxConcurrentStreams, streamWindow, connectionWindow, maxResets, v, window, maxHeaderBlockFrames);
    }

    public Http2Config withMaxHeaderBlockFrames(int v) {
        return new Http2Config(maxConcurrentStreams, streamWindow, connectionWindow, maxResets, maxControlFrames, window, v);
    }
}
