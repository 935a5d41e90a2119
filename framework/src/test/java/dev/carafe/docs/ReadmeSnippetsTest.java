package dev.carafe.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code java} code block of the README against the real API, so the examples a
 * new user copies stay true after a rename or a move. Each block becomes the body of a method in
 * a class of its own, with the imports a user's file would have and a few fixtures for the names
 * the prose takes as given ({@code app}, {@code ctx}, a {@code users} repository...). A failure
 * names the README line.
 */
class ReadmeSnippetsTest {
    private static final Path README = Path.of("../README.md");
    private static final Pattern BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```", Pattern.DOTALL);
    private static final String IMPORTS = """
            import dev.carafe.*;
            import dev.carafe.health.*;
            import dev.carafe.http.*;
            import dev.carafe.json.*;
            import dev.carafe.realtime.*;
            import dev.carafe.session.*;
            import dev.carafe.staticfiles.*;
            import dev.carafe.template.*;
            import dev.carafe.testing.*;
            import dev.carafe.server.*;
            import dev.carafe.server.websocket.*;
            import java.io.*;
            import java.nio.file.*;
            import java.time.*;
            import java.util.*;
            import java.util.concurrent.*;
            import static java.nio.charset.StandardCharsets.UTF_8;
            """;
    /** What the README's prose takes as given: an app, a request's context, and the app's own objects. */
    private static final String FIXTURES = IMPORTS + """
            abstract class ReadmeFixtures {
                App app; String[] args; Context ctx; Path csv; List<String> errors; Handler handler;
                Users users; Db db; Repo repo; Quotes quotes; Rooms rooms; Chat chat;
                record User(String name) {}
                interface Users { User find(int id); User add(User user); }
                interface Row { String csv(); }
                interface Db { void release(); java.util.stream.Stream<Row> streamRows(); }
                interface Repo { Object get(int id); }
                interface Quotes { CompletableFuture<Object> fetchAsync(String symbol); }
                interface Rooms { void say(String room, String text); }
                interface Chat { void join(WebSocketConnection ws) throws IOException; }
            }
            """;

    record Block(int line, String code) {}

    static List<Block> blocks(String readme) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            int line = (int) readme.substring(0, m.start()).lines().count() + 2; // the block's first code line
            blocks.add(new Block(line, m.group(1)));
        }
        return blocks;
    }

    /** One compilation unit made from a README block; {@code offset} maps its lines back to the README's. */
    record Unit(String name, String source, int readmeLine, int offset, List<Path> jars) {}

    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile("(?m)^public ((?:final )?(?:class|record|interface|enum) )");
    private static final Pattern DEPS = Pattern.compile("(?m)^//DEPS ([\\w.-]+):([\\w.-]+):([\\w.-]+)\\s*$");

    /**
     * A block becomes a method body in a class of its own, or, when it is a whole file (a single-file
     * app with a {@code main}), a file of its own. Its {@code //DEPS} jars come from the local Maven
     * repository; {@code null} when one is not there (the CLI's end-to-end test resolves and runs such
     * files for real).
     */
    static Unit unit(Block block, int index) {
        String own = String.join(" ", block.code().lines().filter(l -> l.matches("import [\\w.]+;")).toList());
        // A block's own import lines (shown so a reader knows where a type lives) go to the file's
        // imports; blanked, not removed, so line numbers still match the README.
        String code = block.code().replaceAll("(?m)^import [\\w.]+;$", "");
        String imports = IMPORTS.replace("import java.io.*;", own.isEmpty() ? "import java.io.*;" : own + " import java.io.*;");
        List<Path> jars = new ArrayList<>();
        Path repo = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
        for (Matcher m = DEPS.matcher(code); m.find(); ) {
            Path jar = repo.resolve(m.group(1).replace('.', '/')).resolve(m.group(2)).resolve(m.group(3))
                    .resolve(m.group(2) + "-" + m.group(3) + ".jar");
            if (!Files.isRegularFile(jar)) return null;
            jars.add(jar);
        }
        String name = "ReadmeBlock" + index;
        if (TOP_LEVEL_TYPE.matcher(code).find()) { // a whole file: its type need not match the unit's name
            return new Unit(name, imports + TOP_LEVEL_TYPE.matcher(code).replaceAll("$1"), block.line(), lines(imports) + 1, jars);
        }
        boolean returns = code.strip().lines().reduce((a, b) -> b).orElse("").strip().startsWith("return ");
        String prefix = imports + "class " + name + " extends ReadmeFixtures {\nObject block() throws Exception {\n";
        return new Unit(name, prefix + code + (returns ? "" : "return null;\n") + "}\n}\n", block.line(), lines(imports) + 3, jars);
    }

    @Test
    void everyJavaBlockOfTheReadmeCompiles(@TempDir Path out) throws IOException {
        List<Block> blocks = blocks(Files.readString(README));
        assertTrue(blocks.size() >= 10, "found only " + blocks.size() + " java blocks in " + README.toAbsolutePath());
        List<String> errors = new ArrayList<>();
        int compiled = 0;
        for (int i = 0; i < blocks.size(); i++) {
            Unit unit = unit(blocks.get(i), i);
            if (unit == null) {
                System.err.println("README.md:" + blocks.get(i).line() + ": skipped, its //DEPS are not in the local repository");
                continue;
            }
            errors.addAll(compile(unit, out));
            compiled++;
        }
        assertTrue(compiled >= blocks.size() - 1, "compiled only " + compiled + " of " + blocks.size() + " blocks");
        assertEquals(List.of(), errors, "README code blocks that do not compile");
    }

    /** Compiles {@code unit} with the fixtures; returns its errors as README locations. */
    private static List<String> compile(Unit unit, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringBuilder classpath = new StringBuilder(System.getProperty("java.class.path"));
        for (Path jar : unit.jars()) classpath.append(java.io.File.pathSeparator).append(jar);
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(out.toFile()));
            List<String> options = List.of("-proc:none", "-classpath", classpath.toString());
            javac.getTask(null, files, diagnostics, options, null,
                    List.of(source("ReadmeFixtures", FIXTURES), source(unit.name(), unit.source()))).call();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) continue;
            boolean inBlock = d.getSource() != null && d.getSource().getName().contains(unit.name());
            int line = inBlock ? unit.readmeLine() + (int) d.getLineNumber() - unit.offset() : -1;
            errors.add("README.md:" + line + ": " + d.getMessage(Locale.ROOT));
        }
        return errors;
    }

    private static int lines(String s) {
        return (int) s.lines().count();
    }

    private static JavaFileObject source(String className, String code) {
        return new SimpleJavaFileObject(URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
    }
}
