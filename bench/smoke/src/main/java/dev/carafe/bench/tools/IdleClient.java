package dev.carafe.bench.tools;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The idle-connections workload: opens N keep-alive connections, sends one GET /plaintext on each
 * (so the server has set the connection up fully), prints {@code OPEN ok=K failed=F} and then
 * holds them idle until a line arrives on stdin. Then it sends one more request on every
 * connection at once (the burst), prints {@code BURST ok=K failed=F ms=T} and exits.
 *
 * <pre>java -cp bench/smoke/target/classes dev.carafe.bench.tools.IdleClient 127.0.0.1 8080 10000 [--tls cert.pem]</pre>
 *
 * With {@code --tls} every connection is HTTPS (TLS 1.3, {@link TlsClients#SUITE}, trusting only
 * that certificate): the heap of an idle TLS connection.
 */
public final class IdleClient {
    private record Conn(Socket socket, InputStream in, OutputStream out) {}

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        SSLContext tls = args.length > 4 && args[3].equals("--tls") ? TlsClients.trusting(Path.of(args[4])) : null;
        byte[] request = ("GET /plaintext HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<Conn> sockets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) sockets.add(null);

        // Open: at most 200 handshakes in flight, so the server's accept backlog is not the test.
        Semaphore inflight = new Semaphore(200);
        AtomicInteger ok = new AtomicInteger(), failed = new AtomicInteger();
        CountDownLatch opened = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            inflight.acquire();
            Thread.ofVirtual().start(() -> {
                try {
                    Socket sock = TlsClients.open(tls, host, port);
                    sock.setSoTimeout(30_000);
                    Conn s = new Conn(sock, new BufferedInputStream(sock.getInputStream(), 512), sock.getOutputStream());
                    if (exchange(s, request)) {
                        sockets.set(k, s);
                        ok.incrementAndGet();
                    } else {
                        sock.close();
                        failed.incrementAndGet();
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                } finally {
                    inflight.release();
                    opened.countDown();
                }
            });
        }
        opened.await();
        System.out.println("OPEN ok=" + ok.get() + " failed=" + failed.get());
        System.out.flush();

        new BufferedReader(new InputStreamReader(System.in)).readLine();

        AtomicInteger burstOk = new AtomicInteger(), burstFailed = new AtomicInteger(failed.get());
        CountDownLatch done = new CountDownLatch(n);
        long t0 = System.nanoTime();
        for (Conn s : sockets) {
            Thread.ofVirtual().start(() -> {
                try {
                    if (s != null && exchange(s, request)) burstOk.incrementAndGet();
                    else if (s != null) burstFailed.incrementAndGet();
                } catch (Exception e) { // timeouts and resets count as failures, quietly
                    burstFailed.incrementAndGet();
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("BURST ok=" + burstOk.get() + " failed=" + burstFailed.get() + " ms=" + ms);
        for (Conn s : sockets) {
            if (s != null) try { s.socket().close(); } catch (IOException ignored) { }
        }
    }

    /** Sends one request and reads its response; true when it was a 200 with the expected body. */
    private static boolean exchange(Conn s, byte[] request) throws IOException {
        s.out().write(request);
        s.out().flush();
        Check.Reply r = Check.read(s.in());
        return r.status() == 200 && r.body().equals("Hello, World!");
    }
}
