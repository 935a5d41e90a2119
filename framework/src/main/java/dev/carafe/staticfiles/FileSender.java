package dev.carafe.staticfiles;

import dev.carafe.Context;
import dev.carafe.Reply;
import dev.carafe.http.MimeTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Sends a file reply the way HTTP caches and download managers expect, just before it is written:
 * conditional requests (RFC 9110 §13, evaluated in the RFC's order: {@code If-Match},
 * {@code If-Unmodified-Since}, {@code If-None-Match}, {@code If-Modified-Since}) answered with
 * {@code 304}/{@code 412}; a single byte range with {@code 206} ({@code 416} when unsatisfiable,
 * ignored when {@code If-Range} does not match); gzip when the client accepts it and the type
 * compresses.
 *
 * <p>Several ranges in one request get the whole file with {@code 200}, as RFC 9110 allows: it
 * keeps multipart/byteranges (and the overlapping-ranges amplification it invites) out. A range
 * request is always answered from the uncompressed file.
 */
public final class FileSender {
    private FileSender() {}

    /** IMF-fixdate, the only date format HTTP senders may generate. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    static String httpDate(long epochMillis) {
        return HTTP_DATE.format(Instant.ofEpochMilli(epochMillis));
    }

    /** An HTTP date in seconds since the epoch, or -1 when it is not a valid IMF-fixdate (or RFC 1123 date). */
    static long parseHttpDate(String value) {
        if (value == null) return -1;
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    /** Sets the headers every file reply carries; called by {@link Reply#file(FileBody)} when the reply is made. */
    public static void describe(Reply reply, FileBody body) {
        String type = MimeTypes.of(body.name());
        reply.contentType(type);
        reply.header("ETag", body.etag());
        if (body.lastModified() > 0) reply.header("Last-Modified", httpDate(body.lastModified()));
        reply.header("Accept-Ranges", "bytes");
        reply.header("X-Content-Type-Options", "nosniff");
        if (MimeTypes.compressible(type)) reply.header("Vary", "Accept-Encoding");
    }

    /**
     * Turns a file reply into the response this request should get; the request pipeline calls it
     * after the hooks, just before writing.
     */
    public static Reply negotiate(Context ctx, Reply reply) throws IOException {
        FileBody body = reply.file();
        String method = ctx.method();
        boolean head = method.equals("HEAD");
        if (reply.status() != 200 || !(head || method.equals("GET"))) {
            return whole(reply, body, head);
        }
        boolean compressible = MimeTypes.compressible(reply.headers().get("Content-Type"));
        long modifiedSeconds = body.lastModified() / 1000;

        String ifMatch = ctx.header("If-Match");
        if (ifMatch != null && !matches(ifMatch, body, compressible, true)) return precondition(ctx, reply);
        long ius = ifMatch == null ? parseHttpDate(ctx.header("If-Unmodified-Since")) : -1;
        if (ius >= 0 && body.lastModified() > 0 && modifiedSeconds > ius) return precondition(ctx, reply);

        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, body, compressible, false)) return notModified(reply, body, ctx, compressible);
        } else {
            long ims = parseHttpDate(ctx.header("If-Modified-Since"));
            if (ims >= 0 && body.lastModified() > 0 && modifiedSeconds <= ims) return notModified(reply, body, ctx, compressible);
        }

        String range = ctx.header("Range");
        if (range != null && body.length() > 0 && ifRangeHolds(ctx.header("If-Range"), body)) {
            long[] r = parseRange(range, body.length());
            if (r == UNSATISFIABLE) {
                Reply refused = Reply.defaultError(ctx, 416, "The requested range is not satisfiable");
                refused.header("Content-Range", "bytes */" + body.length());
                copyCaching(reply, refused);
                return refused;
            }
            if (r != null) {
                long start = r[0], end = r[1];
                reply.status(206).header("Content-Range", "bytes " + start + "-" + end + "/" + body.length());
                reply.body(head ? out -> {} : out -> copy(body, start, end - start + 1, out), end - start + 1);
                return reply;
            }
        }

        if (compressible && body.length() >= GzipCache.MIN_FILE_BYTES && body.length() <= GzipCache.MAX_FILE_BYTES
                && acceptsGzip(ctx.header("Accept-Encoding"))) {
            byte[] gz = GzipCache.SHARED.get(body, !ctx.app().debug());
            if (gz != null) {
                reply.body(gz);
                reply.header("Content-Encoding", "gzip").header("ETag", body.gzipEtag());
                return reply;
            }
        }
        return whole(reply, body, head);
    }

    private static Reply whole(Reply reply, FileBody body, boolean head) {
        reply.body(head ? out -> {} : out -> copy(body, 0, body.length(), out), body.length());
        return reply;
    }

    private static void copy(FileBody body, long start, long count, OutputStream out) throws IOException {
        try (InputStream in = body.opener().open()) {
            in.skipNBytes(start);
            byte[] buf = new byte[64 * 1024];
            long left = count;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) throw new IOException("File shrank while being sent: " + body.name());
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    private static Reply notModified(Reply reply, FileBody body, Context ctx, boolean compressible) {
        Reply r = Reply.empty().status(304);
        copyCaching(reply, r);
        // The tag of the representation this client would get, so its cache entry stays valid.
        if (compressible && acceptsGzip(ctx.header("Accept-Encoding")) && body.length() >= GzipCache.MIN_FILE_BYTES
                && body.length() <= GzipCache.MAX_FILE_BYTES && ctx.header("If-None-Match") != null
                && ctx.header("If-None-Match").contains(body.gzipEtag())) {
            r.header("ETag", body.gzipEtag());
        }
        return r;
    }

    private static Reply precondition(Context ctx, Reply reply) {
        Reply r = Reply.defaultError(ctx, 412, "A precondition of the request does not hold");
        copyCaching(reply, r);
        return r;
    }

    /** What a 304 (RFC 9110 §15.4.5) or error must still carry: validators, caching headers and cookies. */
    private static void copyCaching(Reply from, Reply to) {
        var h = from.headers();
        for (int i = 0; i < h.size(); i++) {
            String name = h.name(i);
            if (name.equalsIgnoreCase("ETag") || name.equalsIgnoreCase("Last-Modified") || name.equalsIgnoreCase("Cache-Control")
                    || name.equalsIgnoreCase("Expires") || name.equalsIgnoreCase("Vary")) {
                to.header(name, h.value(i));
            } else if (name.equalsIgnoreCase("Set-Cookie")) {
                to.headers().add(name, h.value(i));
            }
        }
    }

    /**
     * Whether an {@code If-Match}/{@code If-None-Match} list names this file: {@code *}, or a tag of
     * either representation. {@code If-Match} compares strongly (a weak tag never matches),
     * {@code If-None-Match} weakly.
     */
    static boolean matches(String header, FileBody body, boolean compressible, boolean strong) {
        if (header.trim().equals("*")) return true;
        for (String tag : header.split(",")) {
            tag = tag.trim();
            if (tag.startsWith("W/")) {
                if (strong) continue;
                tag = tag.substring(2);
            }
            if (tag.equals(body.etag()) || compressible && tag.equals(body.gzipEtag())) return true;
        }
        return false;
    }

    /** {@code If-Range} holds when absent, or when it names the current (strong) tag or the exact modification date. */
    private static boolean ifRangeHolds(String ifRange, FileBody body) {
        if (ifRange == null) return true;
        String v = ifRange.trim();
        if (v.startsWith("\"")) return v.equals(body.etag());
        if (v.startsWith("W/")) return false;
        long date = parseHttpDate(v);
        return date >= 0 && body.lastModified() > 0 && date == body.lastModified() / 1000;
    }

    static final long[] UNSATISFIABLE = {};

    /**
     * The first and last byte of a single {@code bytes} range; {@code null} when the header is to be
     * ignored (malformed, another unit, several ranges); {@link #UNSATISFIABLE} when it starts past the end.
     */
    static long[] parseRange(String header, long length) {
        String h = header.trim();
        if (h.length() < 6 || !h.regionMatches(true, 0, "bytes=", 0, 6)) return null;
        String spec = h.substring(6).trim();
        if (spec.indexOf(',') >= 0) return null;
        int dash = spec.indexOf('-');
        if (dash < 0) return null;
        String first = spec.substring(0, dash).trim(), last = spec.substring(dash + 1).trim();
        if (first.isEmpty()) {
            long suffix = number(last);
            if (suffix < 0) return null;
            if (suffix == 0) return UNSATISFIABLE;
            return new long[] {Math.max(0, length - suffix), length - 1};
        }
        long start = number(first);
        if (start < 0) return null;
        long end = length - 1;
        if (!last.isEmpty()) {
            long e = number(last);
            if (e < 0 || e < start) return null;
            end = Math.min(e, length - 1);
        }
        if (start >= length) return UNSATISFIABLE;
        return new long[] {start, end};
    }

    /** A non-negative decimal; too many digits count as "huge"; anything else is -1. */
    private static long number(String s) {
        if (s.isEmpty()) return -1;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return -1;
        return s.length() > 18 ? Long.MAX_VALUE : Long.parseLong(s);
    }

    /** Whether {@code Accept-Encoding} allows gzip: listed (or {@code *}) with a non-zero q-value. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) return false;
        Boolean star = null;
        for (String item : acceptEncoding.split(",")) {
            String[] parts = item.split(";");
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            boolean allowed = true;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.length() > 2 && p.regionMatches(true, 0, "q=", 0, 2)) {
                    try {
                        allowed = Double.parseDouble(p.substring(2).trim()) > 0;
                    } catch (NumberFormatException e) {
                        allowed = false;
                    }
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) return allowed;
            if (coding.equals("*")) star = allowed;
        }
        return star != null && star;
    }
}
