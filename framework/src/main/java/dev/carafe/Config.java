package dev.carafe;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The app's settings, in layers where each overrides the one before: defaults set in code
 * ({@link #setDefault}), then a properties file, then environment variables named
 * {@code CARAFE_<KEY>}.
 *
 * <p>The properties file is {@code carafe.properties} on the classpath, then in the working
 * directory, or the file named by the environment variable {@code CARAFE_CONFIG}.
 *
 * <pre>{@code
 * app.config().setDefault("PAGE_SIZE", "20");
 * int pageSize = app.config().getInt("PAGE_SIZE", 20);  // CARAFE_PAGE_SIZE=50 wins
 * }</pre>
 */
public final class Config {
    private final Map<String, String> defaults = new TreeMap<>();
    private final Map<String, String> file = new TreeMap<>();
    private final Map<String, String> env;

    /** Loads the file and environment layers from the process's environment. */
    public static Config load() {
        return new Config(System.getenv(), Thread.currentThread().getContextClassLoader());
    }

    /** A config over an explicit environment (for tests). */
    public Config(Map<String, String> environment, ClassLoader loader) {
        this.env = new TreeMap<>();
        for (Map.Entry<String, String> e : environment.entrySet()) { // no forEach lambda: one class less to spin at startup
            String k = e.getKey();
            if (k.startsWith("CARAFE_") && k.length() > 7) env.put(k.substring(7), e.getValue());
        }
        try {
            if (loader != null) {
                try (InputStream in = loader.getResourceAsStream("carafe.properties")) {
                    if (in != null) readProperties(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                }
            }
            Path local = Path.of(environment.getOrDefault("CARAFE_CONFIG", "carafe.properties"));
            if (Files.isRegularFile(local)) {
                try (Reader r = Files.newBufferedReader(local)) {
                    readProperties(r);
                }
            } else if (environment.containsKey("CARAFE_CONFIG")) {
                throw new IllegalStateException("CARAFE_CONFIG names a file that does not exist: " + local.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read configuration: " + e.getMessage(), e);
        }
    }

    private void readProperties(Reader r) throws IOException {
        Properties p = new Properties();
        p.load(r);
        p.forEach((k, v) -> file.put(k.toString(), v.toString()));
    }

    /** Sets the code-level default for {@code key}; the file and the environment still override it. */
    public Config setDefault(String key, String value) {
        defaults.put(key, value);
        return this;
    }

    /** The value of {@code key}, or {@code null}. */
    public String get(String key) {
        String v = env.get(key);
        if (v == null) v = file.get(key);
        if (v == null) v = defaults.get(key);
        return v;
    }

    /** The value of {@code key}, or {@code fallback}. */
    public String get(String key, String fallback) {
        String v = get(key);
        return v == null ? fallback : v;
    }

    /** Whether {@code key} has a value in any layer. */
    public boolean has(String key) {
        return get(key) != null;
    }

    public int getInt(String key, int fallback) {
        String v = get(key);
        try {
            return v == null ? fallback : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw bad(key, v, "an integer");
        }
    }

    public long getLong(String key, long fallback) {
        String v = get(key);
        try {
            return v == null ? fallback : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw bad(key, v, "an integer");
        }
    }

    /** {@code true/1/yes/on} or {@code false/0/no/off}, any case. */
    public boolean getBoolean(String key, boolean fallback) {
        String v = get(key);
        if (v == null) return fallback;
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off", "" -> false;
            default -> throw bad(key, v, "a boolean (true/false)");
        };
    }

    /** A duration: ISO-8601 ({@code PT30S}) or a number with {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}. */
    public Duration getDuration(String key, Duration fallback) {
        String v = get(key);
        if (v == null) return fallback;
        String s = v.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (s.startsWith("p")) return Duration.parse(v.trim());
            if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw bad(key, v, "a duration like 30s");
            };
        } catch (RuntimeException e) {
            throw bad(key, v, "a duration like 30s, 500ms or PT1M");
        }
    }

    private static IllegalStateException bad(String key, String value, String expected) {
        return new IllegalStateException("Config " + key + "=" + value + " is not " + expected);
    }
}
