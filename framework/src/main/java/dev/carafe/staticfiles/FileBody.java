package dev.carafe.staticfiles;

import java.io.IOException;
import java.io.InputStream;

/**
 * The source of a file reply: what conditional, range and gzip handling need to know about a
 * file (from a folder or the classpath) without holding its bytes.
 *
 * @param name         the file's name, for its content type
 * @param length       its size in bytes
 * @param lastModified its modification time, epoch milliseconds (0 when unknown)
 * @param opener       opens the content from the start, once per response
 * @param cacheKey     identifies the file across requests, for the compressed-bytes cache
 */
public record FileBody(String name, long length, long lastModified, Opener opener, String cacheKey) {
    /** Opens the file's content. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /**
     * The entity tag of the plain content: size and modification time, as nginx does. Cheap (no
     * hashing of content) and it changes whenever an edit changes either.
     */
    String etag() {
        return "\"" + Long.toHexString(length) + "-" + Long.toHexString(lastModified) + "\"";
    }

    /** The entity tag of the gzip-compressed content: a different representation needs its own tag. */
    String gzipEtag() {
        return "\"" + Long.toHexString(length) + "-" + Long.toHexString(lastModified) + "-gzip\"";
    }
}
