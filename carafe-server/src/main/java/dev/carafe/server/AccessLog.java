package dev.carafe.server;

import java.io.Console;
import java.io.PrintStream;
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
