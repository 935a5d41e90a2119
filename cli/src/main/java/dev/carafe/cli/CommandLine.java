package dev.carafe.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the user asked for, parsed from {@code carafe <command> [options] [args]}. Parsing never
 * touches the file system or the network, so every misuse gets its message here, before anything
 * is built.
 *
 * <pre>{@code
 * CommandLine.parse("run", "Hello.java", "--port", "9000")  // command run, file Hello.java, port 9000
 * CommandLine.parse("new", "demo", "--template", "api")      // command new, name demo, template api
 * }</pre>
 *
 * @param command     one of {@link #COMMANDS}
 * @param name        the project name of {@code new}
 * @param template    the layout of {@code new}: web (default), api or minimal
 * @param file        the single-file app of run, dev or routes; null for the project in the working folder
 * @param port        --port, or null for the app's default (env PORT, else 8080)
 * @param host        --host, or null for the app's default (127.0.0.1)
 * @param mainClass   --main: the class whose main starts a project, when it cannot be told
 * @param skipTests   build --skip-tests
 * @param passThrough arguments after {@code --} (given to the app) or, for test, to Maven
 */
record CommandLine(String command, String name, String template, Path file, Integer port, String host,
                   String mainClass, boolean skipTests, List<String> passThrough) {

    static final List<String> COMMANDS = List.of("new", "run", "dev", "test", "routes", "build", "help", "version");
    static final List<String> TEMPLATES = List.of("web", "api", "minimal");
    private static final Set<String> TAKES_FILE = Set.of("run", "dev", "routes");

    /** A misuse of the command line: printed as {@code carafe: <message>}, exit status 2. */
    static final class UsageError extends CliError {
        UsageError(String message) {
            super(message, 2);
        }
    }

    static CommandLine parse(String... args) {
        if (args.length == 0) return help();
        String command = args[0];
        switch (command) {
            case "--version", "-V", "version" -> {
                if (args.length > 1) throw new UsageError("'" + command + "' takes no arguments");
                return of("version");
            }
            case "--help", "-h", "help" -> {
                return args.length > 1 ? of("help", args[1]) : help();
            }
            default -> {
                if (command.startsWith("-")) {
                    throw new UsageError("unknown option '" + command + "' (expected a command first; see 'carafe help')");
                }
                if (command.equals("_prepare")) return of("_prepare");
                if (command.equals("_setup") && args.length == 2) return of("_setup", args[1]);
                if (!COMMANDS.contains(command)) {
                    throw new UsageError("unknown command '" + command + "'" + suggestion(command) + "; commands: "
                            + String.join(", ", COMMANDS) + " (see 'carafe help')");
                }
            }
        }
        return parseCommand(command, List.of(args).subList(1, args.length));
    }

    private static CommandLine parseCommand(String command, List<String> rest) {
        String name = null, template = null, host = null, mainClass = null;
        Path file = null;
        Integer port = null;
        boolean skipTests = false;
        List<String> passThrough = new ArrayList<>();
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (command.equals("test")) { // everything goes to Maven: carafe test -Dtest=MyTest
                passThrough.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                if (!TAKES_FILE.contains(command)) throw new UsageError("'carafe " + command + "' passes no arguments to the app");
                passThrough.addAll(rest.subList(i + 1, rest.size()));
                break;
            }
            if (arg.equals("--help") || arg.equals("-h")) return of("help", command);
            String option = arg.contains("=") && arg.startsWith("--") ? arg.substring(0, arg.indexOf('=')) : arg;
            String inline = option.equals(arg) ? null : arg.substring(option.length() + 1);
            switch (option) {
                case "--port" -> {
                    allow(command, option, "run", "dev");
                    port = parsePort(inline != null ? inline : value(rest, ++i, option));
                }
                case "--host" -> {
                    allow(command, option, "run", "dev");
                    host = inline != null ? inline : value(rest, ++i, option);
                    if (host.isBlank()) throw new UsageError("--host needs a value, such as 127.0.0.1 or 0.0.0.0");
                }
                case "--template", "-t" -> {
                    allow(command, option, "new");
                    template = inline != null ? inline : value(rest, ++i, option);
                    if (!TEMPLATES.contains(template)) {
                        throw new UsageError("unknown template '" + template + "'; choose one of " + String.join(", ", TEMPLATES));
                    }
                }
                case "--main" -> {
                    allow(command, option, "run", "dev", "routes");
                    mainClass = inline != null ? inline : value(rest, ++i, option);
                }
                case "--skip-tests" -> {
                    allow(command, option, "build");
                    skipTests = true;
                }
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageError("unknown option '" + arg + "' for 'carafe " + command + "' (see 'carafe help " + command + "')");
                    }
                    if (command.equals("new") && name == null) {
                        name = arg;
                    } else if (TAKES_FILE.contains(command) && file == null && arg.endsWith(".java")) {
                        file = Path.of(arg);
                    } else if (TAKES_FILE.contains(command) && file == null) {
                        throw new UsageError("'" + arg + "' is not a .java file. 'carafe " + command
                                + "' runs the project in this folder, or a single file: carafe " + command + " Hello.java");
                    } else {
                        throw new UsageError("unexpected argument '" + arg + "' for 'carafe " + command + "'"
                                + (TAKES_FILE.contains(command) ? " (arguments for the app go after --)" : ""));
                    }
                }
            }
        }
        if (command.equals("new")) {
            if (name == null) throw new UsageError("'carafe new' needs a project name: carafe new demo");
            checkName(name);
        }
        if (file != null && mainClass != null) throw new UsageError("--main is for projects; a single file runs its own main");
        return new CommandLine(command, name, template == null ? "web" : template, file, port, host, mainClass, skipTests,
                List.copyOf(passThrough));
    }

    /** The app's arguments: --port and --host as given, then what came after {@code --}. */
    List<String> appArgs() {
        List<String> out = new ArrayList<>();
        if (port != null) out.addAll(List.of("--port", port.toString()));
        if (host != null) out.addAll(List.of("--host", host));
        out.addAll(passThrough);
        return out;
    }

    private static void checkName(String name) {
        if (!name.matches("[A-Za-z][A-Za-z0-9_-]*")) {
            throw new UsageError("project name '" + name + "' must start with a letter and use only letters, digits, - and _");
        }
    }

    private static void allow(String command, String option, String... commands) {
        if (!List.of(commands).contains(command)) {
            throw new UsageError("'" + option + "' is not an option of 'carafe " + command + "' (see 'carafe help " + command + "')");
        }
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size() || args.get(i).startsWith("--")) throw new UsageError(option + " needs a value");
        return args.get(i);
    }

    private static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s);
            if (p >= 0 && p <= 65535) return p;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageError("--port needs a number from 0 to 65535, got '" + s + "'");
    }

    /** " (did you mean 'run'?)" for a near miss (one edit away, or a prefix), else nothing. */
    private static String suggestion(String typed) {
        for (String c : COMMANDS) {
            if (c.startsWith(typed) || typed.startsWith(c) || distance(c, typed) <= 1) return " (did you mean '" + c + "'?)";
        }
        return "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static CommandLine help() {
        return of("help");
    }

    private static CommandLine of(String command, String... topic) {
        return new CommandLine(command, topic.length > 0 ? topic[0] : null, null, null, null, null, null, false, List.of());
    }
}
