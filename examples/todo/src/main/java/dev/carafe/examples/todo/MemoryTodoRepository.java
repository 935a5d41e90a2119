package dev.carafe.examples.todo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Todos in memory, safe for concurrent requests; gone when the process ends. */
public final class MemoryTodoRepository implements TodoRepository {
    private final ConcurrentSkipListMap<Integer, Todo> todos = new ConcurrentSkipListMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    @Override
    public List<Todo> all() {
        return new ArrayList<>(todos.values());
    }

    @Override
    public Optional<Todo> find(int id) {
        return Optional.ofNullable(todos.get(id));
    }

    @Override
    public Todo create(TodoInput input, Attachment attachment) {
        Todo todo = new Todo(ids.incrementAndGet(), input.title(), input.notes(), input.done(), attachment);
        todos.put(todo.id(), todo);
        return todo;
    }

    @Override
    public Optional<Todo> update(int id, TodoInput input, Attachment attachment) {
        return Optional.ofNullable(todos.computeIfPresent(id, (k, old) -> old.with(input, attachment)));
    }

    @Override
    public boolean delete(int id) {
        return todos.remove(id) != null;
    }
}
