package dev.carafe.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The world a command sees: working folder, environment, console. Passed in rather than read
 * from {@code System} so that tests can run every command in-process against temp folders.
 */
record Env(Path cwd, Map<String, String> vars, PrintStream out, PrintStream err) {

    static Env system() {
        return new Env(Path.of("").toAbsolutePath(), System.getenv(), System.out, System.err);
    }

    /** {@code $HOME}; the JVM's user.home ignores it, but a throw-away HOME must be honoured. */
    Path home() {
        String home = vars.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    /** Carafe's cache: compiled single files and resolved {@code //DEPS}, safe to delete. */
    Path cacheDir() {
        String xdg = vars.get("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home().resolve(".cache")).resolve("carafe");
    }

    /** The file named on the command line, relative to the working folder. */
    Path resolve(Path p) {
        return cwd.resolve(p).normalize();
    }

    /** The executable {@code name} on {@code PATH}, or null. */
    Path onPath(String name) {
        String path = vars.getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) return p;
        }
        return null;
    }
}
