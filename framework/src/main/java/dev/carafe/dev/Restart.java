package dev.carafe.dev;

import dev.carafe.server.Server;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Debug mode's fallback for changes a class loader cannot absorb: a full process restart that
 * keeps the port open. Both processes listen on the same port with {@code SO_REUSEPORT} while the
 * new one starts, so clients are served by one or the other, never refused.
 */
final class Restart {
    /** Set for the new process: it shares the port instead of checking that it is free. */
    private static final String INHERIT = "CARAFE_DEV_INHERIT_PORT";

    private Restart() {}

    /** Whether this process was started by a restart and shares its parent's port. */
    static boolean inherited() {
        return System.getenv(INHERIT) != null;
    }

    /**
     * Binds the dev server's socket with {@code SO_REUSEPORT}, after checking that no other
     * process holds the port (reuse would otherwise let two servers share it silently).
     */
    static ServerSocket bind(String host, int port) throws IOException {
        if (port != 0 && !inherited()) Server.listen(host, port, 1, false).close(); // fails, clearly, if taken
        return Server.listen(host, port, 1024, true);
    }

    /**
     * Rebuilds with {@code CARAFE_REBUILD} (a shell command; by default {@code mvn -q -DskipTests
     * package} when there is a pom) and starts this process's command line again on {@code port}.
     * Returns the new process once it accepts connections, or null when the rebuild or start failed.
     * Without {@code rebuildFirst} (a single-file app, which the relaunched command compiles itself) nothing is rebuilt.
     */
    static Process rebuildAndLaunch(Path root, int port, boolean rebuildFirst) {
        String rebuild = !rebuildFirst ? "" : System.getenv().getOrDefault("CARAFE_REBUILD",
                Files.exists(root.resolve("pom.xml")) ? "mvn -q -DskipTests package" : "");
        try {
            if (!rebuild.isBlank()) {
                System.out.println(" * Rebuilding: " + rebuild);
                Process build = new ProcessBuilder("/bin/sh", "-c", rebuild).directory(root.toFile()).inheritIO().start();
                if (build.waitFor() != 0) {
                    System.out.println(" * Rebuild failed (exit " + build.exitValue() + "); still serving the previous build");
                    return null;
                }
            }
            ProcessHandle.Info info = ProcessHandle.current().info();
            List<String> command = new ArrayList<>();
            command.add(info.command().orElseThrow());
            List<String> args = new ArrayList<>(List.of(info.arguments().orElse(new String[0])));
            int at = args.indexOf("--port");
            if (at >= 0 && at + 1 < args.size()) args.set(at + 1, Integer.toString(port));
            else args.add("--port=" + port);
            args.removeIf(a -> a.startsWith("--port=") && !a.equals("--port=" + port));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
            pb.environment().put(INHERIT, "1");
            Process child = pb.start();
            CountDownLatch ready = new CountDownLatch(1);
            Thread.ofPlatform().daemon().name("carafe-child-output").start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        System.out.println(line);
                        if (line.startsWith("Running on ")) ready.countDown();
                    }
                } catch (IOException ignored) {
                    // the child ended
                }
            });
            if (!ready.await(120, TimeUnit.SECONDS) || !child.isAlive()) {
                System.out.println(" * The restarted process did not come up; still serving the previous build");
                child.destroy();
                return null;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(child::destroy, "carafe-stop-child"));
            return child;
        } catch (IOException | RuntimeException e) {
            System.out.println(" * Restart failed: " + e + "; still serving the previous build");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Stays alive as long as the new process, then exits with its status. */
    static void waitAndExit(Process child) {
        Thread.ofPlatform().daemon(false).name("carafe-wait-child").start(() -> { // keeps the JVM alive
            try {
                int status = child.waitFor();
                System.out.println(" * The restarted process exited with status " + status);
                System.exit(status);
            } catch (InterruptedException e) {
                System.exit(1);
            }
        });
    }
}
