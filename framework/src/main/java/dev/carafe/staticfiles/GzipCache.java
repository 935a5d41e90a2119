package dev.carafe.staticfiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Compressed bytes of small files, so each is gzipped once rather than on every request. Keyed by
 * file and entity tag, so an edited file gets a new entry; least recently used entries go first
 * once the total passes the budget.
 *
 * <p>One cache serves the whole process (every app, static folder and {@code Reply.file}), so a
 * dev-mode reload does not throw away what the previous generation compressed.
 */
final class GzipCache {
    /** The process's cache: 32 MiB of compressed bytes. */
    static final GzipCache SHARED = new GzipCache(32L << 20);

    /** Files larger than this are sent uncompressed: compressing them per request costs too much CPU, caching them too much memory. */
    static final long MAX_FILE_BYTES = 1 << 20;
    /** Below this, gzip's header and trailer eat the savings. */
    static final long MIN_FILE_BYTES = 256;
    /** Marks a file gzip does not shrink, so it is not tried again. */
    private static final byte[] NOT_SMALLER = {};

    private final long budget;
    private long used;
    private final LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>(64, 0.75f, true);

    GzipCache(long budgetBytes) {
        this.budget = budgetBytes;
    }

    /** The compressed content of {@code body}, or {@code null} when compression does not make it smaller. */
    byte[] get(FileBody body, boolean useCache) throws IOException {
        String key = body.cacheKey() + "#" + body.etag();
        if (useCache) {
            synchronized (this) {
                byte[] hit = entries.get(key);
                if (hit != null) return hit == NOT_SMALLER ? null : hit;
            }
        }
        // Compressed outside the lock; two requests racing for a new file both compress it, which is harmless.
        byte[] compressed = compress(body, useCache ? Deflater.BEST_COMPRESSION : Deflater.DEFAULT_COMPRESSION);
        byte[] entry = compressed.length < body.length() ? compressed : NOT_SMALLER;
        if (useCache) put(key, entry);
        return entry == NOT_SMALLER ? null : entry;
    }

    private synchronized void put(String key, byte[] value) {
        byte[] old = entries.put(key, value);
        used += value.length - (old == null ? 0 : old.length);
        var it = entries.entrySet().iterator();
        while (used > budget && it.hasNext()) {
            Map.Entry<String, byte[]> eldest = it.next();
            used -= eldest.getValue().length;
            it.remove();
        }
    }

    private static byte[] compress(FileBody body, int level) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(64, body.length() / 3));
        try (InputStream in = body.opener().open();
             GZIPOutputStream gz = new GZIPOutputStream(out, 8192) {{ def.setLevel(level); }}) {
            in.transferTo(gz);
        }
        return out.toByteArray();
    }
}
