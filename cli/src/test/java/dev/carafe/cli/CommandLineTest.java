package dev.carafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    private static String error(String... args) {
        CliError e = assertThrows(CliError.class, () -> CommandLine.parse(args));
        assertEquals(2, e.status, "misuse exits with status 2");
        return e.getMessage();
    }

    @Test
    void noArgumentsMeansHelp() {
        assertEquals("help", CommandLine.parse().command());
        assertEquals("help", CommandLine.parse("--help").command());
        assertEquals("help", CommandLine.parse("-h").command());
    }

    @Test
    void helpForOneCommand() {
        CommandLine cl = CommandLine.parse("help", "dev");
        assertEquals("help", cl.command());
        assertEquals("dev", cl.name());
        assertEquals("run", CommandLine.parse("run", "--help").name());
    }

    @Test
    void version() {
        assertEquals("version", CommandLine.parse("--version").command());
        assertEquals("version", CommandLine.parse("-V").command());
        assertEquals("version", CommandLine.parse("version").command());
        assertEquals("'--version' takes no arguments", error("--version", "x"));
    }

    @Test
    void newTakesANameAndATemplate() {
        CommandLine cl = CommandLine.parse("new", "demo");
        assertEquals("demo", cl.name());
        assertEquals("web", cl.template());
        assertEquals("api", CommandLine.parse("new", "demo", "--template", "api").template());
        assertEquals("minimal", CommandLine.parse("new", "--template=minimal", "demo").template());
        assertEquals("minimal", CommandLine.parse("new", "demo", "-t", "minimal").template());
    }

    @Test
    void newMisuses() {
        assertEquals("'carafe new' needs a project name: carafe new demo", error("new"));
        assertEquals("unknown template 'spa'; choose one of web, api, minimal", error("new", "demo", "--template", "spa"));
        assertEquals("--template needs a value", error("new", "demo", "--template"));
        assertEquals("project name '1st' must start with a letter and use only letters, digits, - and _", error("new", "1st"));
        assertEquals("project name 'a/b' must start with a letter and use only letters, digits, - and _", error("new", "a/b"));
        assertEquals("unexpected argument 'other' for 'carafe new'", error("new", "demo", "other"));
        assertEquals("'--port' is not an option of 'carafe new' (see 'carafe help new')", error("new", "demo", "--port", "1"));
    }

    @Test
    void runAndDevTakePortHostFileAndAppArguments() {
        CommandLine cl = CommandLine.parse("run", "--port", "9000", "--host=0.0.0.0", "--", "--flag", "x");
        assertEquals("run", cl.command());
        assertEquals(9000, cl.port());
        assertEquals("0.0.0.0", cl.host());
        assertNull(cl.file());
        assertEquals(List.of("--port", "9000", "--host", "0.0.0.0", "--flag", "x"), cl.appArgs());
        CommandLine file = CommandLine.parse("dev", "Hello.java", "--port=0");
        assertEquals(Path.of("Hello.java"), file.file());
        assertEquals(List.of("--port", "0"), file.appArgs());
        assertEquals(List.of(), CommandLine.parse("dev").appArgs()); // the app's own defaults: env PORT, else 8080
        assertEquals("demo.Main", CommandLine.parse("run", "--main", "demo.Main").mainClass());
    }

    @Test
    void portMustBeANumberInRange() {
        assertEquals("--port needs a number from 0 to 65535, got 'abc'", error("run", "--port", "abc"));
        assertEquals("--port needs a number from 0 to 65535, got '70000'", error("dev", "--port=70000"));
        assertEquals("--port needs a number from 0 to 65535, got '-1'", error("run", "--port", "-1"));
        assertEquals("--port needs a value", error("run", "--port"));
        assertEquals("--port needs a value", error("run", "--port", "--host", "x"));
        assertEquals("--host needs a value, such as 127.0.0.1 or 0.0.0.0", error("run", "--host="));
    }

    @Test
    void runMisuses() {
        assertEquals("'hello' is not a .java file. 'carafe run' runs the project in this folder, or a single file: carafe run Hello.java",
                error("run", "hello"));
        assertEquals("unexpected argument 'B.java' for 'carafe dev' (arguments for the app go after --)", error("dev", "A.java", "B.java"));
        assertEquals("unknown option '--debug' for 'carafe run' (see 'carafe help run')", error("run", "--debug"));
        assertEquals("--main is for projects; a single file runs its own main", error("run", "A.java", "--main", "x.Y"));
        assertEquals("'--port' is not an option of 'carafe routes' (see 'carafe help routes')", error("routes", "--port", "1"));
        assertEquals("'carafe build' passes no arguments to the app", error("build", "--", "x"));
    }

    @Test
    void testPassesEverythingToMaven() {
        CommandLine cl = CommandLine.parse("test", "-Dtest=MyTest", "--fail-at-end");
        assertEquals(List.of("-Dtest=MyTest", "--fail-at-end"), cl.passThrough());
    }

    @Test
    void buildCanSkipTests() {
        assertTrue(CommandLine.parse("build", "--skip-tests").skipTests());
        assertEquals("'--skip-tests' is not an option of 'carafe run' (see 'carafe help run')", error("run", "--skip-tests"));
    }

    @Test
    void unknownCommandsSuggestTheNearOne() {
        assertEquals("unknown command 'rn' (did you mean 'run'?); commands: new, run, dev, test, routes, build, help, version"
                + " (see 'carafe help')", error("rn"));
        assertEquals("unknown command 'serve'; commands: new, run, dev, test, routes, build, help, version (see 'carafe help')",
                error("serve"));
        assertEquals("unknown option '--port' (expected a command first; see 'carafe help')", error("--port", "8080"));
    }
}
