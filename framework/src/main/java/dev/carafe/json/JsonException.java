package dev.carafe.json;

import java.io.IOException;

/** The request's JSON could not be read; the message says where and why, safe to show a client. */
public final class JsonException extends IOException {
    public JsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
