package dev.carafe.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the app once its build is done. Java cannot replace its own process, so under the
 * launcher script (which sets {@code CARAFE_EXEC} to a file) the command is written there,
 * NUL-separated, and the script {@code exec}s it: the app then is the process the user started,
 * Ctrl-C and SIGTERM reach it directly, and no idle CLI JVM stays behind. Without the script
 * (tests, {@code java -jar}) the app runs as a child whose exit status is returned.
 */
final class Launch {
    private Launch() {}

    static int exec(Env env, List<String> command, Map<String, String> extraEnv) {
        String handOff = env.vars().get("CARAFE_EXEC");
        if (handOff != null && !handOff.isBlank()) {
            List<String> argv = new ArrayList<>();
            if (!extraEnv.isEmpty()) {
                argv.add("env");
                extraEnv.forEach((k, v) -> argv.add(k + "=" + v));
            }
            argv.addAll(command);
            StringBuilder sb = new StringBuilder();
            for (String a : argv) sb.append(a).append('\0');
            try {
                Files.writeString(Path.of(handOff), sb, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliError("cannot hand the command over to the launcher: " + e.getMessage());
            }
            return 0;
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(env.cwd().toFile()).inheritIO();
        pb.environment().putAll(extraEnv);
        try {
            Process p = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            return p.waitFor();
        } catch (IOException e) {
            throw new CliError("cannot start " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
