package dev.carafe.examples.todo;

/**
 * A todo item. Immutable: the repository stores a new value on every change.
 *
 * @param attachment the uploaded file, or {@code null}
 */
public record Todo(int id, String title, String notes, boolean done, Attachment attachment) {
    /** This todo with {@code input}'s fields; the attachment is kept unless {@code input} brings one. */
    Todo with(TodoInput input, Attachment newAttachment) {
        return new Todo(id, input.title(), input.notes(), input.done(), newAttachment != null ? newAttachment : attachment);
    }
}
