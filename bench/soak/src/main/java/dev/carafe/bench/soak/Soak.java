package dev.carafe.bench.soak;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A soak: {@link SoakApp} in a JVM of its own under a steady mixed {@link Load} for a given time,
 * failing when anything went wrong or the server did not end as it started.
 *
 * <pre>
 * bench/soak.sh                 # 10 minutes
 * bench/soak.sh --seconds 60    # what CI runs (SoakTest)
 * </pre>
 *
 * <p>Phases: the server starts; a warm-up load (a sixth of the time, 5–60 s) loads classes, fills
 * pools and compiles the hot code; the load stops and the idle server is measured (the baseline);
 * the load runs for the rest of the time, the server measured every tenth of it; the load stops
 * and the idle server is measured again. Passing means: no request, stream or message failed;
 * the server logged no error or warning; at the end its heap after a full GC is at most
 * {@value #HEAP_GROWTH_MIB} MiB above the baseline, its fds and threads (virtual ones included)
 * within {@value #SLACK} of it, no upload left a temporary file, and SIGTERM stops it within 15 s.
 */
public final class Soak {
    static final int HEAP_GROWTH_MIB = 8, SLACK = 4;

    private Soak() {}

    /** What to run: {@code --seconds N} (default 600), {@code --rate R} HTTP requests a second (default 150), {@code --dir D}. */
    record Options(int seconds, int rate, Path dir) {
        static Options parse(String... args) {
            int seconds = 600, rate = 150;
            Path dir = Path.of("target", "soak");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                    case "--rate" -> rate = Integer.parseInt(args[++i]);
                    case "--dir" -> dir = Path.of(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--seconds N, --rate R, --dir D)");
                }
            }
            if (seconds < 20) throw new IllegalArgumentException("--seconds must be at least 20");
            return new Options(seconds, rate, dir);
        }
    }

    /** What a soak found: the idle server before and after the measured load, and every problem. */
    record Result(ServerProcess.Sample baseline, ServerProcess.Sample end, List<String> problems) {}

    public static void main(String[] args) throws Exception {
        Result r = run(Options.parse(args), System.out);
        if (!r.problems().isEmpty()) {
            System.out.println("FAIL:");
            r.problems().forEach(p -> System.out.println("  " + p));
            System.exit(1);
        }
        System.out.println("PASS");
    }

    static Result run(Options o, PrintStream out) throws Exception {
        int warmUp = Math.clamp(o.seconds() / 6, 5, 60), measured = o.seconds() - warmUp;
        List<String> problems = new ArrayList<>();
        try (ServerProcess server = new ServerProcess(o.dir(), "256m")) {
            out.printf("soak: server pid %d on port %d; %d s warm-up, then %d s of %d requests/s, %d SSE and %d WebSocket loops%n",
                    server.pid(), server.port, warmUp, measured, o.rate(), Load.STREAMERS, Load.STREAMERS);
            out.println("  started:  " + server.sample());
            try (Load warm = new Load(server.port, o.rate())) {
                Thread.sleep(warmUp * 1000L);
                warm.close();
                report(warm, "warm-up", problems, out);
            }
            Thread.sleep(2000); // the server notices the closed connections
            ServerProcess.Sample baseline = server.sample();
            out.println("  baseline: " + baseline);

            long start = System.nanoTime(), every = measured * 1_000_000_000L / 10;
            Load load = new Load(server.port, o.rate());
            for (int i = 1; i <= 10; i++) {
                long wait = start + i * every - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000);
                if (i < 10) out.printf("  %4d s:   %s; %s%n", (System.nanoTime() - start) / 1_000_000_000L, server.sample(), load.counts());
            }
            load.close();
            report(load, "load", problems, out);

            ServerProcess.Sample end = awaitBack(server, baseline);
            out.println("  end:      " + end);
            long growthKiB = end.heapAfterGcKiB() - baseline.heapAfterGcKiB();
            if (growthKiB > HEAP_GROWTH_MIB * 1024L) problems.add("heap after GC grew by " + growthKiB + " KiB");
            if (end.fds() > baseline.fds() + SLACK) problems.add("fds: " + baseline.fds() + " at the start, " + end.fds() + " at the end");
            if (end.osThreads() > baseline.osThreads() + SLACK) problems.add("OS threads: " + baseline.osThreads() + " -> " + end.osThreads());
            if (end.allThreads() > baseline.allThreads() + SLACK) problems.add("threads: " + baseline.allThreads() + " -> " + end.allThreads());
            if (end.tmpFiles() > 0) problems.add(end.tmpFiles() + " temporary files left behind");
            if (!server.stop()) problems.add("the server did not exit within 15 s of SIGTERM");
            for (String line : server.loggedErrors()) problems.add("server log: " + line);
            return new Result(baseline, end, problems);
        }
    }

    private static void report(Load load, String phase, List<String> problems, PrintStream out) {
        out.printf("  %s: %s; %d errors; %s%n", phase, load.counts(), load.errors(), load.latencies());
        for (String e : load.firstErrors()) problems.add(phase + ": " + e);
        if (load.errors() > load.firstErrors().size()) problems.add(phase + ": " + load.errors() + " errors in all");
    }

    /** The idle server once its fds, threads and temporary files are back (or 10 s have passed). */
    private static ServerProcess.Sample awaitBack(ServerProcess server, ServerProcess.Sample baseline) throws Exception {
        long until = System.nanoTime() + 10_000_000_000L;
        while (true) {
            ServerProcess.Sample s = server.sample();
            boolean back = s.fds() <= baseline.fds() + SLACK && s.allThreads() <= baseline.allThreads() + SLACK && s.tmpFiles() == 0;
            if (back || System.nanoTime() > until) return s;
            Thread.sleep(500);
        }
    }
}
