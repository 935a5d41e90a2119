package dev.carafe.realtime;

import dev.carafe.Config;
import dev.carafe.Endpoint;
import dev.carafe.Reply;
import java.io.IOException;
import java.time.Duration;

/**
 * The code behind a server-sent events route ({@link dev.carafe.RouteGroup#sse}). It runs once the
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

    /**
     * The plain endpoint that {@code app.sse(path, endpoint)} registers: it answers with a
     * {@code text/event-stream} and runs {@code endpoint} on it, heartbeats every
     * {@code SSE_HEARTBEAT} of quiet (default 15s), dropping a client more than
     * {@code SSE_MAX_QUEUED} (default 1024) broadcast events behind.
     */
    static Endpoint asEndpoint(SseEndpoint endpoint) {
        return ctx -> {
            Config config = ctx.app().config();
            Duration heartbeat = config.getDuration("SSE_HEARTBEAT", Duration.ofSeconds(15));
            int maxQueued = config.getInt("SSE_MAX_QUEUED", 1024);
            return Reply.stream("text/event-stream; charset=utf-8", out -> {
                if (ctx.method().equals("HEAD")) return;
                SseClient client = new SseClient(ctx, out, heartbeat, maxQueued);
                ctx.onServerStop(client::close); // a graceful stop ends the stream
                try {
                    endpoint.handle(client);
                    client.pump();
                } catch (IOException e) {
                    throw e;
                } catch (Exception e) {
                    org.slf4j.LoggerFactory.getLogger(SseEndpoint.class).error("SSE endpoint for {} failed", ctx.path(), e);
                } finally {
                    client.close();
                }
            }).header("Cache-Control", "no-cache").header("X-Accel-Buffering", "no");
        };
    }
}
