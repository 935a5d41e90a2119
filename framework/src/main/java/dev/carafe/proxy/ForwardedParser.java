package dev.carafe.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code Forwarded} header of RFC 7239: comma-separated elements, each of
 * {@code name=value} pairs separated by {@code ;}, values a token or a quoted string.
 */
final class ForwardedParser {
    private ForwardedParser() {}

    /** The elements of all {@code Forwarded} lines in order, or null when any is malformed (then none is believed). */
    static List<Map<String, String>> parse(List<String> lines) {
        List<Map<String, String>> elements = new ArrayList<>();
        for (String line : lines) {
            int i = 0, n = line.length();
            Map<String, String> element = new HashMap<>();
            while (true) {
                i = skipSpace(line, i);
                int nameStart = i;
                while (i < n && isTokenChar(line.charAt(i))) i++;
                if (i == nameStart || i >= n || line.charAt(i) != '=') return null;
                String name = line.substring(nameStart, i).toLowerCase(Locale.ROOT);
                i++;
                StringBuilder value = new StringBuilder();
                if (i < n && line.charAt(i) == '"') {
                    for (i++; ; i++) {
                        if (i >= n) return null;
                        char c = line.charAt(i);
                        if (c == '"') break;
                        if (c == '\\') {
                            if (++i >= n) return null;
                            c = line.charAt(i);
                        }
                        if (c < 0x20 && c != '\t' || c == 0x7f) return null;
                        value.append(c);
                    }
                    i++;
                } else {
                    int start = i;
                    while (i < n && isTokenChar(line.charAt(i))) i++;
                    if (i == start) return null;
                    value.append(line, start, i);
                }
                if (element.putIfAbsent(name, value.toString()) != null) return null; // a parameter twice
                i = skipSpace(line, i);
                if (i >= n) {
                    elements.add(element);
                    break;
                }
                char sep = line.charAt(i++);
                if (sep == ',') {
                    elements.add(element);
                    element = new HashMap<>();
                } else if (sep != ';') {
                    return null;
                }
            }
        }
        return elements;
    }

    /**
     * The address of a {@code for=} node: {@code 192.0.2.60}, {@code "192.0.2.60:4711"},
     * {@code "[2001:db8::1]:4711"}. Null for {@code unknown}, obfuscated names ({@code _hidden})
     * and anything else that is not an address.
     */
    static InetSocketAddress node(String value) {
        if (value == null) return null;
        String host = value;
        int port = 0;
        int colon = value.lastIndexOf(':');
        boolean bracketed = value.startsWith("[");
        if (bracketed ? colon > value.indexOf(']') : colon >= 0 && value.indexOf(':') == colon) {
            String p = value.substring(colon + 1);
            host = value.substring(0, colon);
            if (!p.matches("[0-9]{1,5}") || Integer.parseInt(p) > 65535) return null; // includes _obfuscated ports
            port = Integer.parseInt(p);
        }
        if (!bracketed && host.indexOf(':') >= 0) return null; // RFC 7239 requires brackets around IPv6
        InetAddress address = IpLiteral.parse(host);
        return address == null ? null : new InetSocketAddress(address, port);
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
        return i;
    }

    private static boolean isTokenChar(char c) {
        return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
}
