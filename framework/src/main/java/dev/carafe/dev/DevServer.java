package dev.carafe.dev;

import dev.carafe.App;
import dev.carafe.server.Request;
import dev.carafe.server.Response;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import dev.carafe.server.tls.Tls;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Debug mode's supervisor: it owns the listening socket for the life of the process and runs the
 * app as a series of generations. On every save it compiles what changed in-process, loads the
 * new classes in a fresh class loader, runs the app's {@code main} again there, swaps the new app
 * in atomically and retires the old one — while the socket stays open, so no request is refused.
 * A compile error or a failing {@code main} puts an error page on every URL until the next save.
 *
 * <p>Started by {@link App#run} when debug mode is on and the working directory holds
 * {@code src/main/java} (run from the module folder), or when a tool that runs a single source
 * file set it up with {@link #watchSingleFile}; otherwise debug mode means only detailed error
 * pages.
 */
public final class DevServer {
    private static final ThreadLocal<App[]> ADOPTING = new ThreadLocal<>();
    private static volatile SingleFile singleFile;

    /**
     * A single-file app ({@code carafe dev Hello.java}): the file is the only source, compiled into
     * {@code output}; {@code libraries} are its extra dependencies, on the compile class path and
     * visible to every generation through {@code librariesLoader} (the loader of the launch class's
     * dependencies). Templates and static files are the {@code templates/} and {@code static/}
     * folders beside the file, as in Flask. When a save makes {@code dependenciesChanged} true
     * (its {@code //DEPS} lines changed), a class loader cannot absorb it: the process restarts on
     * the same port, as for a project's {@code pom.xml}.
     */
    public record SingleFile(Path file, String mainClass, Path output, List<Path> libraries, ClassLoader librariesLoader,
                             java.util.function.BooleanSupplier dependenciesChanged) {}

    private final DevLayout layout;
    private final Path root;
    private final Path sources;
    private final Path resources;
    private final Path buildFile;
    private final Path output;
    private final String mainClass;
    private final String[] args;
    private final IncrementalCompiler compiler;
    private final LiveReload liveReload = new LiveReload();
    private final List<WeakReference<ClassLoader>> retired = new CopyOnWriteArrayList<>();
    private volatile Generation current;
    private volatile BuildFailure failure;
    private volatile boolean compiledOnce;
    private int generations;
    private Server server;
    private SourceWatcher watcher;

    private DevServer(DevLayout layout, String mainClass, String[] args) throws IOException {
        this.layout = layout;
        this.root = layout.root();
        this.sources = layout.sources();
        this.resources = layout.resources();
        this.buildFile = layout.buildFile();
        this.output = layout.output();
        this.mainClass = mainClass;
        this.args = args;
        IncrementalCompiler.deleteTree(output);
        this.compiler = new IncrementalCompiler(sources, output, layout.classpath());
    }

    /** The single-file app's source, or null for a project: the debug page shows its frames' code. */
    static Path singleFileSource() {
        SingleFile f = singleFile;
        return f == null ? null : f.file().toAbsolutePath();
    }

    /**
     * Makes the next debug-mode start watch one source file instead of a project folder; called
     * by the tool that compiled the file and runs its {@code main}, before it does.
     */
    public static void watchSingleFile(SingleFile app) {
        singleFile = app;
    }

    /**
     * Called by {@link App#run} in a generation's {@code main}: hands the new app to the
     * supervisor instead of starting a second server. Returns false outside a reload.
     */
    public static boolean adopt(App app) {
        App[] slot = ADOPTING.get();
        if (slot == null) return false;
        slot[0] = app;
        return true;
    }

    /**
     * Starts debug mode's supervisor for {@code first}, the app {@code main} built at launch.
     * Returns false (and says why) when there are no sources to watch, so the caller serves the app
     * normally with debug pages only.
     */
    public static boolean start(App first, String[] args, String host, int port, boolean hostGiven, boolean tls) {
        SingleFile file = singleFile;
        DevLayout layout;
        String main;
        if (file != null) {
            layout = DevLayout.singleFile(file);
            main = file.mainClass();
        } else {
            Path root = Path.of("").toAbsolutePath();
            if (!Files.isDirectory(root.resolve("src/main/java"))) {
                System.out.println(" * Debug mode: on; live reload off (no src/main/java in " + root
                        + "; run from the module folder to get it)");
                return false;
            }
            main = mainClass();
            if (main == null) {
                System.out.println(" * Debug mode: on; live reload off (cannot tell which class has main())");
                return false;
            }
            layout = DevLayout.project(root);
        }
        try {
            DevServer dev = new DevServer(layout, main, args);
            dev.serve(first, host, port, hostGiven, tls);
            return true;
        } catch (BindException e) {
            System.err.println("Error: " + e.getMessage());
            System.exit(1);
            return true;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot start debug mode: " + e.getMessage(), e);
        }
    }

    /** The class whose {@code main} started the process: the outermost {@code main} frame on this stack. */
    private static String mainClass() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(f -> f.getMethodName().equals("main"))
                .map(f -> f.getDeclaringClass().getName())
                .reduce((first, second) -> second).orElse(null));
    }

    private void serve(App first, String host, int port, boolean hostGiven, boolean tls) throws IOException {
        useSourceFolders(first);
        current = new Generation(0, first, first.getClass().getClassLoader());
        if (Restart.inherited()) {
            // A restart: the launch classes may predate edits made since the last build, so serve
            // from a fresh compile of the sources before taking over the port.
            warmUp();
            if (failure == null) swapIn(load());
        }
        ServerConfig config = ServerConfig.builder().host(host).port(port)
                .tls(tls ? Tls.selfSigned() : null).build();
        server = Server.start(config, this::handle, Restart.bind(host, port));
        server.stopOnShutdown(Duration.ofSeconds(5));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> current.app.stop(), "carafe-stop-hooks"));
        boolean poll = "1".equals(System.getenv("CARAFE_WATCH_POLL")) || System.getProperty("os.name").startsWith("Mac");
        watcher = new SourceWatcher(layout.watched(), layout.watchedFiles(), poll, this::changed);
        watcher.start();
        if (!compiledOnce) Thread.ofPlatform().daemon().name("carafe-warmup").start(this::warmUp);
        Path cwd = Path.of("").toAbsolutePath();
        System.out.println(" * Debug mode: on (detailed error pages, live reload; never expose this to a network)");
        List<String> names = new ArrayList<>();
        for (Path p : layout.shown()) {
            if (Files.exists(p)) names.add(cwd.relativize(p).toString());
        }
        System.out.println(" * Watching " + String.join(", ", names) + (poll ? " (polling)" : ""));
        if (!hostGiven) System.out.println(" * Listening on loopback only; pass --host 0.0.0.0 to expose it");
        System.out.println("Running on " + server.url());
        System.out.flush();
    }

    /** Compiles everything once in the background: warms javac and fills the dev output folder. */
    private void warmUp() {
        synchronized (this) {
            try {
                IncrementalCompiler.Result r = compiler.buildAll();
                compiledOnce = r.ok();
                if (!r.ok()) fail(BuildFailure.compile(r.problems(), root));
            } catch (IOException e) {
                System.err.println(" * Initial compile failed: " + e);
            }
        }
    }

    private synchronized void changed(Set<Path> changed, Set<Path> deleted) {
        long start = System.nanoTime();
        if (buildFile != null && changed.contains(buildFile)) {
            restart(" * " + root.relativize(buildFile) + " changed: rebuilding and restarting (the socket stays open)");
            return;
        }
        SingleFile file = singleFile;
        if (buildFile == null && file != null && changed.contains(sources) && file.dependenciesChanged().getAsBoolean()) {
            restart(" * //DEPS changed in " + root.relativize(sources) + ": restarting (the socket stays open)");
            return;
        }
        Set<Path> java = new TreeSet<>(), javaDeleted = new TreeSet<>();
        boolean resourcesChanged = false, classpathResources = false;
        for (Path p : changed) {
            if (p.startsWith(sources) && p.toString().endsWith(".java")) java.add(p);
            else if (p.startsWith(resources)) {
                resourcesChanged = true;
                classpathResources |= !isLiveResource(p);
            }
        }
        for (Path p : deleted) {
            if (p.startsWith(sources) && p.toString().endsWith(".java")) javaDeleted.add(p);
            else if (p.startsWith(resources)) {
                resourcesChanged = true;
                classpathResources |= !isLiveResource(p);
            }
        }
        List<String> names = new ArrayList<>();
        for (Path p : changed) names.add(Path.of("").toAbsolutePath().relativize(p).toString());
        for (Path p : deleted) names.add(Path.of("").toAbsolutePath().relativize(p) + " (deleted)");
        System.out.println(" * Detected change in " + String.join(", ", names));
        if (java.isEmpty() && javaDeleted.isEmpty() && !classpathResources && failure == null) {
            if (resourcesChanged) liveReload.reload(current.number); // templates and static files are read live
            return;
        }
        try {
            long compileMs = 0;
            if (!java.isEmpty() || !javaDeleted.isEmpty() || !compiledOnce) {
                IncrementalCompiler.Result r = compiledOnce ? compiler.build(java, javaDeleted) : compiler.buildAll();
                compileMs = r.millis();
                if (!r.ok()) {
                    fail(BuildFailure.compile(r.problems(), root));
                    return;
                }
                compiledOnce = true;
            }
            long swapStart = System.nanoTime();
            swapIn(load());
            long swapMs = (System.nanoTime() - swapStart) / 1_000_000;
            failure = null;
            // One println, one write: printf writes piece by piece, and an access-log line from a
            // request served meanwhile could land in the middle of this one.
            System.out.println(" * Reloaded in %d ms (compile %d ms, swap %d ms)".formatted(
                    (System.nanoTime() - start) / 1_000_000, compileMs, swapMs));
            liveReload.reload(current.number);
        } catch (IOException | RuntimeException e) {
            fail(BuildFailure.exception(e, root));
        }
    }

    /**
     * The build file or a single file's //DEPS changed (a dependency added, say): a class loader cannot absorb that, so
     * rebuild and start a new process that shares the listening socket, hand over, and stay only
     * as a thin parent that waits for it — so the terminal or IDE keeps one process to watch.
     */
    private void restart(String why) {
        System.out.println(why);
        // the command line is run again from where it was started; only a project has a build to run first
        Process child = Restart.rebuildAndLaunch(Path.of("").toAbsolutePath(), server.port(), buildFile != null);
        if (child == null) return; // the rebuild failed and said why; keep serving what we have
        Restart.waitAndExit(child); // first: once our server stops, this thread is what keeps the JVM alive
        try {
            watcher.close();
        } catch (IOException ignored) {
            // stopping anyway
        }
        server.stop(Duration.ofSeconds(10));
        current.app.stop();
    }

    /** Templates and static files are read from the source folder directly; other resources need a reload. */
    private boolean isLiveResource(Path p) {
        Path rel = resources.relativize(p);
        return rel.startsWith("templates") || rel.startsWith("static");
    }

    private void fail(BuildFailure f) {
        failure = f;
        System.out.println(f.consoleText());
        liveReload.reload(-1);
    }

    /** Runs {@code main} in a fresh loader and returns the app it built. */
    private Generation load() {
        int number = ++generations;
        GenerationLoader loader = new GenerationLoader(number, output, List.of(resources), layout.libraries());
        App[] slot = new App[1];
        Thread previous = Thread.currentThread();
        ClassLoader previousLoader = previous.getContextClassLoader();
        previous.setContextClassLoader(loader);
        ADOPTING.set(slot);
        try {
            Method main = Class.forName(mainClass, true, loader).getMethod("main", String[].class);
            main.invoke(null, (Object) args.clone());
        } catch (InvocationTargetException e) {
            throw new GenerationFailed("main() threw", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new GenerationFailed("Cannot run " + mainClass + ".main", e);
        } finally {
            ADOPTING.remove();
            previous.setContextClassLoader(previousLoader);
        }
        if (slot[0] == null) throw new GenerationFailed(mainClass + ".main returned without calling app.run(args)", null);
        slot[0].debug(true);
        useSourceFolders(slot[0]);
        return new Generation(number, slot[0], loader);
    }

    /**
     * Points the app's templates and static files at the source folder, so an edit shows on the
     * next request without a reload; settings the developer made (file, environment) still win.
     */
    private void useSourceFolders(App app) {
        Path templates = resources.resolve("templates");
        Path statics = resources.resolve("static");
        if (Files.isDirectory(templates) && !app.config().has("TEMPLATE_FOLDER")) {
            app.config().setDefault("TEMPLATE_FOLDER", templates.toString());
        }
        if (Files.isDirectory(statics) && !app.config().has("STATIC_FOLDER")) {
            app.config().setDefault("STATIC_FOLDER", statics.toString());
        }
    }

    private void swapIn(Generation next) {
        Generation old = current;
        current = next;
        if (old.number > 0) retired.add(old.loaderRef()); // generation 0 lives in the launch class loader, which stays
        Thread.ofVirtual().name("carafe-retire-" + old.number).start(() -> old.retire(5000));
    }

    /** Every request: dev endpoints, the error page while broken, or the current generation. */
    private void handle(Request request, Response response) throws Exception {
        if (request.path().equals(LiveReload.PREFIX + "status")) {
            System.gc(); // so the count below shows whether retired generations can be collected
            long metaspace = java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getName().equals("Metaspace")).mapToLong(p -> p.getUsage().getUsed()).sum();
            long heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            response.header("Content-Type", "application/json").send("{\"generation\":" + current.number
                    + ",\"liveRetiredGenerations\":" + liveRetiredGenerations() + ",\"broken\":" + (failure != null)
                    + ",\"liveReloadClients\":" + liveReload.clients() + ",\"heapUsed\":" + heap
                    + ",\"metaspaceUsed\":" + metaspace + "}");
            return;
        }
        if (request.path().startsWith(LiveReload.PREFIX)) {
            liveReload.handle(request, response);
            return;
        }
        Response out = new ScriptInjectingResponse(response, liveReload.script());
        BuildFailure f = failure;
        if (f != null) {
            f.respond(request, out);
            return;
        }
        while (true) {
            Generation g = current;
            g.enter();
            if (g != current) { // swapped between the read and enter: use the new one
                g.exit();
                continue;
            }
            try {
                g.handler.handle(request, out);
            } finally {
                g.exit();
            }
            return;
        }
    }

    // ---- for tests and diagnostics -------------------------------------------------------------

    /** How many retired generations' class loaders are still in memory (0 once all are collected). */
    public int liveRetiredGenerations() {
        retired.removeIf(r -> r.get() == null);
        return retired.size();
    }

    /** The current generation's number (0 = the app built at launch). */
    public int generation() {
        return current.number;
    }

    /** {@code main} failed while loading a generation. */
    static final class GenerationFailed extends RuntimeException {
        GenerationFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

}
