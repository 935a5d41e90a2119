package dev.carafe.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper.Builder;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
            throw new JsonException("Invalid JSON" + where + ": " + withoutJavaNames(e.getOriginalMessage()), e);
        } catch (CharConversionException e) {
            // Jackson guesses UTF-16 or UTF-32 from zero bytes at the start, then fails to decode:
            // the client's bad body, not a server error.
            throw new JsonException("Invalid JSON: " + e.getMessage(), e);
        }
    }

    private static final Pattern JAVA_NAME = Pattern.compile("(`|class )([A-Za-z_][\\w]*(?:[.$][A-Za-z_0-9][\\w]*)+)");

    /**
     * Jackson names Java types in its messages ({@code `com.example.Todo`}, {@code (class
     * com.example.Todo)}); the client sees this message, so it keeps only the simple name.
     */
    static String withoutJavaNames(String message) {
        if (message == null) return "";
        Matcher m = JAVA_NAME.matcher(message);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(2);
            String simple = name.substring(Math.max(name.lastIndexOf('.'), name.lastIndexOf('$')) + 1);
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + simple));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
