package dev.carafe.server.websocket;

import dev.carafe.server.Request;
import dev.carafe.server.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The opening handshake (RFC 6455 §4.2): checks the upgrade request, negotiates a subprotocol and
 * permessage-deflate, answers {@code 101} and runs the handler on the connection.
 *
 * <pre>{@code
 * Handler handler = (request, response) -> {
 *     if (request.path().equals("/echo")) {
 *         WebSocketHandshake.upgrade(request, response, WebSocketOptions.defaults(), ws -> {
 *             for (Message m; (m = ws.receive()) != null; ) ws.send(m.text());
 *         });
 *     }
 * };
 * }</pre>
 */
public final class WebSocketHandshake {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WebSocketHandshake() {}

    /** Whether {@code request} asks to become a WebSocket ({@code Upgrade: websocket}). */
    public static boolean isUpgrade(Request request) {
        return request.headers().hasToken("Upgrade", "websocket");
    }

    /**
     * Why {@code request} cannot be accepted as a WebSocket handshake, as {@code [status, message]},
     * or {@code null} when it can. {@code 426} (with {@code Sec-WebSocket-Version: 13} to send)
     * for a plain request or an unsupported version, {@code 400} for a malformed handshake,
     * {@code 403} for an origin the options refuse.
     */
    public static Refusal check(Request request, WebSocketOptions options) {
        if (!request.method().equals("GET")) return new Refusal(405, "WebSocket handshakes use GET");
        if (!isUpgrade(request)) return new Refusal(426, "This endpoint speaks WebSocket only");
        if (!request.headers().hasToken("Connection", "upgrade")) return new Refusal(400, "Connection must include Upgrade");
        if (!request.version().equals("HTTP/1.1")) return new Refusal(400, "WebSocket needs HTTP/1.1");
        if (!"13".equals(only(request, "Sec-WebSocket-Version"))) return new Refusal(426, "Only WebSocket version 13 is supported");
        String key = only(request, "Sec-WebSocket-Key");
        if (key == null || !validKey(key.trim())) return new Refusal(400, "Missing or malformed Sec-WebSocket-Key");
        if (!options.originCheck().test(request.header("Origin"))) return new Refusal(403, "Origin not allowed");
        return null;
    }

    /** A handshake refused with {@code status}; {@code message} says why. */
    public record Refusal(int status, String message) {}

    /**
     * Checks {@code request}; on success answers {@code 101} and arranges for {@code handler} to run
     * on the connection once the calling handler returns, and returns {@code true}. Otherwise
     * answers the refusal (see {@link #check}) and returns {@code false}.
     */
    public static boolean upgrade(Request request, Response response, WebSocketOptions options, WebSocketHandler handler)
            throws IOException {
        Refusal refusal = check(request, options);
        if (refusal != null) {
            response.status(refusal.status()).header("Content-Type", "text/plain; charset=utf-8");
            if (refusal.status() == 426) response.header("Sec-WebSocket-Version", "13").header("Upgrade", "websocket");
            response.send(refusal.message() + "\n");
            return false;
        }
        accept(request, response, options, handler);
        return true;
    }

    /** Answers an already {@linkplain #check checked} handshake with {@code 101} and arranges for {@code handler} to run. */
    public static void accept(Request request, Response response, WebSocketOptions options, WebSocketHandler handler) {
        String subprotocol = chooseSubprotocol(request, options.subprotocols());
        PerMessageDeflate deflate = options.compression()
                ? PerMessageDeflate.negotiate(request.headers().all("Sec-WebSocket-Extensions")) : null;
        response.header("Upgrade", "websocket")
                .header("Sec-WebSocket-Accept", acceptValue(only(request, "Sec-WebSocket-Key").trim()));
        if (subprotocol != null) response.header("Sec-WebSocket-Protocol", subprotocol);
        if (deflate != null) response.header("Sec-WebSocket-Extensions", deflate.response());
        response.upgrade(conn -> new WebSocketSession(conn, request, options, subprotocol, deflate).run(handler));
    }

    /** The {@code Sec-WebSocket-Accept} value for a client's key. */
    public static String acceptValue(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean validKey(String key) {
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String only(Request request, String name) {
        List<String> all = request.headers().all(name);
        return all.size() == 1 ? all.get(0) : null;
    }

    /** The first of the server's subprotocols (its preference order) that the client offers. */
    private static String chooseSubprotocol(Request request, List<String> supported) {
        if (supported.isEmpty()) return null;
        List<String> offered = new ArrayList<>();
        for (String header : request.headers().all("Sec-WebSocket-Protocol")) {
            for (String p : header.split(",")) offered.add(p.trim());
        }
        for (String s : supported) {
            for (String o : offered) if (o.equals(s)) return s;
        }
        return null;
    }
}
