package dev.carafe.server.http2;

/** HPACK's static table (RFC 7541 Appendix A): indices 1 to 61. */
final class StaticTable {
    private StaticTable() {}

    static final int SIZE = 61;

    /** Name and value of entry {@code i + 1} at {@code [2i]} and {@code [2i + 1]}. */
    private static final String[] ENTRIES = {
        ":authority", "", ":method", "GET", ":method", "POST", ":path", "/", ":path", "/index.html",
        ":scheme", "http", ":scheme", "https", ":status", "200", ":status", "204", ":status", "206",
        ":status", "304", ":status", "400", ":status", "404", ":status", "500", "accept-charset", "",
        "accept-encoding", "gzip, deflate", "accept-language", "", "accept-ranges", "", "accept", "",
        "access-control-allow-origin", "", "age", "", "allow", "", "authorization", "", "cache-control", "",
        "content-disposition", "", "content-encoding", "", "content-language", "", "content-length", "",
        "content-location", "", "content-range", "", "content-type", "", "cookie", "", "date", "", "etag", "",
        "expect", "", "expires", "", "from", "", "host", "", "if-match", "", "if-modified-since", "",
        "if-none-match", "", "if-range", "", "if-unmodified-since", "", "last-modified", "", "link", "",
        "location", "", "max-forwards", "", "proxy-authenticate", "", "proxy-authorization", "", "range", "",
        "referer", "", "refresh", "", "retry-after", "", "server", "", "set-cookie", "",
        "strict-transport-security", "", "transfer-encoding", "", "user-agent", "", "vary", "", "via", "",
        "www-authenticate", "",
    };

    static String name(int index) {
        return ENTRIES[2 * (index - 1)];
    }

    static String value(int index) {
        return ENTRIES[2 * (index - 1) + 1];
    }

    /** The index of the entry with exactly this name and value, or 0. */
    static int indexOf(String name, String value) {
        for (int i = 0; i < SIZE; i++) {
            if (ENTRIES[2 * i].equals(name) && ENTRIES[2 * i + 1].equals(value)) return i + 1;
        }
        return 0;
    }

    /** The index of the first entry with this name, or 0. */
    static int indexOfName(String name) {
        for (int i = 0; i < SIZE; i++) {
            if (ENTRIES[2 * i].equals(name)) return i + 1;
        }
        return 0;
    }
}
