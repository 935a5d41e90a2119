package dev.carafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A bad command line ends the app with one readable line on stderr and status 2, never a stack trace. */
class CommandLineMisuseTest {
    /** The app the test starts in a process of its own. */
    public static final class Demo {
        public static void main(String[] args) {
            App app = new App();
            app.get("/", ctx -> "hi");
            app.run(args);
        }
    }

    private static void assertRefused(String expected, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Demo.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("PORT");
        pb.environment().remove("CARAFE_DEBUG");
        Process p = pb.start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the app should exit on a bad command line");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(2, p.exitValue(), err);
        assertEquals(1, err.lines().count(), "one line, no stack trace:\n" + err);
        assertTrue(err.startsWith("Error: ") && err.contains(expected), err);
    }

    @Test
    void aBadValueOrAnUnknownOptionIsOneLine() throws Exception {
        assertRefused("Port must be a number from 0 to 65535: x", "--port", "x");
        assertRefused("Unknown option --prot", "--prot", "8080");
        assertRefused("--trust-proxy", "--trust-proxy", "x");
    }
}
