package dev.carafe.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs Maven for a project: the {@code mvn} in {@code CARAFE_MVN} (the launcher sets the one
 * {@code ./carafe install} used) or on {@code PATH}, always with the JDK carafe itself runs on,
 * quiet, so that what the user sees is compile errors and failing tests rather than Maven's log.
 */
final class Maven {
    /** Computes a project's runtime class path; named in full so no project has to declare it. */
    static final String BUILD_CLASSPATH = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath";

    private final Env env;
    private final Path mvn;

    Maven(Env env) {
        this.env = env;
        this.mvn = locate(env);
    }

    static Path locate(Env env) {
        String configured = env.vars().get("CARAFE_MVN");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (!Files.isExecutable(p)) throw new CliError("CARAFE_MVN is " + configured + ", which is not an executable Maven");
            return p;
        }
        Path p = env.onPath("mvn");
        if (p == null) {
            throw new CliError("Maven (mvn) was not found on PATH. Install it (e.g. apt-get install maven, brew install maven)"
                    + " or point CARAFE_MVN at one");
        }
        return p;
    }

    /**
     * Runs {@code mvn -q <args>} in {@code dir}, its output on the console; fails with
     * {@code failure} when Maven does.
     */
    void run(Path dir, List<String> args, String failure) {
        int status = exec(dir, args);
        if (status != 0) throw new CliError(failure + " (mvn exited with status " + status + "; its output is above)");
    }

    int exec(Path dir, List<String> args) {
        List<String> command = new ArrayList<>(List.of(mvn.toString(), "-q", "-ntp"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).inheritIO();
        configure(pb.environment());
        try {
            return pb.start().waitFor();
        } catch (IOException e) {
            throw new CliError("cannot run Maven (" + mvn + "): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliError("interrupted while Maven was running");
        }
    }

    /** Maven runs on carafe's JDK (21+), whatever JAVA_HOME says. */
    private void configure(Map<String, String> child) {
        child.putAll(env.vars());
        child.put("JAVA_HOME", System.getProperty("java.home"));
        if (Runtime.version().feature() >= 24) { // Maven's Guava and Jansi do what JDK 24+ warns about on every build
            String opts = child.getOrDefault("MAVEN_OPTS", "");
            if (!opts.contains("sun-misc-unsafe-memory-access")) opts += " --sun-misc-unsafe-memory-access=allow";
            if (!opts.contains("enable-native-access")) opts += " --enable-native-access=ALL-UNNAMED";
            child.put("MAVEN_OPTS", opts.trim());
        }
    }

    Path executable() {
        return mvn;
    }
}
