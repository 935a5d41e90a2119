package dev.carafe.server;

import java.io.Console;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDateTime;

/**
 * Receives one call per answered request, after the response is written.
 *
 * <p>{@link #console()} is the default: a Werkzeug-style line on standard error, coloured by
 * status when standard error is a terminal:
 * <pre>
 * 127.0.0.1 - - [25/Nov/2026 21:40:00] "GET /users/7 HTTP/1.1" 200 -
 * </pre>
 * Turn it off with {@code ServerConfig.builder().accessLog(null)}; send it elsewhere with a lambda.
 * {@link #json(PrintStream)} writes one JSON object per line instead, for log shippers:
 * <pre>
 * {"time":"2026-11-25T21:40:00.123Z","remote":"203.0.113.7","method":"GET","target":"/users/7","protocol":"HTTP/1.1","status":200,"bytes":512,"duration_ms":0.412,"host":"example.com","user_agent":"curl/8.5.0"}
 * </pre>
 * The address logged is {@link Request#remoteAddress()}'s (behind a trusted proxy the framework
 * hands the log a request whose address is the client's, see {@code app.trustProxy(n)}).
 */
@FunctionalInterface
public interface AccessLog {
    /**
     * Records one exchange.
     *
     * @param request  the request
     * @param status   the status code sent
     * @param bodySize the body bytes sent, or {@code -1} when none were
     */
    void log(Request request, int status, long bodySize);

    /**
     * Records one exchange with how long it took, which is the call the server makes. The default
     * drops the duration, so a lambda of the three-argument form still works; override this to log it.
     *
     * @param request  the request
     * @param status   the status code sent
     * @param bodySize the body bytes sent, or {@code -1} when none were
     * @param nanos    from the request head read to the response's last byte handed to the socket
     */
    default void log(Request request, int status, long bodySize, long nanos) {
        log(request, status, bodySize);
    }

    /** Werkzeug-style lines on {@code System.err}, coloured on a terminal unless {@code NO_COLOR} is set. */
    static AccessLog console() {
        // Probing for a terminal loads the JDK's console providers (~10 ms): done at the first line, not at startup.
        return new AccessLog() {
            private volatile AccessLog lines;

            @Override
            public void log(Request request, int status, long bodySize) {
                AccessLog l = lines;
                if (l == null) lines = l = to(System.err, isTerminal() && System.getenv("NO_COLOR") == null);
                l.log(request, status, bodySize);
            }
        };
    }

    /** Werkzeug-style lines on {@code out}, with ANSI colours by status class when {@code colour} is set. */
    static AccessLog to(PrintStream out, boolean colour) {
        return (request, status, bodySize) -> {
            String line = request.remoteAddress().getAddress().getHostAddress() + " - - ["
                    + timestamp(LocalDateTime.now()) + "] \"" + request.method() + ' ' + request.target() + ' '
                    + request.version() + "\" " + status + ' ' + (bodySize < 0 ? "-" : Long.toString(bodySize));
            out.println(colour ? colourFor(status) + line + "\u001b[0m" : line);
        };
    }

    /**
     * One JSON object per line on {@code out} ({@code --log-format json}): {@code time} (UTC,
     * ISO-8601 with milliseconds), {@code remote}, {@code method}, {@code target}, {@code protocol},
     * {@code status}, {@code bytes} ({@code 0} when no body was sent), {@code duration_ms} (from the
     * request head read to the response's last byte written, to the microsecond), and {@code host},
     * {@code user_agent}, {@code referer} when the request had them. A line is written whole in one
     * call, so lines from concurrent requests never interleave.
     */
    static AccessLog json(PrintStream out) {
        return new AccessLog() {
            @Override
            public void log(Request request, int status, long bodySize) {
                log(request, status, bodySize, -1);
            }

            @Override
            public void log(Request request, int status, long bodySize, long nanos) {
                out.println(jsonLine(request, status, bodySize, nanos));
            }
        };
    }

    private static StringBuilder jsonLine(Request request, int status, long bodySize, long nanos) {
        StringBuilder b = new StringBuilder(256).append('{');
        field(b, "time", Instant.now().toString()).append(',');
        field(b, "remote", request.remoteAddress().getAddress().getHostAddress()).append(',');
        field(b, "method", request.method()).append(',');
        field(b, "target", request.target()).append(',');
        field(b, "protocol", request.version()).append(',');
        b.append("\"status\":").append(status).append(",\"bytes\":").append(Math.max(0, bodySize));
        if (nanos >= 0) b.append(",\"duration_ms\":").append(nanos / 1000 / 1000.0); // microsecond precision
        optional(b, "host", request.header("Host"));
        optional(b, "user_agent", request.header("User-Agent"));
        optional(b, "referer", request.header("Referer"));
        return b.append('}');
    }

    private static void optional(StringBuilder b, String name, String value) {
        if (value != null) field(b.append(','), name, value);
    }

    private static StringBuilder field(StringBuilder b, String name, String value) {
        b.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"');
    }

    /**
     * {@code 25/Nov/2026 21:40:00}. By hand: a {@code DateTimeFormatter} with month names loads the
     * JDK's locale data on first use, ~40 ms that the first response would wait for.
     */
    private static String timestamp(LocalDateTime t) {
        String month = "JanFebMarAprMayJunJulAugSepOctNovDec".substring(3 * t.getMonthValue() - 3, 3 * t.getMonthValue());
        return two(t.getDayOfMonth()) + "/" + month + "/" + t.getYear() + " "
                + two(t.getHour()) + ":" + two(t.getMinute()) + ":" + two(t.getSecond());
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    private static String colourFor(int status) {
        if (status >= 500) return "\u001b[1;31m"; // bold red
        if (status >= 400) return "\u001b[33m"; // yellow
        if (status >= 300) return "\u001b[36m"; // cyan
        return "";
    }

    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try { // Console.isTerminal() exists from JDK 22; before that a non-null console means a terminal.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
