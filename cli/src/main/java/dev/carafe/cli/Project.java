package dev.carafe.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Maven project in the working folder whose {@code main} calls {@code app.run(args)}: made by
 * {@code carafe new} or not. Running it means compiling with Maven, asking Maven for the runtime
 * class path once per build, and starting {@code java -cp target/classes:<deps> Main} from the
 * project folder, which is where debug mode looks for {@code src/main/java}.
 */
final class Project {
    private static final Pattern MAIN_METHOD = Pattern.compile("\\bvoid\\s+main\\s*\\(");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern POM_MAIN = Pattern.compile("<(?:carafe\\.main|exec\\.mainClass|mainClass)>\\s*([\\w.$]+)\\s*</");

    final Path root;
    private final Env env;

    private Project(Path root, Env env) {
        this.root = root;
        this.env = env;
    }

    /** The project in the working folder, or a clear error when there is none. */
    static Project here(Env env, String command) {
        Path root = env.cwd();
        if (!Files.isRegularFile(root.resolve("pom.xml"))) {
            throw new CliError("no pom.xml in " + root + ": 'carafe " + command + "' works in a Maven project folder."
                    + " Create one with 'carafe new NAME'" + (List.of("run", "dev", "routes").contains(command)
                    ? ", or run a single file: carafe " + command + " Hello.java" : ""));
        }
        return new Project(root, env);
    }

    /** The argument file written by {@link #prepare}: {@code -cp <classes and dependencies>}. */
    Path argFile() {
        return root.resolve("target/carafe/java.args");
    }

    /** Compiles the project and writes the java argument file for running it. */
    void prepare(Maven maven) {
        Path classpathFile = root.resolve("target/carafe/classpath.txt");
        maven.run(root, List.of("compile", Maven.BUILD_CLASSPATH, "-Dmdep.outputFile=" + classpathFile,
                "-Dmdep.includeScope=runtime"), "the build failed");
        try {
            String deps = Files.exists(classpathFile) ? Files.readString(classpathFile).strip() : "";
            String cp = root.resolve("target/classes") + (deps.isEmpty() ? "" : java.io.File.pathSeparator + deps);
            Files.writeString(argFile(), "-cp\n" + quote(cp) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class to start: --main, a main class named in pom.xml, or the one source file with a main method. */
    String mainClass(String given) {
        if (given != null) return given;
        try {
            Matcher m = POM_MAIN.matcher(Files.readString(root.resolve("pom.xml")));
            if (m.find()) return m.group(1);
            Path sources = root.resolve("src/main/java");
            if (!Files.isDirectory(sources)) throw new CliError("no src/main/java in " + root + ", so there is no main class to run");
            List<Path> mains = new ArrayList<>(), running = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(sources)) {
                for (Path p : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    String text = Files.readString(p);
                    if (!MAIN_METHOD.matcher(text).find()) continue;
                    mains.add(p);
                    if (text.contains(".run(args)")) running.add(p);
                }
            }
            List<Path> candidates = running.size() == 1 ? running : mains;
            if (candidates.size() == 1) return className(candidates.get(0));
            if (candidates.isEmpty()) throw new CliError("no class in src/main/java has a main method; the app needs one that calls app.run(args)");
            throw new CliError("several classes have a main method (" + String.join(", ", candidates.stream()
                    .map(Project::className).toList()) + "); pick one with --main CLASS or <carafe.main> in pom.xml's <properties>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String className(Path source) {
        try {
            Matcher m = PACKAGE.matcher(Files.readString(source));
            String simple = source.getFileName().toString().replaceFirst("\\.java$", "");
            return m.find() ? m.group(1) + "." + simple : simple;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest runnable-looking jar in target/ after a package. */
    Path builtJar() {
        try (Stream<Path> files = Files.list(root.resolve("target"))) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".jar") && !n.startsWith("original-") && !n.endsWith("-sources.jar") && !n.endsWith("-javadoc.jar")
                        && !n.endsWith("-tests.jar");
            }).max(Comparator.comparingLong(Project::size)).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Tests, failures and errors in the surefire reports written since {@code since} (epoch ms). */
    long[] testCounts(long since) {
        long[] counts = new long[3];
        Path reports = root.resolve("target/surefire-reports");
        if (!Files.isDirectory(reports)) return counts;
        Pattern suite = Pattern.compile("<testsuite\\b[^>]*");
        try (Stream<Path> files = Files.list(reports)) {
            for (Path p : files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).toList()) {
                if (Files.getLastModifiedTime(p).toMillis() < since) continue;
                Matcher m = suite.matcher(Files.readString(p));
                if (!m.find()) continue;
                counts[0] += attribute(m.group(), "tests");
                counts[1] += attribute(m.group(), "failures");
                counts[2] += attribute(m.group(), "errors");
            }
        } catch (IOException e) {
            // no counts then
        }
        return counts;
    }

    private static long attribute(String tag, String name) {
        Matcher m = Pattern.compile("\\s" + name + "=\"(\\d+)\"").matcher(tag);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** A value for a java argument file: quoted, with the launcher's escapes. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
