package dev.carafe.server.websocket;

/**
 * Checks UTF-8 incrementally, so a text message split over frames fails at the first bad byte
 * (RFC 6455 §8.1) rather than after the whole message arrived. Rejects overlong forms,
 * surrogates and code points above U+10FFFF.
 */
final class Utf8Validator {
    private int needed; // continuation bytes still expected
    private int lower = 0x80, upper = 0xBF; // bounds of the next continuation byte

    /** Feeds {@code b[off..off+len)}; false as soon as the bytes cannot be UTF-8. */
    boolean feed(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            if (needed == 0) {
                if (c < 0x80) continue;
                if (c >= 0xC2 && c <= 0xDF) { needed = 1; lower = 0x80; upper = 0xBF; }
                else if (c == 0xE0) { needed = 2; lower = 0xA0; upper = 0xBF; }
                else if (c >= 0xE1 && c <= 0xEC || c == 0xEE || c == 0xEF) { needed = 2; lower = 0x80; upper = 0xBF; }
                else if (c == 0xED) { needed = 2; lower = 0x80; upper = 0x9F; }
                else if (c == 0xF0) { needed = 3; lower = 0x90; upper = 0xBF; }
                else if (c >= 0xF1 && c <= 0xF3) { needed = 3; lower = 0x80; upper = 0xBF; }
                else if (c == 0xF4) { needed = 3; lower = 0x80; upper = 0x8F; }
                else return false;
            } else {
                if (c < lower || c > upper) return false;
                lower = 0x80;
                upper = 0xBF;
                needed--;
            }
        }
        return true;
    }

    /** Whether the bytes fed so far end on a whole character. */
    boolean complete() {
        return needed == 0;
    }

    void reset() {
        needed = 0;
        lower = 0x80;
        upper = 0xBF;
    }

    /** Whether {@code b} is entirely valid UTF-8. */
    static boolean isValid(byte[] b, int off, int len) {
        Utf8Validator v = new Utf8Validator();
        return v.feed(b, off, len) && v.complete();
    }
}
