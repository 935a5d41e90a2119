package dev.carafe.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses IP address literals only. {@code InetAddress.getByName} would look a name up in DNS, so a
 * forwarded header saying {@code for=evil.example} must never reach it: only text made of the
 * characters of an address literal does.
 */
final class IpLiteral {
    private IpLiteral() {}

    /** The address {@code s} spells (IPv4 dotted quad, or IPv6 with or without brackets), or null. */
    static InetAddress parse(String s) {
        if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
        if (s.isEmpty() || s.length() > 45) return null;
        boolean v6 = s.indexOf(':') >= 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= '0' && c <= '9' || c == '.' || v6 && (c == ':' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
            if (!ok) return null;
        }
        if (!v6 && !dottedQuad(s)) return null;
        try {
            return InetAddress.getByName(s); // a literal: parsed, never resolved
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean dottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) return false;
        }
        return true;
    }
}
