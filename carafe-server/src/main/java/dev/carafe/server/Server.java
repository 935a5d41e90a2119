package dev.carafe.server;

import dev.carafe.server.http1.BufferPool;
import dev.carafe.server.http1.Http1Connection;
import dev.carafe.server.http1.Log;
import dev.carafe.server.http1.Poller;
import dev.carafe.server.http1.Reaper;
import dev.carafe.server.tls.Tls;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Carafe's HTTP/1.1 server: one acceptor, a virtual thread for each connection that has a request
 * to serve, the handler run on that thread. Handlers are plain blocking code; underneath, sockets
 * are non-blocking and a poller (a selector, itself on a virtual thread) parks and wakes the
 * connection threads. An idle keep-alive connection holds no thread at all: the poller starts
 * one when its next request arrives.
 *
 * <pre>{@code
 * Server server = Server.start(ServerConfig.builder().port(8080).build(),
 *         (request, response) -> response.send("Hello, world!"));
 * System.out.println("Running on " + server.url());
 * server.stopOnShutdown(Duration.ofSeconds(10)); // SIGTERM: finish in-flight requests, then exit
 * }</pre>
 *
 * <p>With {@link ServerConfig.Builder#tls} it serves HTTPS instead (TLS 1.3 and 1.2, the
 * certificate reloaded when its files change, see {@link Tls}); handlers see
 * {@link Request#secure()} and {@link Request#serverName()}.
 *
 * <p>The server keeps the JVM alive until stopped. {@link #stop(Duration)} stops accepting, closes
 * idle connections, lets requests in flight finish (their responses carry
 * {@code Connection: close}) and force-closes whatever is left at the deadline.
 * {@link #stop(Duration, Duration)} first drains for a while behind a load balancer: it keeps
 * accepting and serving, every response saying {@code Connection: close}, so the balancer has
 * time to stop sending before the port closes.
 */
public final class Server implements AutoCloseable {

    private final ServerConfig config;
    private final Handler handler;
    private final ServerSocket listener;
    private final ServerSocketChannel channel;
    private final BufferPool pool;
    private final Poller[] pollers;
    private int nextPoller;
    private final Set<Http1Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final ThreadFactory threads = Thread.ofVirtual().name("carafe-conn").factory();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Reaper reaper = new Reaper(connections);
    private final Selector acceptSelector;
    private volatile boolean finishAccepting;
    private volatile boolean stopping;
    private volatile boolean draining;
    private final List<Runnable> stopListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopBegun = new AtomicBoolean();
    private final Thread acceptor = new Thread(this::acceptLoop, "carafe-acceptor");

    private Server(ServerConfig config, Handler handler, ServerSocket listener) {
        this.config = config;
        // While draining, every response closes its connection: the client (a proxy's keep-alive
        // pool) opens a new one for its next request, which a balancer sends elsewhere.
        this.handler = (request, response) -> {
            if (draining) response.header("Connection", "close");
            handler.handle(request, response);
        };
        this.listener = listener;
        this.channel = listener.getChannel();
        try {
            channel.configureBlocking(false);
            this.acceptSelector = Selector.open();
            channel.register(acceptSelector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot watch the listening socket", e);
        }
        this.pool = new BufferPool(Math.min(config.maxConnections(), 1024) * 2);
        // One poller keeps up with several cores' worth of requests: it only dispatches.
        this.pollers = new Poller[Math.max(1, Runtime.getRuntime().availableProcessors() / 4)];
        for (int i = 0; i < pollers.length; i++) pollers[i] = new Poller(threads).start("carafe-poller-" + i);
    }

    /**
     * Binds to the configured host and port and starts serving with {@code handler}.
     *
     * @throws BindException with a one-line explanation when the port is taken
     */
    public static Server start(ServerConfig config, Handler handler) throws IOException {
        if (config.tls() != null) config.tls().load(); // a bad certificate fails here, not at the first client
        return serve(config, handler, listen(config.host(), config.port(), config.backlog(), false));
    }

    /**
     * A listening socket on {@code host:port}, for {@link #start(ServerConfig, Handler, ServerSocket)}.
     * With {@code reusePort}, other sockets of this user may bind the same port ({@code SO_REUSEPORT},
     * where supported): how a restarting process hands its port over without refusing clients.
     *
     * @throws BindException with a one-line explanation when the port is taken
     */
    public static ServerSocket listen(String host, int port, int backlog, boolean reusePort) throws IOException {
        ServerSocket listener = ServerSocketChannel.open().socket(); // channel-backed: connections get selectable channels
        listener.setReuseAddress(true);
        if (reusePort && listener.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
            listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
        try {
            listener.bind(new InetSocketAddress(InetAddress.getByName(host), port), backlog);
        } catch (BindException e) {
            listener.close();
            throw new BindException("Cannot listen on " + host + ":" + port + ": "
                    + (port != 0 ? "the port is already in use or not permitted" : e.getMessage())
                    + " (try --port with another number)");
        }
        return listener;
    }

    /**
     * Starts serving on a socket bound elsewhere (a supervisor's, or one handed over by another
     * process with {@code SO_REUSEPORT}); the host and port in {@code config} are ignored.
     */
    public static Server start(ServerConfig config, Handler handler, ServerSocket bound) {
        if (!bound.isBound() || bound.isClosed()) throw new IllegalArgumentException("The socket must be bound and open");
        if (bound.getChannel() == null) throw new IllegalArgumentException("The socket must come from Server.listen");
        if (config.tls() != null) {
            try {
                config.tls().load();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return serve(config, handler, bound);
    }

    private static Server serve(ServerConfig config, Handler handler, ServerSocket listener) {
        Server server = new Server(config, handler, listener);
        server.acceptor.start();
        Thread.ofPlatform().daemon().name("carafe-reaper").start(server.reaper);
        return server;
    }

    /** The address the server listens on, with the actual port when 0 was asked for. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** The port the server listens on. */
    public int port() {
        return listener.getLocalPort();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}, or {@code https://...} when serving TLS. */
    public String url() {
        String h = listener.getInetAddress().isAnyLocalAddress() ? config.host() : listener.getInetAddress().getHostAddress();
        String host = h.contains(":") ? "[" + h + "]" : h;
        return (config.tls() != null ? "https://" : "http://") + host + ":" + port();
    }

    /** The settings the server runs with. */
    public ServerConfig config() {
        return config;
    }

    /**
     * Reads the TLS certificate and key again now: new handshakes use them, open connections keep
     * theirs. The server also notices changed files by itself within seconds
     * ({@link Tls#RECHECK_MILLIS}); this is for a renewal hook that wants it at once.
     *
     * @throws IOException          when they cannot be read; the previous ones stay in use
     * @throws IllegalStateException when the server does not serve TLS
     */
    public void reloadTls() throws IOException {
        if (config.tls() == null) throw new IllegalStateException("This server does not serve TLS");
        config.tls().reload();
    }

    /** How many connections are open now. */
    public int openConnections() {
        return open.get();
    }

    /**
     * Accepts until stop() asks it to finish, then accepts what is still queued and closes the
     * listener itself. Closing a listening socket resets the connections in its accept queue
     * (Linux does not move them to another {@code SO_REUSEPORT} listener), so a restart handing
     * the port over would fail the clients that connected last; draining first leaves only the
     * microseconds between the last empty accept and the close. Hence a selector, which stop()
     * can wake, rather than a blocking accept, which only closing the socket can interrupt.
     */
    private void acceptLoop() {
        try (Selector selector = acceptSelector) {
            while (!finishAccepting) {
                selector.select();
                for (SocketChannel socket; (socket = channel.accept()) != null; ) setUp(socket);
            }
            // A channel registered with a selector is only really closed at that selector's next
            // select: deregister first, so that the close below takes the socket out of the
            // SO_REUSEPORT group at once, right after the accept that found the queue empty.
            channel.keyFor(selector).cancel();
            selector.selectNow();
            for (SocketChannel socket; (socket = channel.accept()) != null; ) setUp(socket);
            listener.close();
        } catch (IOException e) {
            if (!finishAccepting) Log.SERVER.log(System.Logger.Level.ERROR, "accept failed; the server stops accepting", e);
        } finally {
            closeQuietly(listener);
        }
    }

    private void setUp(SocketChannel socket) {
        try {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Poller poller = pollers[nextPoller++ % pollers.length];
            if (open.incrementAndGet() > config.maxConnections()) {
                open.decrementAndGet();
                Http1Connection[] self = new Http1Connection[1];
                Http1Connection refused = new Http1Connection(socket, poller, config, pool, handler, () -> true,
                        () -> connections.remove(self[0]));
                self[0] = refused;
                connections.add(refused); // so the reaper bounds how long refusing may take
                threads.newThread(refused::refuseBusy).start();
                return;
            }
            Http1Connection[] self = new Http1Connection[1];
            Http1Connection conn = new Http1Connection(socket, poller, config, pool, handler, () -> stopping,
                    () -> closed(self[0]));
            self[0] = conn;
            connections.add(conn);
            conn.start();
        } catch (IOException | RuntimeException e) {
            Log.SERVER.log(System.Logger.Level.DEBUG, () -> "Could not set up a connection: " + e);
            closeQuietly(socket);
        }
    }

    private void closed(Http1Connection conn) {
        connections.remove(conn);
        open.decrementAndGet();
    }

    /**
     * Stops gracefully: no new connections, idle ones closed, requests in flight allowed to
     * finish within {@code timeout}, then anything left is closed. Returns whether every
     * connection finished in time. Safe to call more than once.
     */
    public boolean stop(Duration timeout) {
        return stop(Duration.ZERO, timeout);
    }

    /**
     * Stops gracefully behind a load balancer: first drains for {@code drain} — still accepting
     * and serving, but every response says {@code Connection: close}, so keep-alive connections
     * end after their next exchange — then stops as {@link #stop(Duration)} does within
     * {@code grace}. {@link #onStopping} callbacks run first, before the drain (a readiness probe
     * turns false there). The process needs at most {@code drain + grace} (plus the app's stop
     * hooks) after SIGTERM: keep that under Kubernetes' {@code terminationGracePeriodSeconds}.
     *
     * <pre>{@code
     * server.stop(Duration.ofSeconds(5), Duration.ofSeconds(10));
     * }</pre>
     */
    public boolean stop(Duration drain, Duration grace) {
        if (stopBegun.compareAndSet(false, true)) {
            for (Runnable r : stopListeners) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    Log.SERVER.log(System.Logger.Level.ERROR, "A stop listener failed", e);
                }
            }
        }
        if (!drain.isZero() && !drain.isNegative() && !stopping) {
            draining = true;
            try {
                Thread.sleep(drain.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        // First the listener, then the connections: until the acceptor has closed the listener,
        // connections it accepts are served as usual. Were they told to close first, their clients
        // would reconnect at once, and with SO_REUSEPORT partly to this closing listener.
        finishAccepting = true;
        acceptSelector.wakeup();
        try {
            acceptor.join(Math.max(1, grace.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(listener); // already closed, unless the acceptor is stuck
        stopping = true;
        boolean clean = true;
        while (!connections.isEmpty()) {
            for (Http1Connection c : connections) c.closeIfIdle();
            if (System.nanoTime() >= deadline) {
                clean = false;
                for (Http1Connection c : connections) c.close();
                break;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        reaper.stop();
        for (Poller p : pollers) p.stop();
        stopped.countDown();
        return clean;
    }

    /** Stops with a 10-second grace period. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    /** Blocks until {@link #stop(Duration)} has finished. */
    public void join() throws InterruptedException {
        stopped.await();
    }

    /** Blocks until stopped or until {@code timeout} passes; returns whether stopped. */
    public boolean join(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Makes SIGTERM and Ctrl-C stop the server gracefully, waiting at most {@code grace} for
     * requests in flight. Returns this server.
     */
    public Server stopOnShutdown(Duration grace) {
        return stopOnShutdown(Duration.ZERO, grace);
    }

    /** Makes SIGTERM and Ctrl-C run {@link #stop(Duration, Duration)}. Returns this server. */
    public Server stopOnShutdown(Duration drain, Duration grace) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(drain, grace), "carafe-shutdown"));
        return this;
    }

    /**
     * Runs {@code action} once when a graceful stop begins ({@link #stop(Duration, Duration)} or
     * {@link #stop(Duration)}), before the drain and before the port closes. Returns this server.
     */
    public Server onStopping(Runnable action) {
        stopListeners.add(Objects.requireNonNull(action, "action"));
        return this;
    }

    /** Whether a graceful stop has begun (draining or stopping). */
    public boolean isStopping() {
        return stopBegun.get();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing is best effort
        }
    }
}
