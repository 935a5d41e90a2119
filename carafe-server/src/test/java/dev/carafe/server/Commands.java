package dev.carafe.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real clients the end-to-end tests drive (curl, node). A missing binary fails the test
 * rather than skipping it: {@code .ci/run} installs both, and a skipped check is a silent hole.
 */
final class Commands {
    private Commands() {}

    /** What a finished command printed, and how it exited. */
    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Fails with a clear message unless {@code binary} is on the PATH. */
    static void require(String binary) {
        try {
            Process p = new ProcessBuilder(binary, binary.equals("openssl") ? "version" : "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) throw new AssertionError(binary + " --version failed");
        } catch (IOException e) {
            throw new AssertionError(binary + " is not installed; .ci/run installs it (apt-get install "
                    + (binary.equals("node") ? "nodejs" : binary.equals("h2load") ? "nghttp2-client" : binary) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs {@code command} to its end, killing it after {@code timeout}. */
    static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        require(command.get(0));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish within " + timeout + ":\n" + err.join());
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    private static String drain(InputStream in) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
