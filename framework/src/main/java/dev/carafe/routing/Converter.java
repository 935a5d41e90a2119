package dev.carafe.routing;

import java.util.UUID;

/**
 * Turns one decoded path segment into a typed value, like Flask's URL converters:
 * {@code {id:int}}, {@code {price:float}}, {@code {key:uuid}}, {@code {slug}} (string, the
 * default) and {@code {rest:path}} (the rest of the path, slashes included).
 * A segment a converter refuses simply does not match, so a bad value is a 404, never a 500.
 */
public enum Converter {
    /** Specific converters are tried before general ones at the same position. */
    INT("int"), FLOAT("float"), UUID_("uuid"), STRING("string"), PATH("path");

    private final String name;

    Converter(String name) {
        this.name = name;
    }

    /** The name used in patterns, e.g. {@code int}. */
    public String patternName() {
        return name;
    }

    /** The converter called {@code name} in a pattern. */
    public static Converter named(String name) {
        for (Converter c : values()) {
            if (c.name.equals(name)) return c;
        }
        throw new IllegalArgumentException("Unknown converter '" + name + "' (use int, float, uuid, string or path)");
    }

    /** The value of {@code segment}, or {@code null} when it does not match. */
    Object convert(String segment) {
        if (segment.isEmpty()) return null;
        switch (this) {
            case INT -> {
                if (segment.length() > 10) return null;
                long v = 0;
                for (int i = 0; i < segment.length(); i++) {
                    char c = segment.charAt(i);
                    if (c < '0' || c > '9') return null;
                    v = v * 10 + (c - '0');
                }
                return v <= Integer.MAX_VALUE ? (Object) (int) v : null;
            }
            case FLOAT -> {
                for (int i = 0; i < segment.length(); i++) {
                    char c = segment.charAt(i);
                    if ((c < '0' || c > '9') && c != '.') return null;
                }
                try {
                    return Double.parseDouble(segment);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            case UUID_ -> {
                if (segment.length() != 36) return null;
                try {
                    return UUID.fromString(segment);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            default -> {
                return segment;
            }
        }
    }
}
