package dev.carafe.cli;

import java.util.Map;

/** The text of {@code carafe help} and {@code carafe help COMMAND}. */
final class Help {
    private Help() {}

    static final String OVERVIEW = """
            carafe: build and run Carafe apps (Flask-style web apps in Java)

            Usage: carafe <command> [options]

              new NAME [--template web|api|minimal]   create the project NAME/ (default template: web)
              dev [FILE.java] [--port N] [--host H]   serve with live reload: edit, save, refresh
              run [FILE.java] [--port N] [--host H]   build and serve
              test [maven options]                    run the project's tests
              routes [FILE.java]                      print the route table
              build [--skip-tests]                    make the runnable jar in target/
              help [COMMAND], --version

            Without FILE.java a command works on the Maven project in this folder (one whose main
            calls app.run(args)); with it, on that single file, which may name extra Maven
            dependencies on lines such as //DEPS com.google.guava:guava:33.4.0-jre.
            Arguments after -- go to the app. Environment: PORT, HOST, CARAFE_MVN (the Maven to use).
            """;

    private static final Map<String, String> COMMANDS = Map.of(
            "new", """
                    Usage: carafe new NAME [--template web|api|minimal]

                    Creates NAME/, a Maven project on the installed Carafe (through dev.carafe:carafe-bom):
                      web       an HTML page from a Pebble template, a JSON route, a stylesheet, tests (default)
                      api       a JSON API on in-memory items, tests
                      minimal   one route, one test
                    The folder must not exist yet, or be empty.
                    """,
            "dev", """
                    Usage: carafe dev [FILE.java] [--port N] [--host H] [--main CLASS] [-- app args]

                    Serves the app in debug mode: saving a .java file recompiles it in-process and swaps the new
                    code in without dropping a request; templates and static files show at once; errors get a
                    detailed page. Never expose it to a network. Listens on 127.0.0.1:8080 unless told otherwise.
                    """,
            "run", """
                    Usage: carafe run [FILE.java] [--port N] [--host H] [--main CLASS] [-- app args]

                    Builds the project in this folder (or compiles FILE.java) and serves it; prints
                    'Running on http://127.0.0.1:8080' once it accepts connections.
                    """,
            "test", """
                    Usage: carafe test [maven options]

                    Runs the project's tests (mvn test); options go to Maven, e.g. carafe test -Dtest=MyAppTest.
                    """,
            "routes", """
                    Usage: carafe routes [FILE.java] [--main CLASS]

                    Prints the app's route table: endpoint name, methods, rule.
                    """,
            "build", """
                    Usage: carafe build [--skip-tests]

                    Runs mvn package (tests included unless --skip-tests) and names the jar it made.
                    """,
            "help", """
                    Usage: carafe help [COMMAND]
                    """,
            "version", """
                    Usage: carafe --version

                    Prints Carafe's version and the JDK carafe runs on.
                    """);

    static String of(String command) {
        return COMMANDS.get(command);
    }
}
