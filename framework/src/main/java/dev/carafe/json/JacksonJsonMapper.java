package dev.carafe.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper.Builder;
import java.io.IOException;
import java.io.InputStream;

/**
 * The default {@link JsonMapper}, on Jackson. Records work out of the box; dates are written as
 * ISO-8601 strings; unknown properties in requests are rejected, so typos fail loudly.
 */
public final class JacksonJsonMapper implements JsonMapper {
    private final ObjectMapper mapper;

    public JacksonJsonMapper() {
        this(com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .findAndAddModules()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
    }

    /** A mapper from a configured Jackson builder. */
    public JacksonJsonMapper(Builder builder) {
        this.mapper = builder.build();
    }

    /** The underlying Jackson mapper, for settings this interface does not cover. */
    public ObjectMapper objectMapper() {
        return mapper;
    }

    @Override
    public byte[] write(Object value) throws IOException {
        return mapper.writeValueAsBytes(value);
    }

    @Override
    public <T> T read(InputStream json, Class<T> type) throws IOException {
        try {
            T value = mapper.readValue(json, type);
            if (value == null) throw new JsonException("Expected a JSON " + type.getSimpleName() + ", got null or nothing", null);
            return value;
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new JsonException("Invalid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
    }
}
