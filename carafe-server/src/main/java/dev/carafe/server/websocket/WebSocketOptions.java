package dev.carafe.server.websocket;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Settings of a WebSocket endpoint, built fluently.
 *
 * <pre>{@code
 * WebSocketOptions options = WebSocketOptions.builder()
 *     .maxMessageBytes(64 * 1024)
 *     .idleTimeout(Duration.ofMinutes(2))
 *     .pingInterval(Duration.ofSeconds(30))
 *     .subprotocols("chat.v2", "chat.v1")
 *     .allowedOrigins(origin -> origin.equals("https://example.com"))
 *     .build();
 * }</pre>
 *
 * @param maxMessageBytes largest message accepted, after reassembly and decompression; a larger
 *                        one closes the connection with {@code 1009}. Default 1 MiB
 * @param idleTimeout     how long the connection may go without receiving anything before it is
 *                        closed with {@code 1001}; {@link Duration#ZERO} for never. Default 5 minutes
 * @param pingInterval    how often the server pings a connection, to keep proxies from dropping it
 *                        and to find dead peers; {@link Duration#ZERO} for never (the default)
 * @param subprotocols    the subprotocols the server speaks, preferred first; the first one the
 *                        client also offers is chosen. Default none
 * @param originCheck     accepts or refuses the {@code Origin} header (which may be {@code null}
 *                        for non-browser clients); a refusal is answered {@code 403}. Default: any
 * @param compression     whether to accept permessage-deflate (RFC 7692) when the client offers it.
 *                        Default {@code true}
 */
public record WebSocketOptions(int maxMessageBytes, Duration idleTimeout, Duration pingInterval,
                               List<String> subprotocols, Predicate<String> originCheck, boolean compression) {
    public WebSocketOptions {
        if (maxMessageBytes <= 0) throw new IllegalArgumentException("maxMessageBytes must be positive");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        subprotocols = List.copyOf(subprotocols);
        Objects.requireNonNull(originCheck, "originCheck");
    }

    /** The defaults. */
    public static WebSocketOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link WebSocketOptions}. */
    public static final class Builder {
        private int maxMessageBytes = 1 << 20;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration pingInterval = Duration.ZERO;
        private List<String> subprotocols = List.of();
        private Predicate<String> originCheck = origin -> true;
        private boolean compression = true;

        public Builder maxMessageBytes(int bytes) {
            this.maxMessageBytes = bytes;
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        public Builder pingInterval(Duration interval) {
            this.pingInterval = interval;
            return this;
        }

        public Builder subprotocols(String... protocols) {
            this.subprotocols = List.of(protocols);
            return this;
        }

        /** Accepts the handshake only when {@code check} accepts the {@code Origin} header (possibly null). */
        public Builder allowedOrigins(Predicate<String> check) {
            this.originCheck = check;
            return this;
        }

        public Builder compression(boolean on) {
            this.compression = on;
            return this;
        }

        public WebSocketOptions build() {
            return new WebSocketOptions(maxMessageBytes, idleTimeout, pingInterval, subprotocols, originCheck, compression);
        }
    }
}
