package dev.carafe.realtime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The set of clients connected to an event stream, with a broadcast that never blocks: each event
 * is queued for every client and written by the client's own connection thread, so one slow
 * client holds up nobody (it is dropped when its queue overflows). Clients leave the set by
 * themselves when they go away.
 *
 * <pre>{@code
 * SseBroadcaster room = new SseBroadcaster();
 * app.sse("/events", room::add);
 * app.post("/say", ctx -> { room.broadcast("message", ctx.form("text")); return Reply.empty(); });
 * }</pre>
 */
public final class SseBroadcaster {
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();

    /** Adds {@code client}; it is removed when it closes. */
    public void add(SseClient client) {
        clients.add(client);
        client.onClose(() -> clients.remove(client));
        if (!client.isOpen()) clients.remove(client);
    }

    /** Queues an unnamed event for every client. */
    public void broadcast(String data) {
        broadcast(null, data, null);
    }

    /** Queues an event named {@code event} for every client. */
    public void broadcast(String event, String data) {
        broadcast(event, data, null);
    }

    /** Queues an event (name and id may be {@code null}) for every client; returns how many took it. */
    public int broadcast(String event, String data, String id) {
        byte[] bytes = SseClient.format(event, data, id); // formatted once for everyone
        int n = 0;
        for (SseClient c : clients) if (c.offerBytes(bytes)) n++;
        return n;
    }

    /** How many clients are connected. */
    public int size() {
        return clients.size();
    }

    /** Closes every client's stream. */
    public void closeAll() {
        for (SseClient c : clients) c.close();
    }
}
