package dev.carafe.bench;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The Date header value, recomputed at most once a second (what real servers do). */
final class Dates {
    private static volatile long second = -1;
    private static volatile String value;

    private Dates() {}

    static String now() {
        long s = System.currentTimeMillis() / 1000;
        if (s != second) {
            value = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
            second = s;
        }
        return value;
    }
}
