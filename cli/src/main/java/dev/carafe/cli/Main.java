package dev.carafe.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code carafe} command. The launcher script only finds a JDK 21+ and starts this class;
 * everything else — parsing, messages, building, running — is here, where it can be tested.
 *
 * <pre>
 * carafe new demo && cd demo && carafe dev      # a project with live reload
 * carafe run Hello.java --port 9000             # a single-file app
 * </pre>
 */
public final class Main {
    /** Returned by {@link #run} when the app now serves from this JVM: do not exit. */
    static final int SERVING = -1;

    private Main() {}

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, Env.system());
        } catch (RuntimeException e) { // a bug or the app's own failure: short, with the trace for a report
            System.err.println("carafe: " + e);
            e.printStackTrace();
            status = 1;
        }
        if (status != SERVING) {
            System.out.flush();
            System.exit(status);
        }
    }

    /** Runs one command; the exit status, or {@link #SERVING}. */
    static int run(String[] args, Env env) {
        try {
            CommandLine cl = CommandLine.parse(args);
            return switch (cl.command()) {
                case "help" -> help(env, cl.name());
                case "version" -> version(env);
                case "new" -> newProject(env, cl);
                case "run", "dev", "routes" -> cl.file() != null ? singleFile(env, cl) : project(env, cl);
                case "test" -> test(env, cl);
                case "build" -> build(env, cl);
                case "_prepare" -> { // debug mode's rebuild after a pom.xml change (CARAFE_REBUILD)
                    Project.here(env, "dev").prepare(new Maven(env));
                    yield 0;
                }
                case "_setup" -> { // ./carafe install: the class path of Carafe's runtime, for single-file apps
                    Deps.writeRuntime(env, version(), Path.of(cl.name()));
                    yield 0;
                }
                default -> throw new IllegalStateException(cl.command());
            };
        } catch (CliError e) {
            env.err().println("carafe: " + e.getMessage());
            return e.status;
        }
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("carafe.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int version(Env env) {
        env.out().println("carafe " + version());
        env.out().println("Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")");
        return 0;
    }

    private static int newProject(Env env, CommandLine cl) {
        Path dir = NewProject.create(env, cl.name(), cl.template(), version());
        env.out().println("Created " + env.cwd().relativize(dir) + "/ (" + cl.template() + " template, Carafe " + version() + ")");
        env.out().println();
        env.out().println("  cd " + env.cwd().relativize(dir));
        env.out().println("  carafe dev      # http://127.0.0.1:8080 with live reload");
        env.out().println("  carafe test     # run its tests");
        return 0;
    }

    private static int singleFile(Env env, CommandLine cl) {
        boolean routes = cl.command().equals("routes");
        if (!routes) checkPort(env, cl);
        SingleFile app = new SingleFile(env, cl.file());
        List<String> args = new ArrayList<>(cl.appArgs());
        if (routes) args.add("--routes");
        app.run(args, cl.command().equals("dev"), version());
        return routes ? 0 : SERVING;
    }

    private static int project(Env env, CommandLine cl) {
        Project project = Project.here(env, cl.command());
        boolean routes = cl.command().equals("routes"), dev = cl.command().equals("dev");
        if (!routes) checkPort(env, cl);
        Maven maven = new Maven(env);
        String main = project.mainClass(cl.mainClass());
        project.prepare(maven);
        List<String> command = new ArrayList<>(List.of(java(), "@" + project.argFile(), main));
        if (dev) command.add("--debug");
        if (routes) command.add("--routes");
        command.addAll(cl.appArgs());
        // A pom.xml change makes debug mode rebuild and restart; the class path must be computed again then
        Map<String, String> extra = dev ? Map.of("CARAFE_REBUILD", shellQuote(java()) + " -cp " + shellQuote(ownJar())
                + " " + Main.class.getName() + " _prepare") : Map.of();
        return Launch.exec(env, command, extra);
    }

    private static int test(Env env, CommandLine cl) {
        Project project = Project.here(env, "test");
        long start = System.currentTimeMillis() - 1000; // file times can be coarse
        List<String> args = new ArrayList<>(List.of("test"));
        args.addAll(cl.passThrough());
        int status = new Maven(env).exec(project.root, args);
        long[] counts = project.testCounts(start);
        if (status != 0) {
            throw new CliError(counts[1] + counts[2] > 0 ? "tests failed: " + counts[1] + " failures, " + counts[2]
                    + " errors in " + counts[0] + " tests (details above)" : "the build failed (mvn exited with status " + status
                    + "; its output is above)");
        }
        env.out().println("carafe: " + counts[0] + (counts[0] == 1 ? " test" : " tests") + " passed");
        return 0;
    }

    private static int build(Env env, CommandLine cl) {
        Project project = Project.here(env, "build");
        List<String> args = new ArrayList<>(List.of("package"));
        if (cl.skipTests()) args.add("-DskipTests");
        new Maven(env).run(project.root, args, "the build failed");
        Path jar = project.builtJar();
        if (jar == null) throw new CliError("the build made no jar in target/");
        Path rel = project.root.relativize(jar);
        env.out().println("Built " + rel);
        env.out().println("Run it with: java -jar " + rel + " --port 8080");
        return 0;
    }

    /** Fails early, before a build, when the app could not listen: another server holds the port. */
    static void checkPort(Env env, CommandLine cl) {
        if (env.vars().containsKey("CARAFE_DEV_INHERIT_PORT")) return; // debug mode restarting: it shares its parent's port
        int port = cl.port() != null ? cl.port() : envPort(env);
        String host = cl.host() != null ? cl.host() : env.vars().getOrDefault("HOST", "127.0.0.1");
        if (port == 0) return;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            throw new CliError("port " + port + " is already in use on " + host + " (is another server running?);"
                    + " stop it or pick another port with --port N");
        } catch (IOException e) {
            throw new CliError("cannot listen on " + host + ":" + port + ": " + e.getMessage());
        }
    }

    private static int envPort(Env env) {
        String p = env.vars().get("PORT");
        if (p == null) return 8080;
        try {
            return Integer.parseInt(p.trim());
        } catch (NumberFormatException e) {
            throw new CliError("the environment variable PORT is '" + p + "', not a port number");
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String ownJar() {
        try {
            return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static int help(Env env, String topic) {
        String text = topic == null ? Help.OVERVIEW : Help.of(topic);
        if (text == null) {
            env.err().println("carafe: no help for '" + topic + "'; commands: " + String.join(", ", CommandLine.COMMANDS));
            return 2;
        }
        env.out().print(text);
        return 0;
    }
}
