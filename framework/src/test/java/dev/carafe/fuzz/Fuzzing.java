package dev.carafe.fuzz;

import java.util.List;
import java.util.Map;

/** What the framework's fuzz targets share. */
final class Fuzzing {
    private Fuzzing() {}

    /** A map of lists as unambiguous text: each name and value escaped, one field per line. */
    static String describe(Map<String, List<String>> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, vs) -> {
            for (String v : vs) sb.append(escape(k)).append('=').append(escape(v)).append('\n');
        });
        return sb.toString();
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '\\' || c == '=') sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }
}
