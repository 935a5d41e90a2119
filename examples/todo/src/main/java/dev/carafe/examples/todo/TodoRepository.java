package dev.carafe.examples.todo;

import java.util.List;
import java.util.Optional;

/** Where todos live. The app only knows this interface; {@link MemoryTodoRepository} is the one it ships with. */
public interface TodoRepository {
    /** All todos, oldest first. */
    List<Todo> all();

    Optional<Todo> find(int id);

    /** Stores a new todo and returns it with its id. */
    Todo create(TodoInput input, Attachment attachment);

    /** Replaces the fields of todo {@code id}; empty when there is none. {@code attachment} null keeps the old one. */
    Optional<Todo> update(int id, TodoInput input, Attachment attachment);

    /** Deletes todo {@code id}; false when there was none. */
    boolean delete(int id);
}
