package dev.carafe.routing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Finds the route for a method and path: a trie with one level per path segment, so lookup cost
 * depends on the path's length, not on how many routes exist. At each level a static segment wins
 * over a parameter, and specific converters ({@code int}, {@code float}, {@code uuid}) are tried
 * before {@code string} and {@code path}.
 *
 * <p>Two registrations that would match exactly the same requests fail at registration with a
 * message naming both.
 *
 * @param <T> what a route leads to (the framework's endpoint and its settings)
 */
public final class Router<T> {
    private final Node<T> root = new Node<>();
    /**
     * Routes without parameters by their exact path, each method's result made once: most requests
     * go to such routes, and then cost one hash lookup and no allocation. The trie tries static
     * segments first at every level, so a hit here is the match the walk would have found.
     */
    private final Map<String, Map<String, Found<T>>> exact = new HashMap<>();

    private static final Converter[] CONVERTERS = Converter.values();

    /**
     * One path segment's worth of the trie. Everything is created on first use: a thousand routes
     * make a few thousand nodes, and small nodes keep lookups in cache.
     */
    private static final class Node<T> {
        Map<String, Node<T>> statics = Map.of();
        Node<T>[] params; // indexed by Converter.ordinal(); null until a parameter follows this segment
        /** Routes ending here without a trailing slash, then with one; by method. */
        Map<String, Entry<T>> routes = Map.of();
        Map<String, Entry<T>> slashRoutes = Map.of();

        @SuppressWarnings("unchecked")
        Node<T> param(Converter c) {
            if (params == null) params = new Node[CONVERTERS.length];
            if (params[c.ordinal()] == null) params[c.ordinal()] = new Node<>();
            return params[c.ordinal()];
        }

        Node<T> child(String segment) {
            if (statics.isEmpty()) statics = new HashMap<>(4);
            return statics.computeIfAbsent(segment, k -> new Node<>());
        }

        Map<String, Entry<T>> slot(boolean slash) {
            if (slash && slashRoutes.isEmpty()) slashRoutes = new LinkedHashMap<>(2);
            if (!slash && routes.isEmpty()) routes = new LinkedHashMap<>(2);
            return slash ? slashRoutes : routes;
        }
    }

    private record Entry<T>(T target, PathPattern pattern) {}

    /** Adds a route. Throws {@link IllegalArgumentException} when it conflicts with an existing one. */
    public void add(String method, PathPattern pattern, T target) {
        Node<T> node = root;
        for (PathPattern.Segment s : pattern.segments()) {
            node = s.isParam() ? node.param(s.converter()) : node.child(s.text());
        }
        Map<String, Entry<T>> slot = node.slot(pattern.trailingSlash());
        Entry<T> existing = slot.get(method);
        if (existing != null) {
            throw new IllegalArgumentException("Ambiguous routes: " + method + " " + pattern + " matches the same requests as "
                    + method + " " + existing.pattern() + " (registered first)");
        }
        slot.put(method, new Entry<>(target, pattern));
        if (pattern.paramNames().isEmpty()) {
            exact.computeIfAbsent(pattern.toString(), k -> new HashMap<>(4)).put(method, new Found<>(target, pattern, Map.of()));
        }
    }

    /** The outcome of a lookup. */
    public sealed interface Result<T> {}

    /** A route matched: its target and the converted parameter values, by name. */
    public record Found<T>(T target, PathPattern pattern, Map<String, Object> params) implements Result<T> {}

    /** The path exists, but not for this method. */
    public record MethodNotAllowed<T>(TreeSet<String> allowed) implements Result<T> {}

    /** The path exists with a trailing slash: redirect there (308), as Flask does. */
    public record AddSlash<T>() implements Result<T> {}

    /** Nothing matches. */
    public record NotFound<T>() implements Result<T> {}

    private static final NotFound<?> NOT_FOUND = new NotFound<>();
    private static final AddSlash<?> ADD_SLASH = new AddSlash<>();

    /**
     * Looks up {@code method} on {@code rawPath} (percent-encoded, as received). HEAD falls back to
     * GET; the path's segments are decoded one by one, so an encoded slash never splits a segment.
     *
     * @throws IllegalArgumentException when the path's percent-encoding is malformed
     */
    @SuppressWarnings("unchecked")
    public Result<T> find(String method, String rawPath) {
        if (rawPath.indexOf('%') < 0) { // an encoded path is matched segment by segment, decoded
            Map<String, Found<T>> byMethod = exact.get(rawPath);
            if (byMethod != null) {
                Found<T> found = byMethod.get(method);
                if (found == null && method.equals("HEAD")) found = byMethod.get("GET");
                if (found != null) return found;
            }
        }
        boolean trailing = rawPath.length() > 1 && rawPath.endsWith("/");
        String[] segs = split(rawPath, trailing);
        Object[] values = new Object[segs.length];
        Search<T> search = new Search<>(method, segs, values, trailing);
        search.walk(root, 0, 0);
        if (search.found != null) {
            Map<String, Object> params = Map.of();
            List<String> names = search.found.pattern().paramNames();
            if (!names.isEmpty()) {
                params = new HashMap<>(names.size() * 2);
                for (int i = 0; i < names.size(); i++) params.put(names.get(i), values[i]);
            }
            return new Found<>(search.found.target(), search.found.pattern(), params);
        }
        if (search.allowed != null) return new MethodNotAllowed<>(search.allowed);
        if (search.slashExists) return (Result<T>) ADD_SLASH;
        return (Result<T>) NOT_FOUND;
    }

    /** Depth-first walk that records, besides the first full match, what a miss should report. */
    private static final class Search<T> {
        final String method;
        final String[] segs;
        final Object[] values;
        final boolean trailing;
        Entry<T> found;
        TreeSet<String> allowed;
        boolean slashExists;

        Search(String method, String[] segs, Object[] values, boolean trailing) {
            this.method = method;
            this.segs = segs;
            this.values = values;
            this.trailing = trailing;
        }

        /** Returns true when {@link #found} is set. {@code p} counts parameters bound so far. */
        boolean walk(Node<T> node, int i, int p) {
            if (i == segs.length) return arrive(node);
            Node<T> next = node.statics.get(segs[i]);
            if (next != null && walk(next, i + 1, p)) return true;
            if (node.params == null) return false;
            for (Converter c : CONVERTERS) {
                Node<T> child = node.params[c.ordinal()];
                if (child == null) continue;
                if (c == Converter.PATH) {
                    String rest = String.join("/", java.util.Arrays.copyOfRange(segs, i, segs.length));
                    if (rest.isEmpty() || rest.startsWith("/")) continue;
                    if (trailing) rest += "/";
                    values[p] = rest;
                    if (arriveAll(child)) return true;
                    continue;
                }
                Object v = c.convert(segs[i]);
                if (v == null) continue;
                values[p] = v;
                if (walk(child, i + 1, p + 1)) return true;
            }
            return false;
        }

        private boolean arrive(Node<T> node) {
            Map<String, Entry<T>> slot = trailing ? node.slashRoutes : node.routes;
            if (!trailing && slot.isEmpty() && !node.slashRoutes.isEmpty()) slashExists = true;
            return pick(slot);
        }

        /** A path parameter swallows the trailing slash, so both kinds of route end here. */
        private boolean arriveAll(Node<T> node) {
            return pick(node.routes);
        }

        private boolean pick(Map<String, Entry<T>> slot) {
            if (slot.isEmpty()) return false;
            Entry<T> e = slot.get(method);
            if (e == null && method.equals("HEAD")) e = slot.get("GET");
            if (e != null) {
                found = e;
                return true;
            }
            if (allowed == null) allowed = new TreeSet<>();
            allowed.addAll(slot.keySet());
            return false;
        }
    }

    private static final String[] NO_SEGMENTS = {};

    /** Splits and percent-decodes the path's segments. */
    private static String[] split(String rawPath, boolean trailing) {
        int end = trailing ? rawPath.length() - 1 : rawPath.length();
        if (end <= 1) return NO_SEGMENTS;
        int count = 1;
        for (int i = 1; i < end; i++) if (rawPath.charAt(i) == '/') count++;
        String[] out = new String[count];
        for (int n = 0, start = 1; n < count; n++) {
            int slash = rawPath.indexOf('/', start);
            if (slash < 0 || slash > end) slash = end;
            out[n] = decode(rawPath, start, slash);
            start = slash + 1;
        }
        return out;
    }

    /** Percent-decodes {@code s[from..to)} as UTF-8. */
    static String decode(String s, int from, int to) {
        int pct = s.indexOf('%', from);
        if (pct < 0 || pct >= to) return s.substring(from, to);
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= to) throw new IllegalArgumentException("Malformed percent-encoding in path");
                int hi = Character.digit(s.charAt(i + 1), 16), lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw new IllegalArgumentException("Malformed percent-encoding in path");
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Every route, in registration order within each level: method, pattern and target. */
    public List<Listing<T>> list() {
        List<Listing<T>> all = new ArrayList<>();
        collect(root, all);
        return all;
    }

    /** One line of {@link #list()}. */
    public record Listing<T>(String method, PathPattern pattern, T target) {}

    private static <T> void collect(Node<T> node, List<Listing<T>> out) {
        node.routes.forEach((m, e) -> out.add(new Listing<>(m, e.pattern(), e.target())));
        node.slashRoutes.forEach((m, e) -> out.add(new Listing<>(m, e.pattern(), e.target())));
        node.statics.values().forEach(n -> collect(n, out));
        if (node.params != null) for (Node<T> n : node.params) if (n != null) collect(n, out);
    }
}
