package dev.carafe.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * A single-file app, like Flask's {@code app.py}: {@code carafe run Hello.java}. The file is
 * compiled in-process against Carafe's runtime (already on this JVM's class path) and its
 * {@code //DEPS}, into a cache folder keyed by the file's path, and skipped when neither the file
 * nor the class path changed; then its {@code main} runs in this JVM, so there is one JVM start
 * from command to first response. {@code carafe dev} points debug mode at the file instead of
 * {@code src/main/java}: edits reload in place like a project's.
 */
final class SingleFile {
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern TYPE = Pattern.compile("(?m)^\\s*(?:public\\s+|final\\s+|abstract\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");

    private final Env env;
    private final Path file;
    private final String source;
    private final Path cache;

    SingleFile(Env env, Path file) {
        this.env = env;
        this.file = env.resolve(file);
        if (!Files.isRegularFile(this.file)) throw new CliError("no such file: " + file);
        try {
            this.source = Files.readString(this.file);
        } catch (IOException e) {
            throw new CliError("cannot read " + file + ": " + e.getMessage());
        }
        this.cache = env.cacheDir().resolve("files").resolve(Deps.hash(this.file.toString()));
    }

    /**
     * Compiles (if needed) and runs the file's {@code main} with {@code args}; in debug mode with
     * live reload when {@code dev}. Returns once {@code main} does (the server keeps running on its threads).
     */
    void run(List<String> args, boolean dev, String version) {
        runtimeCheck();
        List<Path> base = classPath();
        List<String> deps = Deps.parse(file, source.lines().toList());
        List<Path> libs = Deps.resolve(deps, base, env, version);
        Path classes = compile(base, libs);
        String main = mainClass(classes);
        ClassLoader parent = ClassLoader.getSystemClassLoader();
        if (!libs.isEmpty()) parent = new URLClassLoader("carafe-deps", urls(libs), parent);
        // The folder beside the file is on the class path too: templates/, static/ and carafe.properties there are found
        URLClassLoader loader = new URLClassLoader("carafe-app", urls(List.of(classes, file.getParent())), parent);
        List<String> all = new ArrayList<>(args);
        if (dev) {
            all.add("--debug");
            DevMode.watch(file, main, cache.resolve("dev"), libs, parent, () -> !deps.equals(currentDeps()));
        }
        Thread.currentThread().setContextClassLoader(loader);
        Method m;
        try {
            m = Class.forName(main, true, loader).getMethod("main", String[].class);
        } catch (NoSuchMethodException e) {
            throw new CliError(file.getFileName() + ": " + main + " has no main(String[] args); write"
                    + " 'public static void main(String[] args)' and call app.run(args) in it, so --port reaches the app");
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CliError("cannot load " + main + " from " + file.getFileName() + ": " + e);
        }
        if (!Modifier.isStatic(m.getModifiers())) {
            throw new CliError(file.getFileName() + ": main must be static: 'public static void main(String[] args)'");
        }
        try {
            m.setAccessible(true);
            m.invoke(null, (Object) all.toArray(new String[0]));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(main + ".main threw " + cause, cause);
        } catch (IllegalAccessException e) {
            throw new CliError("cannot call " + main + ".main: " + e.getMessage());
        }
    }

    /** The //DEPS lines as the file has them now; a malformed one counts as a change, for the restart to report. */
    private List<String> currentDeps() {
        try {
            return Deps.parse(file, Files.readAllLines(file));
        } catch (IOException | CliError e) {
            return List.of("?");
        }
    }

    /** Carafe's runtime jars come from the launcher; without them nothing here can run. */
    private static void runtimeCheck() {
        try {
            Class.forName("dev.carafe.App", false, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            throw new CliError("Carafe's runtime is not on the class path (its jars may have left the local Maven repository);"
                    + " run ./carafe install again from a Carafe clone");
        }
    }

    private static List<Path> classPath() {
        List<Path> out = new ArrayList<>();
        for (String s : System.getProperty("java.class.path").split(File.pathSeparator)) if (!s.isBlank()) out.add(Path.of(s));
        return out;
    }

    /** The file's classes, compiled now unless the cached ones came from the same source and class path. */
    Path compile(List<Path> base, List<Path> libs) {
        Path classes = cache.resolve("classes");
        Path stampFile = cache.resolve("classes.stamp");
        List<Path> cp = new ArrayList<>(base);
        cp.addAll(libs);
        String stamp = Deps.hash(source + "\n" + cp + "\n" + Runtime.version());
        try {
            if (Files.isDirectory(classes) && Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp)) return classes;
            deleteTree(classes);
            Files.createDirectories(classes);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac == null) throw new CliError("this Java has no compiler (javax.tools): carafe needs a JDK 21+, not a JRE");
            PrintWriter errors = new PrintWriter(env.err(), true, StandardCharsets.UTF_8);
            try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
                files.setLocation(StandardLocation.CLASS_PATH, cp.stream().map(Path::toFile).toList());
                files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
                List<String> options = List.of("-parameters", "-g", "-proc:none", "-implicit:none", "-Xlint:-options",
                        "--release", Integer.toString(Runtime.version().feature()));
                boolean ok = javac.getTask(errors, files, null, options, null, files.getJavaFileObjects(file)).call();
                errors.flush();
                if (!ok) throw new CliError("compiling " + env.cwd().relativize(file) + " failed (errors above)");
            }
            Files.writeString(stampFile, stamp);
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class named after the file if it has one (as javac expects of a public class), else the first declared. */
    String mainClass(Path classes) {
        Matcher pkg = PACKAGE.matcher(source);
        String prefix = pkg.find() ? pkg.group(1) + "." : "";
        String stem = file.getFileName().toString().replaceFirst("\\.java$", "");
        if (Files.exists(classes.resolve(prefix.replace('.', '/') + stem + ".class"))) return prefix + stem;
        Matcher type = TYPE.matcher(source);
        if (type.find()) return prefix + type.group(1);
        throw new CliError(file.getFileName() + " declares no class");
    }

    private static URL[] urls(List<Path> paths) {
        URL[] out = new URL[paths.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = paths.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return out;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
