package dev.carafe.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A user's terminal for the end-to-end test: commands run with a throw-away HOME and local
 * Maven repository, their output collected line by line.
 */
final class Shell {
    final Map<String, String> env;

    Shell(Map<String, String> env) {
        this.env = env;
    }

    /** A command started in {@code dir}; its output (stdout and stderr) is gathered in {@link Running#lines}. */
    Running start(Path dir, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        return new Running(pb.start(), String.join(" ", command));
    }

    /** Runs a command to its end (at most {@code seconds}); returns its status and output. */
    Result run(Path dir, int seconds, String... command) throws Exception {
        try (Running r = start(dir, command)) {
            if (!r.process.waitFor(seconds, TimeUnit.SECONDS)) throw new AssertionError(r.name + " took over " + seconds + " s:\n" + r.output());
            r.reader.join(5000);
            return new Result(r.process.exitValue(), r.output());
        }
    }

    record Result(int status, String output) {}

    static final class Running implements AutoCloseable {
        final Process process;
        final String name;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Thread reader;

        Running(Process process, String name) {
            this.process = process;
            this.name = name;
            this.reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) lines.add(line);
                } catch (IOException ignored) {
                    // the process ended
                }
            });
        }

        String output() {
            return String.join("\n", lines);
        }

        /** Waits for a line starting with {@code prefix}. */
        String await(String prefix, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                for (String l : lines) if (l.startsWith(prefix)) return l;
                if (!process.isAlive()) {
                    reader.join(2000);
                    for (String l : lines) if (l.startsWith(prefix)) return l;
                    throw new AssertionError(name + " exited with " + process.exitValue() + " before printing '" + prefix + "':\n" + output());
                }
                Thread.sleep(20);
            }
            throw new AssertionError(name + " never printed '" + prefix + "' in " + seconds + " s:\n" + output());
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
