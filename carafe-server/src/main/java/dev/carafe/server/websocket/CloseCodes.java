package dev.carafe.server.websocket;

/**
 * WebSocket close status codes (RFC 6455 §7.4.1) that the server sends or checks.
 *
 * <pre>{@code
 * ws.close(CloseCodes.POLICY_VIOLATION, "not logged in");
 * if (ws.receive() == null && ws.closeCode() == CloseCodes.GOING_AWAY) log.info("tab closed");
 * }</pre>
 */
public final class CloseCodes {
    private CloseCodes() {}

    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    /** Reserved: no status code was present. Never sent. */
    public static final int NO_STATUS = 1005;
    /** Reserved: the connection closed without a close frame. Never sent. */
    public static final int ABNORMAL = 1006;
    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int INTERNAL_ERROR = 1011;

    /** Whether {@code code} may appear in a close frame on the wire. */
    public static boolean isValidOnWire(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }
}
