package dev.carafe.json;

import java.io.IOException;
import java.io.InputStream;

/**
 * Converts between Java objects and JSON: the framework's only view of the JSON library.
 * {@link JacksonJsonMapper} is the default; set another with {@code app.jsonMapper(...)}.
 */
public interface JsonMapper {
    /** {@code value} as UTF-8 JSON bytes. */
    byte[] write(Object value) throws IOException;

    /**
     * Reads a {@code type} from JSON. Malformed JSON or a mismatched shape throws
     * {@link JsonException} with a message a client may see (it names the position, not internals).
     */
    <T> T read(InputStream json, Class<T> type) throws IOException;
}
