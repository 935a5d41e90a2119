package dev.carafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command in-process, against temp folders: what the user sees and the exit status. */
class MainTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    private final Map<String, String> vars = new HashMap<>();

    private int run(String... args) {
        vars.putIfAbsent("HOME", dir.resolve("home").toString());
        vars.putIfAbsent("PATH", "/nonexistent");
        Env env = new Env(dir, vars, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return Main.run(args, env);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void versionNamesCarafeAndTheJdk() {
        assertEquals(0, run("--version"));
        assertTrue(out().startsWith("carafe 0.1.0-SNAPSHOT\nJava " + Runtime.version()), out());
    }

    @Test
    void helpListsTheCommands() {
        assertEquals(0, run("help"));
        for (String c : new String[] {"new NAME", "dev [FILE.java]", "run [FILE.java]", "test", "routes", "build"}) {
            assertTrue(out().contains(c), c + " in\n" + out());
        }
        assertEquals(0, run("help", "new"));
        assertTrue(out().contains("Usage: carafe new NAME [--template web|api|minimal]"), out());
        assertEquals(2, run("help", "nope"));
        assertTrue(err().startsWith("carafe: no help for 'nope'"), err());
    }

    @Test
    void misuseIsOneLineAndStatusTwo() {
        assertEquals(2, run("serve"));
        assertEquals("carafe: unknown command 'serve'; commands: new, run, dev, test, routes, build, help, version (see 'carafe help')\n",
                err());
    }

    @Test
    void projectCommandsNeedAPom() {
        for (String command : new String[] {"run", "dev", "routes"}) {
            err.reset();
            assertEquals(1, run(command));
            assertEquals("carafe: no pom.xml in " + dir + ": 'carafe " + command + "' works in a Maven project folder. Create one with"
                    + " 'carafe new NAME', or run a single file: carafe " + command + " Hello.java\n", err());
        }
        err.reset();
        assertEquals(1, run("test"));
        assertEquals("carafe: no pom.xml in " + dir + ": 'carafe test' works in a Maven project folder. Create one with"
                + " 'carafe new NAME'\n", err());
    }

    @Test
    void missingMavenIsNamed() throws IOException {
        Files.writeString(dir.resolve("pom.xml"), "<project/>");
        assertEquals(1, run("build"));
        assertEquals("carafe: Maven (mvn) was not found on PATH. Install it (e.g. apt-get install maven, brew install maven)"
                + " or point CARAFE_MVN at one\n", err());
    }

    @Test
    void takenPortFailsBeforeAnyBuild() throws IOException {
        Files.writeString(dir.resolve("pom.xml"), "<project/>");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertEquals(1, run("run", "--port", Integer.toString(port)));
            assertEquals("carafe: port " + port + " is already in use on 127.0.0.1 (is another server running?);"
                    + " stop it or pick another port with --port N\n", err());
            err.reset();
            vars.put("PORT", Integer.toString(port)); // the app's own fallback is checked too
            Files.writeString(dir.resolve("Hello.java"), "class Hello {}");
            assertEquals(1, run("dev", "Hello.java"));
            assertTrue(err().startsWith("carafe: port " + port + " is already in use"), err());
        }
    }

    @Test
    void newCreatesEachTemplate() throws IOException {
        assertEquals(0, run("new", "demo"));
        assertTrue(out().startsWith("Created demo/ (web template, Carafe 0.1.0-SNAPSHOT)"), out());
        Path demo = dir.resolve("demo");
        for (String f : new String[] {"pom.xml", ".gitignore", "README.md", "src/main/java/demo/DemoApp.java",
                "src/test/java/demo/DemoAppTest.java", "src/main/resources/templates/index.html", "src/main/resources/static/style.css"}) {
            assertTrue(Files.isRegularFile(demo.resolve(f)), f);
        }
        String pom = Files.readString(demo.resolve("pom.xml"));
        assertTrue(pom.contains("<artifactId>carafe-bom</artifactId>") && pom.contains("<carafe.version>0.1.0-SNAPSHOT</carafe.version>")
                && pom.contains("<carafe.main>demo.DemoApp</carafe.main>") && pom.contains("<finalName>demo</finalName>"), pom);
        assertTrue(Files.readString(demo.resolve("src/main/java/demo/DemoApp.java")).contains("public final class DemoApp"));
        assertNoPlaceholders(demo);

        assertEquals(0, run("new", "my-api", "--template", "api"));
        assertTrue(Files.readString(dir.resolve("my-api/src/main/java/myapi/MyApiApp.java")).contains("/api/items"));
        assertNoPlaceholders(dir.resolve("my-api"));
        assertEquals(0, run("new", "tiny", "--template", "minimal"));
        try (Stream<Path> files = Files.walk(dir.resolve("tiny"))) {
            assertEquals(5, files.filter(Files::isRegularFile).count());
        }
        assertNoPlaceholders(dir.resolve("tiny"));
    }

    private static void assertNoPlaceholders(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(p);
                assertTrue(!text.contains("{{name}}") && !text.contains("{{Class}}") && !text.contains("{{package}}")
                        && !text.contains("{{version}}") && !p.toString().contains("__"), p.toString());
            }
        }
    }

    @Test
    void newRefusesANonEmptyFolder() throws IOException {
        Files.createDirectories(dir.resolve("demo"));
        Files.writeString(dir.resolve("demo/notes.txt"), "mine");
        assertEquals(1, run("new", "demo"));
        assertEquals("carafe: the folder demo already exists and is not empty; pick another name or remove it\n", err());
        assertEquals("mine", Files.readString(dir.resolve("demo/notes.txt")));
        Files.createDirectories(dir.resolve("empty"));
        assertEquals(0, run("new", "empty")); // an empty folder is fine, as with git clone
        Files.writeString(dir.resolve("file"), "");
        err.reset();
        assertEquals(1, run("new", "file"));
        assertEquals("carafe: file exists and is not a folder; pick another name\n", err());
    }

    @Test
    void singleFileThatIsMissing() {
        assertEquals(1, run("run", "Nope.java", "--port", "0"));
        assertEquals("carafe: no such file: Nope.java\n", err());
    }

    @Test
    void singleFileCompileErrorsAreJavacs() throws IOException {
        Files.writeString(dir.resolve("Broken.java"), "class Broken {\n    int x = \"text\";\n}\n");
        assertEquals(1, run("routes", "Broken.java"));
        assertTrue(err().contains("Broken.java:2: error: incompatible types: String cannot be converted to int"), err());
        assertTrue(err().endsWith("carafe: compiling Broken.java failed (errors above)\n"), err());
    }

    @Test
    void singleFileWithoutMainArgs() throws IOException {
        Files.writeString(dir.resolve("NoArgs.java"), "public class NoArgs { public static void main() {} }\n");
        assertEquals(1, run("routes", "NoArgs.java"));
        assertEquals("carafe: NoArgs.java: NoArgs has no main(String[] args); write 'public static void main(String[] args)'"
                + " and call app.run(args) in it, so --port reaches the app\n", err());
    }

    @Test
    void badDepsLineStopsBeforeAnyResolution() throws IOException {
        Files.writeString(dir.resolve("Deps.java"), "//DEPS guava\nclass Deps {}\n");
        assertEquals(1, run("routes", "Deps.java"));
        assertEquals("carafe: Deps.java:1: 'guava' is not a Maven coordinate; write //DEPS group:artifact:version"
                + " (e.g. com.google.guava:guava:33.4.0-jre)\n", err());
    }

    @Test
    void singleFileRoutesCompileOnceThenFromCache() throws IOException {
        Files.writeString(dir.resolve("Hello.java"), """
                import dev.carafe.App;
                public class Hello {
                    public static void main(String[] args) {
                        var app = new App();
                        app.get("/hi/{name}", ctx -> "hi " + ctx.pathParam("name")).name("hi");
                        app.run(args);
                    }
                }
                """);
        PrintStream stdout = System.out;
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        System.setOut(new PrintStream(table, true, StandardCharsets.UTF_8)); // App.printRoutes writes to System.out
        try {
            assertEquals(0, run("routes", "Hello.java"), err());
            Path stamp;
            try (Stream<Path> s = Files.walk(dir.resolve("home/.cache/carafe/files"))) {
                stamp = s.filter(p -> p.getFileName().toString().equals("classes.stamp")).findFirst().orElseThrow();
            }
            long compiled = Files.getLastModifiedTime(stamp).toMillis();
            assertEquals(0, run("routes", "Hello.java"), err());
            assertEquals(compiled, Files.getLastModifiedTime(stamp).toMillis(), "the second run compiles nothing");
        } finally {
            System.setOut(stdout);
        }
        String text = table.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("hi        GET      /hi/{name}") || text.matches("(?s).*hi\\s+GET\\s+/hi/\\{name}.*"), text);
    }
}
