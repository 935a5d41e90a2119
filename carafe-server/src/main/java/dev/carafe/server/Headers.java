package dev.carafe.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * An ordered, case-insensitive multi-map of HTTP header fields.
 *
 * <p>Kept as one array of alternating names and values rather than a hash map: requests carry a
 * dozen fields or fewer, a linear scan over them beats hashing every name, and every request
 * allocates one array instead of two or a map's nodes.
 *
 * <pre>{@code
 * Headers h = new Headers();
 * h.add("Set-Cookie", "a=1");
 * h.add("Set-Cookie", "b=2");
 * h.set("Content-Type", "text/plain");
 * h.get("content-type");      // "text/plain"
 * h.all("set-cookie");        // ["a=1", "b=2"]
 * }</pre>
 *
 * <p>Not thread-safe: a request's or response's headers belong to the thread handling it.
 */
public final class Headers {
    private String[] fields; // name, value, name, value, ...
    private int size;

    /** Creates an empty header map. */
    public Headers() {
        this(8);
    }

    /** Creates an empty header map with room for {@code capacity} fields. */
    public Headers(int capacity) {
        fields = new String[2 * Math.max(capacity, 1)];
    }

    /** The number of fields, counting each repeated name once per occurrence. */
    public int size() {
        return size;
    }

    /** The name of the field at {@code index}, as it was spelled when added. */
    public String name(int index) {
        return fields[2 * index];
    }

    /** The value of the field at {@code index}. */
    public String value(int index) {
        return fields[2 * index + 1];
    }

    /** The first value of the field {@code name}, or {@code null} when absent. */
    public String get(String name) {
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) return fields[2 * i + 1];
        }
        return null;
    }

    /** Whether a field named {@code name} is present. */
    public boolean has(String name) {
        return get(name) != null;
    }

    /** How many fields are named {@code name}. */
    public int count(String name) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) n++;
        }
        return n;
    }

    /** Every value of the field {@code name}, in order; empty when absent. */
    public List<String> all(String name) {
        List<String> found = new ArrayList<>(2);
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) found.add(fields[2 * i + 1]);
        }
        return found;
    }

    /**
     * Whether the comma-separated field {@code name} lists {@code token}, ignoring case and
     * whitespace: {@code hasToken("Connection", "close")} for {@code Connection: keep-alive, Close}.
     */
    public boolean hasToken(String name, String token) {
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name) && listContains(fields[2 * i + 1], token)) return true;
        }
        return false;
    }

    private static boolean listContains(String list, String token) {
        int start = 0;
        while (start <= list.length()) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? list.length() : comma;
            if (list.substring(start, end).strip().equalsIgnoreCase(token)) return true;
            if (comma < 0) return false;
            start = comma + 1;
        }
        return false;
    }

    /** Appends a field, keeping any others of the same name. Returns this map. */
    public Headers add(String name, String value) {
        if (2 * size == fields.length) fields = Arrays.copyOf(fields, fields.length * 2);
        fields[2 * size] = name;
        fields[2 * size + 1] = value;
        size++;
        return this;
    }

    /** Replaces every field named {@code name} with one holding {@code value}. Returns this map. */
    public Headers set(String name, String value) {
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                fields[2 * i + 1] = value;
                removeFrom(name, i + 1);
                return this;
            }
        }
        return add(name, value);
    }

    /** Removes every field named {@code name}. Returns this map. */
    public Headers remove(String name) {
        removeFrom(name, 0);
        return this;
    }

    private void removeFrom(String name, int from) {
        int kept = from;
        for (int i = from; i < size; i++) {
            if (!fields[2 * i].equalsIgnoreCase(name)) {
                fields[2 * kept] = fields[2 * i];
                fields[2 * kept + 1] = fields[2 * i + 1];
                kept++;
            }
        }
        Arrays.fill(fields, 2 * kept, 2 * size, null);
        size = kept;
    }

    /** Removes every field. */
    public void clear() {
        Arrays.fill(fields, 0, 2 * size, null);
        size = 0;
    }

    /** Calls {@code action} with each name and value, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) action.accept(fields[2 * i], fields[2 * i + 1]);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) sb.append(fields[2 * i]).append(": ").append(fields[2 * i + 1]).append('\n');
        return sb.toString();
    }
}
