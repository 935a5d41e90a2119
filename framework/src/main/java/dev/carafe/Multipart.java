package dev.carafe;

import java.io.IOException;
import java.io.InputStream;

/** Streams {@code multipart/form-data} (RFC 7578): fields into memory, files to temporary files. */
final class Multipart {
    private Multipart() {}

    static Forms.Data parse(InputStream body, String contentType, Config config) throws IOException {
        throw new HttpError(415, "multipart/form-data is not supported yet");
    }
}
