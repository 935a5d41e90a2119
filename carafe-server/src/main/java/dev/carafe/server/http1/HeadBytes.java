package dev.carafe.server.http1;

import dev.carafe.server.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * Pre-encoded pieces of response heads: status lines for every code, and the {@code Date} field,
 * formatted at most once a second however many responses share it.
 */
public final class HeadBytes {
    private HeadBytes() {}

    private static final byte[][] STATUS_LINES = new byte[600][];
    static final byte[] CRLF = {'\r', '\n'};
    static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
    static final byte[] CONNECTION_KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");

    private record DateLine(long second, byte[] bytes, String value) {}

    private static volatile DateLine date = new DateLine(-1, null, null);

    static {
        for (int s = 100; s < 600; s++) STATUS_LINES[s] = ascii("HTTP/1.1 " + s + " " + HttpStatus.reason(s) + "\r\n");
        refreshDate();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code HTTP/1.1 <code> <reason>\r\n}. */
    static byte[] statusLine(int status) {
        return STATUS_LINES[status];
    }

    /**
     * {@code Date: <IMF-fixdate>\r\n} as of the last {@link #refreshDate()}. The {@link Reaper}
     * refreshes it every tick, so a response reads no clock (clock reads were ~5% of server CPU
     * with pipelined requests) and its date is at most a tick late.
     */
    static byte[] dateLine() {
        return date.bytes;
    }

    /** The {@code Date} field's value as of the last refresh: for HTTP/2 responses, which encode it themselves. */
    public static String dateValue() {
        return date.value;
    }

    /** Formats the date line anew when the second has changed. */
    static void refreshDate() {
        long now = System.currentTimeMillis() / 1000;
        if (date.second != now) {
            String value = imfFixdate(now);
            date = new DateLine(now, ascii("Date: " + value + "\r\n"), value);
        }
    }

    /**
     * {@code Sun, 06 Nov 1994 08:49:37 GMT} (RFC 9110 §5.6.7). By hand: a {@code DateTimeFormatter}
     * with day and month names loads the JDK's locale data on first use, ~45 ms of startup.
     */
    static String imfFixdate(long epochSecond) {
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, 86_400));
        int s = (int) Math.floorMod(epochSecond, 86_400);
        int dow = day.getDayOfWeek().ordinal(), month = day.getMonthValue() - 1;
        return "MonTueWedThuFriSatSun".substring(3 * dow, 3 * dow + 3) + ", " + two(day.getDayOfMonth()) + " "
                + "JanFebMarAprMayJunJulAugSepOctNovDec".substring(3 * month, 3 * month + 3) + " " + day.getYear() + " "
                + two(s / 3600) + ":" + two(s / 60 % 60) + ":" + two(s % 60) + " GMT";
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
