package dev.carafe;

/**
 * The code behind a server-sent events route ({@link RouteGroup#sse}). It runs once the
 * {@code text/event-stream} response has started; it may send events itself (a loop on this
 * thread), hand the client to others (an {@link SseBroadcaster}), or both. When it returns the
 * stream stays open, delivering queued events and heartbeats, until the client goes away or
 * {@link SseClient#close()} is called.
 *
 * <pre>{@code
 * app.sse("/clock", client -> {
 *     while (client.isOpen()) {
 *         client.send("tick", Instant.now().toString());
 *         Thread.sleep(1000);
 *     }
 * });
 * app.sse("/room", room::add);   // an SseBroadcaster
 * }</pre>
 */
@FunctionalInterface
public interface SseEndpoint {
    void handle(SseClient client) throws Exception;
}
