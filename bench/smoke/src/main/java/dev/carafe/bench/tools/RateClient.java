package dev.carafe.bench.tools;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Open-loop load at a fixed offered rate, for bench/run's "latency at a fixed rate" column.
 *
 * <pre>java -cp bench/smoke/target/classes dev.carafe.bench.tools.RateClient HOST PORT PATH RATE CONNS WARMUPS WARM_S MEASURE_S [PID,PID..]</pre>
 *
 * Request {@code i} is due at {@code start + i / RATE}: evenly spaced, whatever the server does.
 * (h2load's {@code --rps} is per client and fires every client's timer at the same moment: at
 * 64 clients × 1,000/s it offers bursts of 64 requests every millisecond, and its p50 is the time
 * a server takes to drain such a burst.) A due request goes out on an idle keep-alive connection
 * (the one idle longest, so all CONNS are used) and waits in the client while none is idle. Its
 * latency runs from the moment it was due to the end of its response, so time spent waiting
 * behind a stalled server counts (no coordinated omission): a server that falls behind shows it in
 * the latency, never as a lower offered rate.
 *
 * <p>First {@value #CLIENT_WARMUP} requests closed-loop on connections of their own, so the client
 * itself is compiled; then continuous load: WARMUPS runs of WARM_S seconds (discarded, but their
 * p50/p99 are printed to show whether p99 has settled) and the measured run of MEASURE_S seconds.
 * One thread, busy-polling a selector: the load generator owns its core (bench/run pins it), and
 * on the 2-vCPU VM this was written on a thread that sleeps wakes up ~100 µs late (a variant that
 * parked between requests measured nginx's p50 at 120 µs instead of 23 µs). The loop allocates
 * nothing, and whatever happens at most once (reading CPU times) happens between runs, outside it,
 * and in the discarded runs too: a branch first taken during the measured run would deoptimize
 * the loop and hand the core to the JIT for milliseconds.
 *
 * <p>Prints one JSON line about the measured run: completed requests, percentiles (µs), errors,
 * the rate offered, sent and achieved, {@code lag_p99_us} (how late requests left the client: it
 * grows when the client cannot keep up or the server holds every connection),
 * {@code client_runq_wait_us} (time the client's thread was runnable while another task had its
 * core: the noise of a shared machine), {@code client_stalled_us}/{@code client_max_stall_us}
 * (gaps over 50 µs between two turns of the loop), and with PIDs the {@code cpu_ticks}
 * (utime+stime) those processes used.
 */
public final class RateClient {
    /** Per-run results; latencies in nanoseconds. */
    public record Run(double seconds, long offered, long sent, long completed, long ok, long non2xx, long failed,
                      long p50, long p99, long p999, long max, long lagP99) {
        double achievedRps() { return completed / seconds; }
    }

    /** Requests the client sends to warm itself up (JIT) before the offered load starts. */
    static final int CLIENT_WARMUP = 50_000;

    private static final class Conn {
        SocketChannel channel;
        SelectionKey key;
        final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        long index = -1; // the request in flight, -1 when idle
        int scanned;     // bytes of `in` already searched for the end of the head
        int headEnd = -1;
        long contentLength;
        int status;
        boolean broken; // closed after an error, to be replaced
        boolean queued; // in the idle ring
    }

    private final String host;
    private final int port;
    private final ByteBuffer request;
    private final long rate;
    private final long total;       // requests over all runs
    private final long[] runStarts; // index of each run's first request, plus total at the end
    private final long[] latency;   // per request: ns from due to response, -1 failed, 0 not done
    private final long[] lag;       // per request: ns from due to sent
    private final int[] status;
    private final long[] completedAt;
    private final Conn[] conns;
    private final int[] idle;       // FIFO ring of idle connection numbers
    private int idleHead, idleCount;
    private final Selector selector;
    private long start;
    private long sent, done;
    private long nextDue; // requests [sent, nextDue) are due and wait for a connection
    private int broken;
    private final java.util.function.Consumer<SelectionKey> onReady = this::ready;
    private long[] cpuPids = {};
    private long cpuUsed; // measured run: clock ticks the cpuPids used
    private long waited;  // measured run: ns this thread was runnable but not running (another task had the core)
    private long stalledNanos, maxStall; // measured run: gaps between two turns of the loop over STALL_NANOS
    private static final long STALL_NANOS = 50_000;

    private RateClient(String host, int port, String path, long rate, int connections, double[] runSeconds) throws IOException {
        this.host = host;
        this.port = port;
        byte[] req = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        this.request = ByteBuffer.allocateDirect(req.length).put(req).flip();
        this.rate = rate;
        this.runStarts = new long[runSeconds.length + 1];
        double t = 0;
        for (int r = 0; r < runSeconds.length; r++) {
            runStarts[r] = Math.round(t * rate);
            t += runSeconds[r];
        }
        this.total = runStarts[runSeconds.length] = Math.round(t * rate);
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("too many requests: " + total);
        latency = new long[(int) total];
        lag = new long[(int) total];
        status = new int[(int) total];
        completedAt = new long[(int) total];
        conns = new Conn[connections];
        idle = new int[connections];
        selector = Selector.open();
        for (int c = 0; c < connections; c++) {
            conns[c] = new Conn();
            connect(c);
            pushIdle(c);
        }
    }

    private void pushIdle(int c) {
        if (conns[c].queued) return;
        conns[c].queued = true;
        idle[(idleHead + idleCount++) % idle.length] = c;
    }

    private void connect(int c) throws IOException {
        Conn conn = conns[c];
        conn.channel = SocketChannel.open(new InetSocketAddress(host, port));
        conn.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        conn.channel.configureBlocking(false);
        conn.key = conn.channel.register(selector, SelectionKey.OP_READ, c);
        conn.in.clear();
        conn.index = -1;
        conn.scanned = 0;
        conn.headEnd = -1;
    }

    private long due(long i) {
        return start + (long) (i * 1e9 / rate);
    }

    /** Offers all requests, waits up to {@code drainNanos} for the last answers, returns one Run per run. */
    private List<Run> run(long drainNanos) throws IOException {
        start = System.nanoTime() + 1_000_000;
        // The CPU times are read at the end of every run, not only around the measured one: the
        // first reading loads and compiles code, and a branch first taken in the loop costs a
        // deoptimization, both of which take the client's core; let them happen in a discarded run.
        int measured = runStarts.length - 2;
        long cpu0 = cpuTicks(), wait0 = runQueueWait();
        for (int r = 0; r <= measured; r++) {
            stalledNanos = 0;
            maxStall = 0;
            phase(runStarts[r + 1], due(runStarts[r + 1]));
            long cpu = cpuTicks(), wait = runQueueWait();
            cpuUsed = cpu - cpu0;
            waited = wait - wait0;
            cpu0 = cpu;
            wait0 = wait;
        }
        long measuredStalls = stalledNanos, measuredMaxStall = maxStall;
        phase(total, System.nanoTime() + drainNanos); // the last answers
        stalledNanos = measuredStalls;
        maxStall = measuredMaxStall;
        long end = System.nanoTime();
        for (long i = 0; i < total; i++) {
            if (latency[(int) i] == 0) { // never answered: as late as the end of the run, and an error
                latency[(int) i] = -1;
                if (lag[(int) i] == 0 && i >= sent) lag[(int) i] = end - due(i);
            }
        }
        for (Conn c : conns) c.channel.close();
        selector.close();
        List<Run> runs = new ArrayList<>();
        for (int r = 0; r + 1 < runStarts.length; r++) runs.add(summarize(runStarts[r], runStarts[r + 1], end));
        return runs;
    }

    /**
     * {@link #loop} in slices of a millisecond: called often, the loop is compiled as a method early
     * in the warm-ups, not only as an on-stack replacement whose exit is a deoptimization and whose
     * full compilation would otherwise take the client's core during the measured run.
     */
    private void phase(long limit, long until) throws IOException {
        while (done < total) {
            long now = System.nanoTime();
            if (now >= until) return;
            loop(limit, Math.min(until, now + 1_000_000));
        }
    }

    /**
     * Sends the requests below {@code limit} as they fall due and reads answers, until the time
     * {@code until} or until every request is answered.
     */
    private void loop(long limit, long until) throws IOException {
        long last = System.nanoTime();
        while (done < total) {
            long now = System.nanoTime();
            if (now >= until) return;
            long gap = now - last; // the loop stood still: the client lost its core
            if (gap > STALL_NANOS) stalledNanos += gap;
            maxStall = Math.max(maxStall, gap);
            while (nextDue < limit && due(nextDue) <= now) nextDue++;
            while (sent < nextDue && idleCount > 0) {
                int c = idle[idleHead];
                idleHead = (idleHead + 1) % idle.length;
                idleCount--;
                conns[c].queued = false;
                if (!conns[c].broken) send(c, now);
            }
            int events = selector.selectNow(onReady);
            if (broken > 0) reconnectBroken();
            last = System.nanoTime();
            if (events == 0 && done == sent && nextDue < total && due(nextDue) - last > 2_000_000) { // a low rate: sleep
                selector.select((due(nextDue) - last) / 1_000_000 - 1);
                last = System.nanoTime();
            }
        }
    }

    /** utime+stime of the processes in {@code cpuPids}, in clock ticks (0 without pids or /proc). */
    private long cpuTicks() {
        long t = 0;
        for (long pid : cpuPids) {
            try {
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", String.valueOf(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                t += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException e) {
                // the process ended, or no /proc: counts nothing
            }
        }
        return t;
    }

    /** Nanoseconds this thread has waited for a core so far (/proc/thread-self/schedstat), 0 when unknown. */
    private static long runQueueWait() {
        try {
            return Long.parseLong(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/schedstat")).trim().split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private void send(int c, long now) throws IOException {
        Conn conn = conns[c];
        long i = sent++;
        conn.index = i;
        lag[(int) i] = Math.max(1, now - due(i));
        request.rewind();
        try {
            while (request.hasRemaining()) conn.channel.write(request); // ~50 bytes: one write in practice
        } catch (IOException e) {
            fail(c);
        }
    }

    private void ready(SelectionKey key) {
        int c = (Integer) key.attachment();
        Conn conn = conns[c];
        try {
            int n = conn.channel.read(conn.in);
            if (n < 0) throw new IOException("closed by the server");
            if (conn.index < 0) throw new IOException("bytes without a request in flight");
            if (complete(conn)) {
                long i = conn.index;
                long now = System.nanoTime();
                latency[(int) i] = Math.max(1, now - due(i));
                completedAt[(int) i] = now;
                status[(int) i] = conn.status;
                done++;
                conn.index = -1;
                conn.in.clear();
                conn.scanned = 0;
                conn.headEnd = -1;
                pushIdle(c);
            }
        } catch (IOException | RuntimeException e) {
            fail(c);
        }
    }

    /** Whether {@code conn.in} holds a whole response (status line, head, Content-Length body). */
    private static boolean complete(Conn conn) throws IOException {
        byte[] b = conn.in.array();
        int len = conn.in.position();
        if (conn.headEnd < 0) {
            int i = Math.max(0, conn.scanned - 3);
            for (; i + 3 < len; i++) {
                if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') break;
            }
            if (i + 3 >= len) {
                conn.scanned = len;
                if (len == b.length) throw new IOException("response head too large");
                return false;
            }
            conn.headEnd = i + 4;
            conn.status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
            conn.contentLength = -1;
            for (int k = 0; k < i; k++) { // byte-wise, allocation-free: the client must keep up with its rate
                if (b[k] != '\n') continue;
                if (startsWith(b, k + 1, i, "content-length:")) {
                    long v = 0;
                    for (int j = k + 16; j < i && b[j] != '\r'; j++) if (b[j] >= '0' && b[j] <= '9') v = v * 10 + b[j] - '0';
                    conn.contentLength = v;
                } else if (startsWith(b, k + 1, i, "transfer-encoding:")) {
                    throw new IOException("chunked response: not supported");
                }
            }
            if (conn.contentLength < 0) throw new IOException("response without Content-Length");
        }
        return len >= conn.headEnd + conn.contentLength;
    }

    /** The request in flight on {@code c} failed: count it, drop the connection; the loop opens a new one. */
    /** Whether b[from..] starts with the lower-case {@code name}, ignoring case, within b[..to]. */
    private static boolean startsWith(byte[] b, int from, int to, String name) {
        if (from + name.length() > to) return false;
        for (int j = 0; j < name.length(); j++) if ((b[from + j] | 0x20) != name.charAt(j)) return false;
        return true;
    }

    private void fail(int c) {
        Conn conn = conns[c];
        if (conn.index >= 0) {
            latency[(int) conn.index] = -1;
            completedAt[(int) conn.index] = System.nanoTime();
            done++;
            conn.index = -1;
        }
        conn.key.cancel();
        try {
            conn.channel.close();
        } catch (IOException ignored) {
            // it is being replaced
        }
        if (!conn.broken) {
            conn.broken = true;
            broken++;
        }
    }

    private void reconnectBroken() throws IOException {
        for (int c = 0; c < conns.length && broken > 0; c++) {
            if (!conns[c].broken) continue;
            conns[c].broken = false;
            broken--;
            connect(c);
            pushIdle(c);
        }
    }

    private Run summarize(long from, long to, long end) {
        int n = (int) (to - from);
        double seconds = n / (double) rate;
        long runStart = due(from), runEnd = due(to);
        long[] lat = new long[n];
        long[] lags = new long[n];
        long sentIn = 0, completed = 0, ok = 0, non2xx = 0, failed = 0;
        for (int k = 0; k < n; k++) {
            int i = (int) (from + k);
            long l = latency[i];
            if (l < 0) {
                failed++;
                l = Long.MAX_VALUE; // an unanswered request is slower than every answered one
            } else if (status[i] / 100 == 2) {
                ok++;
            } else {
                non2xx++;
            }
            lat[k] = l;
            lags[k] = lag[i];
            long sentAt = due(i) + lag[i];
            if (lag[i] > 0 && sentAt < runEnd) sentIn++;
        }
        // throughput: responses that arrived inside this run's window, whichever request they answer
        for (int i = 0; i < total; i++) {
            long t = completedAt[i];
            if (t >= runStart && t < runEnd && latency[i] > 0) completed++;
        }
        if (DUMP != null && to == total) dump(from, to);
        Arrays.sort(lat);
        Arrays.sort(lags);
        long maxSeen = end - runStart;
        return new Run(seconds, n, sentIn, completed, ok, non2xx, failed,
                Math.min(pct(lat, 50), maxSeen), Math.min(pct(lat, 99), maxSeen), Math.min(pct(lat, 99.9), maxSeen),
                Math.min(lat[n - 1], maxSeen), pct(lags, 99));
    }

    /**
     * -Drateclient.dump=FILE: the measured run's requests, one line each: µs from its start when
     * due, latency µs, lag µs; the first line gives the start's wall-clock time, to line the slow
     * moments up with a server's GC or JIT log.
     */
    private static final String DUMP = System.getProperty("rateclient.dump");

    private void dump(long from, long to) {
        long epochMicros = System.currentTimeMillis() * 1000 + (due(from) - System.nanoTime()) / 1000;
        StringBuilder b = new StringBuilder("# measured run starts at " + epochMicros + " µs since the epoch\n");
        for (long i = from; i < to; i++) {
            b.append((due(i) - due(from)) / 1000).append(' ').append(latency[(int) i] / 1000).append(' ').append(lag[(int) i] / 1000).append('\n');
        }
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of(DUMP), b);
        } catch (IOException e) {
            System.err.println("rateclient.dump: " + e);
        }
    }

    private static long pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, (long) (sorted.length * p / 100))];
    }

    /**
     * Sends {@code clientWarmup} requests closed-loop to warm the client itself up, then offers
     * {@code rate} requests/s: {@code warmups} discarded runs of {@code warmSeconds}, then one of
     * {@code measureSeconds}. Returns one Run per run, the measured one last; {@link #lastCpuTicks}
     * is then the CPU time {@code pids} spent during the measured run.
     */
    public static List<Run> offer(String host, int port, String path, long rate, int connections, int warmups,
                                  double warmSeconds, double measureSeconds, long[] pids, int clientWarmup) throws IOException {
        if (clientWarmup > 0) { // JIT: compiled before the schedule starts, or the client falls behind in the first run
            new RateClient(host, port, path, 1_000_000_000L, connections, new double[] {clientWarmup / 1e9}).run(5_000_000_000L);
        }
        double[] runs = new double[warmups + 1];
        Arrays.fill(runs, 0, warmups, warmSeconds);
        runs[warmups] = measureSeconds;
        RateClient client = new RateClient(host, port, path, rate, connections, runs);
        client.cpuPids = pids;
        List<Run> result = client.run(5_000_000_000L);
        lastCpuTicks = client.cpuUsed;
        lastStalledNanos = client.stalledNanos;
        lastRunQueueWait = client.waited;
        lastMaxStall = client.maxStall;
        return result;
    }

    /** Clock ticks the {@code pids} given to the last {@link #offer} spent during its measured run. */
    static long lastCpuTicks;
    /** Time the client's loop stood still during the last measured run (gaps over 50 µs), and the longest gap: the client lost its core. */
    static long lastStalledNanos, lastMaxStall;
    /** Time the client waited for its core (another task ran on it) during the last measured run. */
    static long lastRunQueueWait;

    public static void main(String[] args) throws Exception {
        long[] pids = args.length > 8 && !args[8].isEmpty()
                ? Arrays.stream(args[8].split(",")).mapToLong(Long::parseLong).toArray() : new long[0];
        List<Run> runs = offer(args[0], Integer.parseInt(args[1]), args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]),
                Integer.parseInt(args[5]), Double.parseDouble(args[6]), Double.parseDouble(args[7]), pids, CLIENT_WARMUP);
        Run m = runs.get(runs.size() - 1);
        StringBuilder warm = new StringBuilder();
        for (Run w : runs.subList(0, runs.size() - 1)) {
            if (!warm.isEmpty()) warm.append(',');
            warm.append(String.format(Locale.ROOT, "{\"p50_us\":%d,\"p99_us\":%d,\"achieved_rps\":%.0f}",
                    w.p50 / 1000, w.p99 / 1000, w.achievedRps()));
        }
        System.out.printf(Locale.ROOT, "{\"requests\":%d,\"duration_us\":%d,\"status\":%d,\"connect\":%d,\"read\":0,\"write\":0,"
                        + "\"timeout\":0,\"p50_us\":%d,\"p99_us\":%d,\"p999_us\":%d,\"max_us\":%d,\"offered_rps\":%.0f,"
                        + "\"sent_rps\":%.0f,\"achieved_rps\":%.0f,\"lag_p99_us\":%d,\"client_stalled_us\":%d,\"client_max_stall_us\":%d,\"client_runq_wait_us\":%d,\"cpu_ticks\":%d,\"warmups\":[%s]}%n",
                m.completed, (long) (m.seconds * 1e6), m.non2xx, m.failed, m.p50 / 1000, m.p99 / 1000, m.p999 / 1000,
                m.max / 1000, m.offered / m.seconds, m.sent / m.seconds, m.achievedRps(), m.lagP99 / 1000, lastStalledNanos / 1000, lastMaxStall / 1000, lastRunQueueWait / 1000, lastCpuTicks, warm);
    }
}
