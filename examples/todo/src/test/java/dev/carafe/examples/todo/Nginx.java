package dev.carafe.examples.todo;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real nginx (Debian's package, installed by {@code .ci/run}) run unprivileged in the foreground
 * with its own prefix and config in a temporary folder, listening on 127.0.0.1 only.
 */
final class Nginx implements AutoCloseable {
    final Path prefix;
    final int port;
    private final Process process;
    private String header;

    private Nginx(Path prefix, int port, Process process) {
        this.prefix = prefix;
        this.port = port;
        this.process = process;
    }

    /** The nginx binary, or a skip (a failure under {@code CARAFE_E2E=required}) when there is none. */
    static String binary() {
        for (String candidate : new String[] {"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"}) {
            if (Files.isExecutable(Path.of(candidate))) return candidate;
        }
        String why = "nginx is not installed (bash .ci/run installs it: apt-get install nginx)";
        if ("required".equals(System.getenv("CARAFE_E2E"))) fail(why);
        Assumptions.abort(why);
        return null;
    }

    /** Starts nginx with {@code http} as the body of its {@code http {}} block; {@code $PORT} is its listening port. */
    static Nginx start(String http) throws Exception {
        String bin = binary();
        Path prefix = Files.createTempDirectory("carafe-nginx");
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("tmp"));
        int port = freePort();
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        String conf = user + """
                daemon off;
                master_process on;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log %1$s/logs/access.log;
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                """.formatted(prefix);
        Files.writeString(prefix.resolve("nginx.conf"), conf + http.replace("$PORT", Integer.toString(port)) + "\n}\n");
        Process p = new ProcessBuilder(bin, "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
        Nginx nginx = new Nginx(prefix, port, p);
        nginx.header = conf;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return nginx;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    nginx.close();
                    fail("nginx did not start: " + Files.readString(prefix.resolve("logs/stdout.log"))
                            + Files.readString(prefix.resolve("logs/error.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    /** A port free on 127.0.0.1 just now. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Replaces the {@code http {}} body and reloads (SIGHUP to the master): new workers take the new
     * config, old ones finish their requests first, as in a production {@code nginx -s reload}.
     */
    void reload(String http) throws Exception {
        Files.writeString(prefix.resolve("nginx.conf"), header + http.replace("$PORT", Integer.toString(port)) + "\n}\n");
        Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
        if (hup.waitFor() != 0) fail("could not signal nginx");
        Thread.sleep(500); // the new workers start within this on loopback
    }

    String errorLog() throws IOException {
        return Files.readString(prefix.resolve("logs/error.log"));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
