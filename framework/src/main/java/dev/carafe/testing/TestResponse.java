package dev.carafe.testing;

import dev.carafe.json.JacksonJsonMapper;
import dev.carafe.server.Headers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A response received by a {@link TestClient}, with fluent assertions that fail with the whole
 * response in the message, so a failing test shows what came back.
 *
 * <pre>{@code
 * client.get("/todos/1").send().assertStatus(200).assertContentType("application/json").assertBodyContains("milk");
 * }</pre>
 */
public final class TestResponse {
    private final int status;
    private final Headers headers;
    private final byte[] body;

    TestResponse(int status, Headers headers, byte[] body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public Headers headers() {
        return headers;
    }

    /** The first value of header {@code name}, or {@code null}. */
    public String header(String name) {
        return headers.get(name);
    }

    public byte[] bodyBytes() {
        return body;
    }

    /** The body as UTF-8 text. */
    public String body() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The JSON body read as a {@code type}. */
    public <T> T json(Class<T> type) {
        try {
            return new JacksonJsonMapper().read(new ByteArrayInputStream(body), type);
        } catch (IOException e) {
            throw new AssertionError("Body is not JSON of " + type.getSimpleName() + ": " + e.getMessage() + "\n" + this);
        }
    }

    public TestResponse assertStatus(int expected) {
        if (status != expected) throw new AssertionError("Expected status " + expected + " but got " + status + "\n" + this);
        return this;
    }

    public TestResponse assertHeader(String name, String expected) {
        String actual = header(name);
        if (!expected.equals(actual)) {
            throw new AssertionError("Expected header " + name + ": " + expected + " but got " + actual + "\n" + this);
        }
        return this;
    }

    /** Asserts the Content-Type starts with {@code type} (parameters such as charset are ignored). */
    public TestResponse assertContentType(String type) {
        String actual = header("Content-Type");
        if (actual == null || !actual.startsWith(type)) {
            throw new AssertionError("Expected Content-Type " + type + " but got " + actual + "\n" + this);
        }
        return this;
    }

    public TestResponse assertBody(String expected) {
        if (!body().equals(expected)) throw new AssertionError("Expected body <" + expected + ">\n" + this);
        return this;
    }

    public TestResponse assertBodyContains(String part) {
        if (!body().contains(part)) throw new AssertionError("Expected the body to contain <" + part + ">\n" + this);
        return this;
    }

    public TestResponse assertBodyLacks(String part) {
        if (body().contains(part)) throw new AssertionError("Expected the body not to contain <" + part + ">\n" + this);
        return this;
    }

    @Override
    public String toString() {
        String text = body();
        if (text.length() > 2000) text = text.substring(0, 2000) + "…";
        return "HTTP " + status + "\n" + headers + "\n" + text;
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
