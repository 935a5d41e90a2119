package dev.carafe.http;

import java.util.Locale;
import java.util.Map;

/**
 * Content types by file extension, for static files and {@link Reply#file}. Text types carry
 * {@code charset=utf-8}; unknown extensions are {@code application/octet-stream}, which browsers
 * download rather than render (with {@code nosniff}, they don't guess either).
 *
 * <pre>{@code
 * MimeTypes.of("app.js");        // text/javascript; charset=utf-8
 * MimeTypes.compressible("image/png");  // false: already compressed
 * }</pre>
 */
public final class MimeTypes {
    private MimeTypes() {}

    private static final String UTF8 = "; charset=utf-8";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("html", "text/html" + UTF8), Map.entry("htm", "text/html" + UTF8),
            Map.entry("css", "text/css" + UTF8), Map.entry("js", "text/javascript" + UTF8),
            Map.entry("mjs", "text/javascript" + UTF8), Map.entry("json", "application/json"),
            Map.entry("map", "application/json"), Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("txt", "text/plain" + UTF8), Map.entry("md", "text/markdown" + UTF8),
            Map.entry("csv", "text/csv" + UTF8), Map.entry("xml", "application/xml"),
            Map.entry("rss", "application/rss+xml"), Map.entry("atom", "application/atom+xml"),
            Map.entry("yaml", "application/yaml"), Map.entry("yml", "application/yaml"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"), Map.entry("ico", "image/x-icon"), Map.entry("bmp", "image/bmp"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"), Map.entry("eot", "application/vnd.ms-fontobject"),
            Map.entry("wasm", "application/wasm"), Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"),
            Map.entry("tar", "application/x-tar"), Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("ogg", "audio/ogg"), Map.entry("wav", "audio/wav"),
            Map.entry("jar", "application/java-archive"));

    /** The content type for {@code filename}, judged by its extension. */
    public static String of(String filename) {
        int slash = filename.lastIndexOf('/');
        int dot = filename.lastIndexOf('.');
        if (dot <= slash + 1) return "application/octet-stream"; // no extension, or a dotfile
        return BY_EXTENSION.getOrDefault(filename.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
    }

    /** {@code application/json} or any {@code +json} type: never sent cross-site without a CORS preflight. */
    public static boolean isJson(String contentType) {
        if (contentType == null) return false;
        String base = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return base.equals("application/json") || base.startsWith("application/") && base.endsWith("+json");
    }

    /** Whether gzip pays off for {@code contentType}: text and text-like formats, not images, fonts or archives that are compressed already. */
    public static boolean compressible(String contentType) {
        if (contentType == null) return false;
        String t = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return t.startsWith("text/") || t.endsWith("+json") || t.endsWith("+xml") || t.equals("application/json")
                || t.equals("application/xml") || t.equals("application/javascript") || t.equals("application/wasm")
                || t.equals("application/yaml") || t.equals("image/x-icon") || t.equals("image/bmp")
                || t.equals("font/ttf") || t.equals("font/otf") || t.equals("application/vnd.ms-fontobject");
    }
}
