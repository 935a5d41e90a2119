package dev.carafe.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file from a multipart form, already streamed to a temporary file on disk (never held in
 * memory). The temporary file is deleted when the request ends: {@link #saveTo(Path)} keeps it.
 *
 * @param field       the form field name
 * @param filename    the client's file name, reduced to its last path element (never trust it as a path)
 * @param contentType the declared type, e.g. {@code image/png}
 * @param size        bytes received
 * @param path        where the bytes are now
 */
public record UploadedFile(String field, String filename, String contentType, long size, Path path) {
    /** The content, opened for reading. */
    public InputStream open() throws IOException {
        return Files.newInputStream(path);
    }

    /** The whole content; for small files only. */
    public byte[] bytes() throws IOException {
        return Files.readAllBytes(path);
    }

    /** Copies the upload to {@code target}, replacing it if it exists. */
    public void saveTo(Path target) throws IOException {
        Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
