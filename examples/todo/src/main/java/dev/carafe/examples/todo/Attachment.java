package dev.carafe.examples.todo;

/**
 * A file attached to a todo, kept in memory like the rest of the data (the app limits its size).
 *
 * @param filename    the client's file name, already reduced to its last path element by Carafe
 * @param contentType as declared by the client; not trusted when serving it back
 */
public record Attachment(String filename, String contentType, byte[] content) {
    public int size() {
        return content.length;
    }
}
