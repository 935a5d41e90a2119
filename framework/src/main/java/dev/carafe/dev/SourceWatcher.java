package dev.carafe.dev;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Watches source and resource folders and reports batches of real content changes.
 *
 * <ul>
 *   <li>Native events (inotify through the JDK's watch service) by default; polling every
 *       {@value #POLL_MILLIS} ms when asked (containers, WSL, network drives) or where the JDK's
 *       service itself polls (macOS), since our poll is faster than its 2-second one.</li>
 *   <li>Debounced: events are gathered until {@value #QUIET_MILLIS} ms pass without one, so a
 *       {@code git checkout} of thirty files is one batch, one reload.</li>
 *   <li>Content, not events, decides: each file's CRC-32C is remembered, so an editor that
 *       touches, opens or rewrites a file unchanged triggers nothing; editor temp files, VCS and
 *       build folders are ignored.</li>
 * </ul>
 */
final class SourceWatcher implements AutoCloseable {
    static final int QUIET_MILLIS = 40;
    static final int POLL_MILLIS = 300;
    private static final int MAX_BATCH_MILLIS = 500;
    private static final Set<String> IGNORED_DIRS = Set.of(".git", ".hg", ".svn", "target", "build", ".idea",
            ".gradle", "node_modules", ".vscode");

    /** Receives each batch of changes, on the watcher's thread. */
    interface Listener {
        void changed(Set<Path> changed, Set<Path> deleted);
    }

    private final List<Path> roots;
    private final Set<Path> singles;
    private final boolean poll;
    private final Listener listener;
    private final Map<Path, Long> hashes = new HashMap<>();
    private final Map<Path, Long> stamps = new HashMap<>(); // polling: size and mtime, to hash only what moved
    private final Map<WatchKey, Path> dirs = new HashMap<>();
    private WatchService service;
    private volatile boolean running = true;
    private Thread thread;

    /**
     * @param roots   folders watched recursively
     * @param singles single files watched besides (a build file beside the sources)
     */
    SourceWatcher(List<Path> roots, Set<Path> singles, boolean poll, Listener listener) {
        this.roots = roots;
        this.singles = singles;
        this.poll = poll;
        this.listener = listener;
    }

    /** Records every file's current content and starts watching. */
    void start() throws IOException {
        if (!poll) service = FileSystems.getDefault().newWatchService();
        for (Path root : roots) scanTree(root, null);
        for (Path file : singles) {
            if (!Files.isRegularFile(file)) continue;
            hashes.put(file, hash(file));
            stamps.put(file, stamp(file));
            if (service != null && !dirs.containsValue(file.getParent())) {
                dirs.put(file.getParent().register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE), file.getParent());
            }
        }
        thread = Thread.ofPlatform().daemon().name("carafe-watcher").start(poll ? this::pollLoop : this::eventLoop);
    }

    static boolean ignored(Path path) {
        for (Path part : path) {
            if (IGNORED_DIRS.contains(part.toString())) return true;
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        return name.startsWith(".") || name.endsWith("~") || name.startsWith("#") || name.equals("4913")
                || name.endsWith(".swp") || name.endsWith(".swx") || name.endsWith(".swo") || name.endsWith(".tmp")
                || name.endsWith(".bak") || name.contains("___jb_");
    }

    /** Registers {@code dir} and below; new files found are added to {@code created} when given. */
    private void scanTree(Path dir, Set<Path> created) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                if (!p.equals(dir) && ignored(dir.relativize(p))) continue;
                if (Files.isDirectory(p)) {
                    if (service != null) dirs.put(p.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE), p);
                } else if (Files.isRegularFile(p) && !hashes.containsKey(p)) {
                    hashes.put(p, hash(p));
                    stamps.put(p, stamp(p));
                    if (created != null) created.add(p);
                }
            }
        }
    }

    private void eventLoop() {
        while (running) {
            try {
                Set<Path> touched = new HashSet<>();
                WatchKey key = service.take();
                long batchStart = System.nanoTime();
                boolean rescan = false;
                while (key != null) {
                    rescan |= collect(key, touched);
                    if ((System.nanoTime() - batchStart) / 1_000_000 > MAX_BATCH_MILLIS) break;
                    key = service.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
                }
                if (rescan) for (Path root : roots) touched.addAll(allFiles(root));
                deliver(touched);
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (IOException | RuntimeException e) {
                System.err.println(" * Watcher error (continuing): " + e);
            }
        }
    }

    /** Gathers the paths of one key's events; true when events were lost and a rescan is due. */
    private boolean collect(WatchKey key, Set<Path> touched) throws IOException {
        Path dir = dirs.get(key);
        boolean overflow = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == OVERFLOW) {
                overflow = true;
                continue;
            }
            if (dir == null) continue;
            Path p = dir.resolve((Path) event.context());
            if (ignored(p.getFileName()) || !underRoot(p)) continue;
            if (event.kind() == ENTRY_CREATE && Files.isDirectory(p)) scanTree(p, touched);
            else touched.add(p);
        }
        if (!key.reset()) dirs.remove(key);
        return overflow;
    }

    /** Whether {@code p} is in a watched folder or is one of the single files. */
    private boolean underRoot(Path p) {
        if (singles.contains(p)) return true;
        for (Path root : roots) if (p.startsWith(root)) return true;
        return false;
    }

    private void pollLoop() {
        while (running) {
            try {
                Thread.sleep(POLL_MILLIS);
                Set<Path> touched = new HashSet<>(hashes.keySet());
                for (Path root : roots) touched.addAll(allFiles(root));
                for (Path file : singles) if (Files.isRegularFile(file)) touched.add(file);
                touched.removeIf(p -> Files.exists(p) && hashes.containsKey(p) && stamp(p) == stamps.getOrDefault(p, 0L));
                if (!touched.isEmpty()) deliver(touched);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                System.err.println(" * Watcher error (continuing): " + e);
            }
        }
    }

    private List<Path> allFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> Files.isRegularFile(p) && !ignored(root.relativize(p))).toList();
        }
    }

    /** Compares contents with what was last seen and reports the real changes. */
    private void deliver(Set<Path> touched) throws IOException {
        Set<Path> changed = new HashSet<>();
        Set<Path> deleted = new HashSet<>();
        for (Path p : touched) {
            if (Files.isRegularFile(p)) {
                long h = hash(p);
                Long old = hashes.put(p, h);
                stamps.put(p, stamp(p));
                if (old == null || old != h) changed.add(p);
            } else if (!Files.exists(p) && hashes.remove(p) != null) {
                stamps.remove(p);
                deleted.add(p);
            }
        }
        if (!changed.isEmpty() || !deleted.isEmpty()) listener.changed(changed, deleted);
    }

    private static long hash(Path p) {
        try {
            CRC32C crc = new CRC32C();
            crc.update(Files.readAllBytes(p));
            return crc.getValue();
        } catch (IOException e) {
            return -1; // vanished or unreadable mid-write: the next event settles it
        }
    }

    private static long stamp(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis() * 31 + Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        if (thread != null) thread.interrupt();
        if (service != null) service.close();
    }
}
