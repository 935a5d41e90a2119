package dev.carafe.dev;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles the project's sources in-process with {@code javax.tools}, into the dev output folder.
 * After the first full build it compiles only the files that changed plus the files whose classes
 * refer to a class of a changed file (read from the class files' constant pools). The compiler
 * and its file manager stay warm between builds, which is most of what makes a reload fast.
 */
final class IncrementalCompiler {
    /** One compiler diagnostic, with what the error page needs. */
    record Problem(Path file, long line, long column, String message, boolean error) {}

    /** The outcome of a build. */
    record Result(boolean ok, List<Problem> problems, long millis) {}

    private final JavaCompiler javac;
    private final StandardJavaFileManager files;
    private final Path sources;
    private final Path output;
    private final List<String> options;
    /** Source file → the binary names of the classes it produced. */
    private final Map<Path, Set<String>> produced = new HashMap<>();
    /** Class → the classes it refers to. */
    private final Map<String, Set<String>> references = new HashMap<>();

    IncrementalCompiler(Path sources, Path output, String classpath) throws IOException {
        this.javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new IllegalStateException("Dev mode needs a JDK (javax.tools), not a JRE");
        this.sources = sources;
        this.output = output;
        Files.createDirectories(output);
        this.files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
        List<File> cp = new ArrayList<>();
        cp.add(output.toFile());
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank()) cp.add(new File(entry));
        }
        files.setLocation(StandardLocation.CLASS_PATH, cp);
        files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(output.toFile()));
        this.options = List.of("-parameters", "-g", "-proc:none", "-implicit:none",
                "--release", Integer.toString(Runtime.version().feature()), "-Xlint:-options");
    }

    /** Compiles every source file. */
    Result buildAll() throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(sources)) {
            all = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        return compile(all);
    }

    /** Compiles {@code changed} (added or edited) and whatever depends on them; forgets {@code deleted}. */
    Result build(Collection<Path> changed, Collection<Path> deleted) throws IOException {
        Set<String> touched = new HashSet<>();
        for (Path p : changed) touched.addAll(produced.getOrDefault(p, Set.of()));
        for (Path p : deleted) {
            Set<String> gone = produced.remove(p);
            if (gone == null) continue;
            touched.addAll(gone);
            for (String c : gone) {
                references.remove(c);
                Files.deleteIfExists(output.resolve(c.replace('.', '/') + ".class"));
            }
        }
        Set<Path> toCompile = new HashSet<>(changed);
        produced.forEach((source, classes) -> {
            for (String c : classes) {
                Set<String> refs = references.get(c);
                if (refs != null && !java.util.Collections.disjoint(refs, touched)) {
                    toCompile.add(source);
                    return;
                }
            }
        });
        toCompile.removeIf(p -> !Files.exists(p));
        if (toCompile.isEmpty()) return new Result(true, List.of(), 0);
        return compile(new ArrayList<>(toCompile));
    }

    private Result compile(List<Path> sourceFiles) throws IOException {
        long start = System.nanoTime();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sourceFiles);
        // Old classes of these files go first: a class renamed or removed must not linger.
        Map<Path, Set<String>> before = new HashMap<>();
        for (Path p : sourceFiles) before.put(p, produced.getOrDefault(p, Set.of()));
        Path staging = Files.createTempDirectory("carafe-javac");
        try {
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(staging.toFile()));
            StringWriter out = new StringWriter();
            boolean ok = javac.getTask(out, files, diagnostics, options, null, units).call();
            List<Problem> problems = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR && d.getKind() != Diagnostic.Kind.WARNING) continue;
                Path file = d.getSource() == null ? null : Path.of(d.getSource().toUri());
                problems.add(new Problem(file, d.getLineNumber(), d.getColumnNumber(), d.getMessage(Locale.ROOT),
                        d.getKind() == Diagnostic.Kind.ERROR));
            }
            if (ok) install(staging, sourceFiles, before);
            return new Result(ok, problems, (System.nanoTime() - start) / 1_000_000);
        } finally {
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(output.toFile()));
            deleteTree(staging);
        }
    }

    /** Moves a successful build's classes into the output folder and records what refers to what. */
    private void install(Path staging, List<Path> compiled, Map<Path, Set<String>> before) throws IOException {
        for (Set<String> old : before.values()) {
            for (String c : old) Files.deleteIfExists(output.resolve(c.replace('.', '/') + ".class"));
        }
        List<Path> classFiles;
        try (Stream<Path> walk = Files.walk(staging)) {
            classFiles = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (Path p : compiled) produced.put(p, new HashSet<>());
        for (Path cf : classFiles) {
            String rel = staging.relativize(cf).toString().replace(File.separatorChar, '/');
            String name = rel.substring(0, rel.length() - 6).replace('/', '.');
            byte[] bytes = Files.readAllBytes(cf);
            Path target = output.resolve(rel);
            Files.createDirectories(target.getParent());
            Files.write(target, bytes);
            references.put(name, ClassDependencies.referencedBy(bytes));
            Path source = sourceFor(name, compiled);
            if (source != null) produced.computeIfAbsent(source, k -> new HashSet<>()).add(name);
        }
    }

    /** The compiled file a class came from: by its top-level name, or the file that declares it. */
    private Path sourceFor(String className, List<Path> compiled) {
        String top = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
        Path expected = sources.resolve(top.replace('.', '/') + ".java");
        if (compiled.contains(expected)) return expected;
        String simple = top.substring(top.lastIndexOf('.') + 1);
        for (Path p : compiled) { // a non-public top-level class in another file of the same package
            if (p.getParent().equals(expected.getParent())) {
                try {
                    String text = Files.readString(p);
                    for (String kind : new String[] {"class ", "record ", "interface ", "enum "}) {
                        if (text.contains(kind + simple)) return p;
                    }
                } catch (IOException ignored) {
                    // fall through
                }
            }
        }
        return compiled.size() == 1 ? compiled.get(0) : null;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
