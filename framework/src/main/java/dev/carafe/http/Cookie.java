package dev.carafe.http;

import java.time.Duration;

/**
 * A cookie to set on the response, with the attributes browsers honour. Immutable; the
 * {@code with…} methods return changed copies. Secure defaults: {@code HttpOnly},
 * {@code SameSite=Lax}, path {@code /}.
 *
 * <pre>{@code
 * ctx.cookie(Cookie.of("theme", "dark").maxAge(Duration.ofDays(30)).secure(true));
 * }</pre>
 */
public record Cookie(String name, String value, String path, String domain, Duration maxAge, boolean secure,
                     boolean httpOnly, String sameSite) {

    public Cookie {
        if (name == null || name.isEmpty() || !name.chars().allMatch(Cookie::isTokenChar)) {
            throw new IllegalArgumentException("Invalid cookie name: " + name);
        }
        if (value == null || !value.chars().allMatch(c -> c == 0x21 || c >= 0x23 && c <= 0x2B || c >= 0x2D && c <= 0x3A
                || c >= 0x3C && c <= 0x5B || c >= 0x5D && c <= 0x7E)) {
            throw new IllegalArgumentException("Invalid cookie value for " + name + " (encode it first, e.g. URL-safe Base64)");
        }
        if (sameSite != null && !sameSite.matches("Strict|Lax|None")) {
            throw new IllegalArgumentException("SameSite must be Strict, Lax or None: " + sameSite);
        }
    }

    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    /**
     * The cookies a client sent, by name, from its {@code Cookie} header values: the first of a
     * repeated name wins (the most specific path, as browsers order them); quotes around a value
     * are removed; pairs without a name are skipped.
     */
    public static java.util.Map<String, String> parse(Iterable<String> headerValues) {
        java.util.Map<String, String> cookies = new java.util.LinkedHashMap<>();
        for (String header : headerValues) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? "" : pair.substring(0, eq).trim();
                if (name.isEmpty()) continue; // "; =x" too, not only "=x": a pair without a name is no cookie
                String value = pair.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                cookies.putIfAbsent(name, value);
            }
        }
        return cookies;
    }

    /** A session cookie ({@code HttpOnly}, {@code SameSite=Lax}, path {@code /}). */
    public static Cookie of(String name, String value) {
        return new Cookie(name, value, "/", null, null, false, true, "Lax");
    }

    public Cookie path(String path) { return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, sameSite); }
    public Cookie domain(String domain) { return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, sameSite); }
    public Cookie maxAge(Duration maxAge) { return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, sameSite); }
    public Cookie secure(boolean secure) { return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, sameSite); }
    public Cookie httpOnly(boolean httpOnly) { return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, sameSite); }
    public Cookie sameSite(String sameSite) { return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, sameSite); }

    /** A cookie that makes the browser delete {@code name}. */
    public static Cookie expired(String name) {
        return new Cookie(name, "", "/", null, Duration.ZERO, false, true, "Lax");
    }

    /** The {@code Set-Cookie} header value. */
    public String toHeader() {
        StringBuilder sb = new StringBuilder(name).append('=').append(value);
        if (path != null) sb.append("; Path=").append(path);
        if (domain != null) sb.append("; Domain=").append(domain);
        if (maxAge != null) {
            sb.append("; Max-Age=").append(maxAge.toSeconds());
            if (maxAge.isZero()) sb.append("; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
        }
        if (secure || "None".equals(sameSite)) sb.append("; Secure");
        if (httpOnly) sb.append("; HttpOnly");
        if (sameSite != null) sb.append("; SameSite=").append(sameSite);
        return sb.toString();
    }
}
