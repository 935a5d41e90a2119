package dev.carafe.examples.chat;

import dev.carafe.json.JsonMapper;
import dev.carafe.realtime.SseBroadcaster;
import dev.carafe.realtime.WebSocketConnection;
import dev.carafe.server.websocket.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One chat room: the WebSocket connections of its members, and an event feed (server-sent events)
 * of what happens in it: joins, leaves and messages.
 */
final class ChatRoom {
    private final Set<WebSocketConnection> members = ConcurrentHashMap.newKeySet();
    private final SseBroadcaster feed = new SseBroadcaster();
    private final AtomicLong eventIds = new AtomicLong();
    private final JsonMapper json;

    ChatRoom(JsonMapper json) {
        this.json = json;
    }

    SseBroadcaster feed() {
        return feed;
    }

    /** Serves one member until they leave: every text message they send goes to every member. */
    void serve(WebSocketConnection ws, String name) throws IOException {
        members.add(ws);
        try {
            event("join", name, null);
            for (Message m; (m = ws.receive()) != null; ) {
                if (!m.isText()) continue;
                String text = m.text().strip();
                if (text.isEmpty()) continue;
                String line = toJson(Map.of("name", name, "text", text));
                for (WebSocketConnection member : members) {
                    try {
                        member.send(line);
                    } catch (IOException gone) {
                        members.remove(member); // its own thread notices too and cleans up
                    }
                }
                event("message", name, text);
            }
        } finally {
            members.remove(ws);
            event("leave", name, null);
        }
    }

    private void event(String type, String name, String text) throws IOException {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("name", name);
        data.put("members", members.size());
        if (text != null) data.put("text", text);
        feed.broadcast(type, toJson(data), Long.toString(eventIds.incrementAndGet()));
    }

    private String toJson(Object value) throws IOException {
        return new String(json.write(value), StandardCharsets.UTF_8);
    }
}
