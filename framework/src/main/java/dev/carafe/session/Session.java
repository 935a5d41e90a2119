package dev.carafe.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The signed-cookie session of one client, like Flask's {@code session}: a small map of strings
 * that travels in a cookie, readable by the client but tamper-proof (HMAC-SHA256 with the app's
 * {@code SECRET_KEY}). Changes are written back with the response.
 *
 * <pre>{@code
 * ctx.session().put("user", "ada");
 * String user = ctx.session().get("user");
 * ctx.flash("Saved.");
 * }</pre>
 */
public final class Session {
    static final String FLASHES = "_flashes";
    private final Map<String, String> values;
    private boolean modified;

    Session(Map<String, String> values) {
        this.values = new LinkedHashMap<>(values);
    }

    /** The value of {@code key}, or {@code null}. */
    public String get(String key) {
        return values.get(key);
    }

    public Session put(String key, String value) {
        if (!value.equals(values.put(key, value))) modified = true;
        return this;
    }

    public Session remove(String key) {
        if (values.remove(key) != null) modified = true;
        return this;
    }

    /** Empties the session (log out). */
    public void clear() {
        if (!values.isEmpty()) modified = true;
        values.clear();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** A read-only view of every entry. */
    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }

    boolean modified() {
        return modified;
    }

    Map<String, String> values() {
        return values;
    }

    /** Queues a message for the next request that calls {@link #takeFlashes()}. */
    public void flash(String category, String message) {
        String entry = category.replace("\u001f", "") + "\u001f" + message.replace("\u001e", "");
        String current = values.get(FLASHES);
        put(FLASHES, current == null ? entry : current + "\u001e" + entry);
    }

    /** Removes and returns the queued flash messages. */
    public List<Flash> takeFlashes() {
        String raw = values.get(FLASHES);
        if (raw == null) return List.of();
        remove(FLASHES);
        List<Flash> out = new ArrayList<>();
        for (String entry : raw.split("\u001e")) {
            int sep = entry.indexOf('\u001f');
            out.add(sep < 0 ? new Flash("message", entry) : new Flash(entry.substring(0, sep), entry.substring(sep + 1)));
        }
        return out;
    }

    /** A flashed message and its category ({@code message} unless given, e.g. {@code error}). */
    public record Flash(String category, String message) {}
}
