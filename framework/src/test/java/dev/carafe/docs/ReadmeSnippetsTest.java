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
                App app; String[] args; Context ctx; Path csv; List<String> errors;
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

    @Test
    void everyJavaBlockOfTheReadmeCompiles(@TempDir Path out) throws IOException {
        List<Block> blocks = blocks(Files.readString(README));
        assertTrue(blocks.size() >= 10, "found only " + blocks.size() + " java blocks in " + README.toAbsolutePath());
        List<JavaFileObject> sources = new ArrayList<>();
        sources.add(source("ReadmeFixtures", FIXTURES));
        for (int i = 0; i < blocks.size(); i++) {
            String code = blocks.get(i).code();
            boolean returns = code.strip().lines().reduce((a, b) -> b).orElse("").strip().startsWith("return ");
            String prefix = IMPORTS + "class ReadmeBlock" + i + " extends ReadmeFixtures {\nObject block() throws Exception {\n";
            sources.add(source("ReadmeBlock" + i, prefix + code + (returns ? "" : "return null;\n") + "}\n}\n"));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(out.toFile()));
            List<String> options = List.of("-proc:none", "-classpath", System.getProperty("java.class.path"));
            javac.getTask(null, files, diagnostics, options, null, sources).call();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) continue;
            String name = d.getSource().getName();
            int index = name.contains("ReadmeBlock") ? Integer.parseInt(name.replaceAll("\\D", "")) : -1;
            int readmeLine = index < 0 ? -1 : blocks.get(index).line() + (int) d.getLineNumber() - lines(IMPORTS) - 3;
            errors.add("README.md:" + readmeLine + ": " + d.getMessage(Locale.ROOT));
        }
        assertEquals(List.of(), errors, "README code blocks that do not compile");
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
