package dev.carafe.examples.todo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two stores over one file, as two instances see it (FleetIT does it with processes). */
class FileTodoRepositoryTest {
    @TempDir
    Path dir;

    @Test
    void whatOneStoreWritesTheOtherReadsAndIdsNeverCollide() throws Exception {
        Path file = dir.resolve("todos.log");
        try (FileTodoRepository a = FileTodoRepository.open(file); FileTodoRepository b = FileTodoRepository.open(file)) {
            Todo milk = a.create(new TodoInput("milk\tand\nnewline", "notes: ü", false), null);
            Todo tea = b.create(new TodoInput("tea", null, true), new Attachment("t.bin", "application/octet-stream", new byte[] {0, 1, 2}));
            assertEquals(milk.id() + 1, tea.id(), "b saw a's id before taking its own");
            assertEquals(List.of("milk\tand\nnewline", "tea"), a.all().stream().map(Todo::title).toList());
            assertArrayEquals(new byte[] {0, 1, 2}, a.find(tea.id()).orElseThrow().attachment().content());
            assertEquals("notes: ü", b.find(milk.id()).orElseThrow().notes());
            assertTrue(a.update(tea.id(), new TodoInput("green tea", null, false), null).isPresent());
            assertEquals("green tea", b.find(tea.id()).orElseThrow().title());
            assertEquals("t.bin", b.find(tea.id()).orElseThrow().attachment().filename(), "the attachment is kept");
            assertTrue(b.delete(milk.id()));
            assertFalse(a.delete(milk.id()), "already gone for everyone");
            assertTrue(a.find(milk.id()).isEmpty());
        }
        try (FileTodoRepository reopened = FileTodoRepository.open(file)) {
            assertEquals(List.of("green tea"), reopened.all().stream().map(Todo::title).toList());
            assertEquals(3, reopened.create(new TodoInput("next", null, false), null).id(), "ids go on after a restart");
        }
    }

    @Test
    void concurrentWritersThroughTwoStoresLoseNothing() throws Exception {
        Path file = dir.resolve("todos.log");
        Set<Integer> ids = ConcurrentHashMap.newKeySet();
        try (FileTodoRepository a = FileTodoRepository.open(file); FileTodoRepository b = FileTodoRepository.open(file)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                FileTodoRepository repo = t % 2 == 0 ? a : b;
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 50; i++) ids.add(repo.create(new TodoInput("x", null, false), null).id());
                }));
            }
            for (Thread t : threads) t.join();
            assertEquals(400, ids.size(), "no id handed out twice");
            assertEquals(400, b.all().size());
        }
        assertEquals(400, Files.readAllLines(file, StandardCharsets.UTF_8).size());
    }
}
