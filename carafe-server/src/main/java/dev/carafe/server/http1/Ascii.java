package dev.carafe.server.http1;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Byte classes from RFC 9110 §5.6 and RFC 3986, as lookup tables for the parser's hot loops. */
final class Ascii {
    private Ascii() {}

    static final byte CR = '\r', LF = '\n', SP = ' ', HT = '\t';

    /** tchar: the characters of a token (method, header name, transfer coding). */
    private static final boolean[] TOKEN = new boolean[256];
    /** Bytes allowed in a request target: visible ASCII except {@code #}. */
    private static final boolean[] TARGET = new boolean[256];
    /** Bytes allowed in a field value: HTAB, SP, VCHAR and obs-text; never CTLs such as NUL or CR. */
    private static final boolean[] FIELD_VALUE = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) TOKEN[c] = true;
        for (int c = 'a'; c <= 'z'; c++) TOKEN[c] = true;
        for (int c = 'A'; c <= 'Z'; c++) TOKEN[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TOKEN[c] = true;
        for (int c = 0x21; c <= 0x7e; c++) TARGET[c] = c != '#';
        FIELD_VALUE[HT] = true;
        for (int c = 0x20; c <= 0x7e; c++) FIELD_VALUE[c] = true;
        for (int c = 0x80; c <= 0xff; c++) FIELD_VALUE[c] = true;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L, HIGHS = 0x8080808080808080L;

    /**
     * Index of the first LF in {@code b[from, to)}, or -1. Eight bytes a step: a word XOR LF has a
     * zero byte where LF was, and {@code (x - ONES) & ~x & HIGHS} flags the lowest zero byte exactly.
     */
    static int indexOfLf(byte[] b, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i) ^ (LF * ONES);
            long zero = (x - ONES) & ~x & HIGHS;
            if (zero != 0) return i + (Long.numberOfTrailingZeros(zero) >>> 3);
        }
        for (; i < to; i++) {
            if (b[i] == LF) return i;
        }
        return -1;
    }

    static boolean isToken(byte b) {
        return TOKEN[b & 0xff];
    }

    static boolean isTarget(byte b) {
        return TARGET[b & 0xff];
    }

    static boolean isFieldValue(byte b) {
        return FIELD_VALUE[b & 0xff];
    }

    /** The value of hex digit {@code b}, or -1. */
    static int hexValue(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        if (b >= 'A' && b <= 'F') return b - 'A' + 10;
        return -1;
    }

    /** Whether {@code bytes[from..from+len)} equals {@code lowerAscii} ignoring ASCII case. */
    static boolean equalsIgnoreCase(byte[] bytes, int from, int len, String lowerAscii) {
        if (len != lowerAscii.length()) return false;
        for (int i = 0; i < len; i++) {
            int b = bytes[from + i];
            if (b >= 'A' && b <= 'Z') b += 32;
            if (b != lowerAscii.charAt(i)) return false;
        }
        return true;
    }
}
