package dev.carafe.examples.todo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a client sends to create or change a todo, from the HTML form or the JSON API; both are
 * validated by {@link #errors()}, so the pages and the API agree on what is valid.
 */
public record TodoInput(String title, String notes, boolean done) {
    static final int MAX_TITLE = 200;
    static final int MAX_NOTES = 2000;

    public TodoInput {
        title = title == null ? "" : title.strip();
        notes = notes == null ? "" : notes.strip();
    }

    /** Field name → message for each invalid field; empty when the input is valid. */
    public Map<String, String> errors() {
        Map<String, String> errors = new LinkedHashMap<>();
        if (title.isEmpty()) errors.put("title", "Title is required.");
        else if (title.length() > MAX_TITLE) errors.put("title", "Title must be at most " + MAX_TITLE + " characters.");
        if (notes.length() > MAX_NOTES) errors.put("notes", "Notes must be at most " + MAX_NOTES + " characters.");
        return errors;
    }
}
