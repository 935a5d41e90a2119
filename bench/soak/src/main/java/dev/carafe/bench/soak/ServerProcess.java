package dev.carafe.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The app under soak in a JVM of its own, measured from outside as an operator would: open fds
 * from {@code /proc/PID/fd}, OS threads from {@code /proc/PID/status}, every thread (virtual ones
 * too) from a {@code jcmd Thread.dump_to_file}, and the heap after a full collection from
 * {@code jcmd GC.run} then {@code GC.heap_info}. Its output goes to {@code server.log}; its
 * temporary files (uploads) to a directory of its own, which must be empty at the end.
 */
final class ServerProcess implements AutoCloseable {
    private static final Path JAVA_BIN = Path.of(System.getProperty("java.home"), "bin");
    private static final Pattern RUNNING = Pattern.compile("Running on http://[^:]+:(\\d+)");

    private final Process process;
    private final Path dir, log, tmp;
    final int port;

    /** What the server holds at one moment. */
    record Sample(long heapAfterGcKiB, int fds, int osThreads, int allThreads, int tmpFiles) {
        @Override
        public String toString() {
            return String.format("heap after GC %,d KiB, %d fds, %d OS threads, %d threads (virtual included), %d temp files",
                    heapAfterGcKiB, fds, osThreads, allThreads, tmpFiles);
        }
    }

    ServerProcess(Path dir, String heap) throws Exception {
        this.dir = Files.createDirectories(dir);
        this.log = dir.resolve("server.log");
        this.tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> cmd = List.of(JAVA_BIN.resolve("java").toString(), "-Xmx" + heap, "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"), SoakApp.class.getName(), "--port", "0");
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        port = awaitPort(Duration.ofSeconds(30));
    }

    private int awaitPort(Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) throw new IllegalStateException("the server exited:\n" + Files.readString(log));
            Matcher m = RUNNING.matcher(Files.readString(log));
            if (m.find()) return Integer.parseInt(m.group(1));
            Thread.sleep(50);
        }
        throw new IllegalStateException("the server did not start within " + timeout + ":\n" + Files.readString(log));
    }

    long pid() {
        return process.pid();
    }

    Sample sample() throws Exception {
        jcmd("GC.run");
        Matcher used = Pattern.compile("used (\\d+)K").matcher(jcmd("GC.heap_info"));
        if (!used.find()) throw new IllegalStateException("no heap size in GC.heap_info");
        long heap = Long.parseLong(used.group(1));
        int fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid() + "/fd"))) {
            fds = (int) s.count();
        }
        int osThreads = Files.readAllLines(Path.of("/proc/" + pid() + "/status")).stream()
                .filter(l -> l.startsWith("Threads:")).mapToInt(l -> Integer.parseInt(l.substring(8).trim())).findFirst().orElse(-1);
        int tmpFiles;
        try (Stream<Path> s = Files.list(tmp)) {
            tmpFiles = (int) s.count();
        }
        return new Sample(heap, fds, osThreads, allThreads(), tmpFiles);
    }

    /** Threads in a thread dump, which lists virtual threads too (a leaked connection thread shows here). */
    private int allThreads() throws Exception {
        Path dump = dir.resolve("threads.txt");
        Files.deleteIfExists(dump); // the dump refuses to overwrite
        jcmd("Thread.dump_to_file", dump.toString());
        Matcher m = Pattern.compile("(?m)^#\\d+ ").matcher(Files.readString(dump));
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    private String jcmd(String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JAVA_BIN.resolve("jcmd").toString(), Long.toString(pid())));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("jcmd " + cmd + " failed:\n" + out);
        return out;
    }

    /** Lines of the server's output that report a failure (the access log is the rest). */
    List<String> loggedErrors() throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("ERROR") || l.contains("SEVERE") || l.contains("Exception")
                    || l.contains("WARN")).limit(20).toList();
        }
    }

    /** Stops the server with SIGTERM, as a process manager would; whether it exited within 15 s. */
    boolean stop() throws InterruptedException {
        process.destroy(); // the app's shutdown hook stops the server gracefully
        if (process.waitFor(15, TimeUnit.SECONDS)) return true;
        process.destroyForcibly().waitFor();
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) stop();
    }
}
