package dev.carafe.examples.todo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Todos in an append-only file that several processes share: how three instances behind one
 * load balancer see the same list (config {@code TODO_STORE}). Each change is one line appended
 * under an exclusive file lock; each read first applies the lines other processes appended since
 * (under a shared lock). Ids are taken under the exclusive lock, so no two instances hand out the
 * same one. Lines are not fsync'd: the list survives restarts of the processes, not a power cut.
 * A real fleet would use a database; this keeps the example free of one.
 *
 * <p>Line format, tab-separated, text fields Base64: {@code put id title notes done [filename type content]}
 * or {@code del id}.
 */
public final class FileTodoRepository implements TodoRepository, AutoCloseable {
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final FileChannel file;
    /** A JVM may hold one lock on a file at a time, whatever the channel: two stores in one process take turns. */
    private static final ReentrantLock local = new ReentrantLock();
    private final TreeMap<Integer, Todo> todos = new TreeMap<>();
    private long applied; // bytes of the file already applied to todos
    private int maxId;

    private FileTodoRepository(FileChannel file) {
        this.file = file;
    }

    /** The store in {@code path}, created when missing. */
    public static FileTodoRepository open(Path path) throws IOException {
        return new FileTodoRepository(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    @Override
    public List<Todo> all() {
        return locked(true, () -> new ArrayList<>(todos.values()));
    }

    @Override
    public Optional<Todo> find(int id) {
        return locked(true, () -> Optional.ofNullable(todos.get(id)));
    }

    @Override
    public Todo create(TodoInput input, Attachment attachment) {
        return locked(false, () -> {
            Todo todo = new Todo(maxId + 1, input.title(), input.notes(), input.done(), attachment);
            append(put(todo));
            return todo;
        });
    }

    @Override
    public Optional<Todo> update(int id, TodoInput input, Attachment attachment) {
        return locked(false, () -> {
            Todo old = todos.get(id);
            if (old == null) return Optional.empty();
            Todo todo = old.with(input, attachment);
            append(put(todo));
            return Optional.of(todo);
        });
    }

    @Override
    public boolean delete(int id) {
        return locked(false, () -> {
            if (!todos.containsKey(id)) return false;
            append("del\t" + id + "\n");
            return true;
        });
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    private <T> T locked(boolean shared, Supplier<T> action) {
        local.lock();
        try (FileLock lock = file.lock(0, Long.MAX_VALUE, shared)) {
            catchUp();
            return action.get();
        } catch (IOException e) {
            throw new UncheckedIOException("Todo store: " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    /** Applies the whole lines appended since the last call, by this process or another. */
    private void catchUp() throws IOException {
        long size = file.size();
        if (size <= applied) return;
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(size - applied));
        while (buf.hasRemaining() && file.read(buf, applied + buf.position()) >= 0) {
            // read to the end
        }
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n') + 1; // a line still being written elsewhere waits for the next call
        for (String line : text.substring(0, end).split("\n")) if (!line.isEmpty()) apply(line);
        applied += text.substring(0, end).getBytes(StandardCharsets.UTF_8).length;
    }

    private void append(String line) throws UncheckedIOException {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            long at = file.size();
            while (bytes.hasRemaining()) at += file.write(bytes, at);
            apply(line.substring(0, line.length() - 1));
            applied = at;
        } catch (IOException e) {
            throw new UncheckedIOException("Todo store: " + e.getMessage(), e);
        }
    }

    private void apply(String line) {
        String[] f = line.split("\t", -1);
        int id = Integer.parseInt(f[1]);
        maxId = Math.max(maxId, id);
        if (f[0].equals("del")) {
            todos.remove(id);
            return;
        }
        Attachment a = f.length > 5 ? new Attachment(text(f[5]), text(f[6]), B64D.decode(f[7])) : null;
        todos.put(id, new Todo(id, text(f[2]), text(f[3]), f[4].equals("1"), a));
    }

    private static String put(Todo t) {
        StringBuilder b = new StringBuilder("put\t").append(t.id()).append('\t').append(b64(t.title())).append('\t')
                .append(b64(t.notes())).append('\t').append(t.done() ? '1' : '0');
        Attachment a = t.attachment();
        if (a != null) b.append('\t').append(b64(a.filename())).append('\t').append(b64(a.contentType()))
                .append('\t').append(B64.encodeToString(a.content()));
        return b.append('\n').toString();
    }

    private static String b64(String s) {
        return s == null ? "-" : B64.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String field) {
        return field.equals("-") ? null : new String(B64D.decode(field), StandardCharsets.UTF_8);
    }
}
