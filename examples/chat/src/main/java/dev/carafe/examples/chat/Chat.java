package dev.carafe.examples.chat;

import dev.carafe.App;
import dev.carafe.Reply;
import dev.carafe.server.websocket.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A chat room over WebSocket with a live feed of room events over server-sent events.
 * <ul>
 *   <li>{@code GET /}: the page;</li>
 *   <li>{@code /ws/chat?name=ada}: the room (WebSocket); each text message goes to every member as
 *       {@code {"name":…,"text":…}};</li>
 *   <li>{@code GET /events}: the room's events (SSE): {@code join}, {@code leave}, {@code message};</li>
 *   <li>fixtures for end-to-end tests: {@code /ws/echo} echoes every text and binary message,
 *       {@code /sse/clock} sends a {@code tick} event every second, and {@code /selftest} is a page
 *       that exercises all of them from a browser.</li>
 * </ul>
 */
public final class Chat {
    private Chat() {}

    public static void main(String[] args) {
        create().run(args);
    }

    /** The app, for the jar and for tests. */
    public static App create() {
        App app = new App();
        ChatRoom room = new ChatRoom(app.jsonMapper());
        app.get("/", ctx -> Reply.html(resource("index.html")));
        app.get("/selftest", ctx -> Reply.html(resource("selftest.html")));
        app.ws("/ws/chat", ws -> room.serve(ws, ws.context().query("name", "guest")));
        app.sse("/events", room.feed()::add);
        app.ws("/ws/echo", ws -> {
            for (Message m; (m = ws.receive()) != null; ) {
                if (m.isText()) ws.send(m.text());
                else ws.send(m.bytes());
            }
        });
        app.sse("/sse/clock", client -> {
            long id = client.lastEventId() == null ? 0 : parseOr(client.lastEventId(), 0);
            while (client.isOpen()) {
                client.send("tick", Instant.now().toString(), Long.toString(++id));
                Thread.sleep(1000);
            }
        });
        return app;
    }

    private static long parseOr(String s, long fallback) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String resource(String name) {
        try (InputStream in = Chat.class.getResourceAsStream("/chat/" + name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
