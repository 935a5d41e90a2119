package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Handing a port over with {@code SO_REUSEPORT}, as dev mode's restart does: a second server
 * listens on the same port, then the first stops. Clients that keep connecting through the
 * handover must all be served, by one server or the other.
 */
class HandoverTest {
    private static final byte[] CLOSE = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private static Server listen(int port, String name) throws IOException {
        ServerSocket socket = Server.listen("127.0.0.1", port, 1024, true);
        return Server.start(TestServers.config().build(), (req, res) -> res.send(name), socket);
    }

    /**
     * A keep-alive client that behaves as HTTP clients do (RFC 9112, section 9.3.1): when a reused
     * connection closes before any byte of the response, it retries on a new connection. A failure
     * on a new connection, or after part of a response, is a failure.
     */
    private static final class KeepAliveClient {
        private final int port;
        private Socket socket;

        KeepAliveClient(int port) {
            this.port = port;
        }

        String request() {
            boolean reused = socket != null;
            try {
                if (socket == null) {
                    socket = new Socket("127.0.0.1", port);
                    socket.setSoTimeout(5000);
                }
                OutputStream out = socket.getOutputStream();
                out.write(KEEP);
                InputStream in = socket.getInputStream();
                String head = readHead(in);
                if (head == null) throw new IOException("closed before the response");
                int length = Integer.parseInt(head.replaceAll("(?si).*\r\ncontent-length: *(\\d+).*", "$1"));
                if (in.readNBytes(length).length != length) return "keep-alive: short body";
                if (!head.startsWith("HTTP/1.1 200 ")) return "keep-alive answered: " + head;
                if (head.toLowerCase().contains("\r\nconnection: close")) drop();
                return null;
            } catch (IOException e) {
                drop();
                return reused ? request() : "keep-alive, new connection: " + e;
            }
        }

        /** The response head, or null when the connection closed before its first byte. */
        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                head.append((char) c);
                if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) return head.toString();
            }
            if (head.isEmpty()) return null;
            throw new IOException("closed mid-head: " + head);
        }

        void drop() {
            try {
                if (socket != null) socket.close();
            } catch (IOException ignored) {
                // dropping it anyway
            }
            socket = null;
        }
    }

    /**
     * Keep-alive clients, as browsers and HTTP client libraries are, through twenty handovers:
     * each reconnects when the stopping server closes its connection. None may fail. (They did
     * when the server told them to close before its listener was gone: some reconnected to that
     * listener, and got a connection closed unanswered, or reset with the listener.)
     */
    @Test
    void keepAliveClientsAreAllServedThroughHandovers() throws Exception {
        Server old = listen(0, "g0");
        int port = old.port();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicInteger served = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(Thread.ofPlatform().start(() -> {
                KeepAliveClient client = new KeepAliveClient(port);
                while (running.get()) {
                    String failure = client.request();
                    if (failure == null) served.incrementAndGet();
                    else failures.add(failure);
                }
                client.drop();
            }));
        }
        int handovers = Integer.getInteger("handovers", 20);
        try {
            for (int i = 1; i <= handovers; i++) {
                Thread.sleep(30);
                Server next = listen(port, "g" + i);
                Thread.sleep(30);
                assertTrue(old.stop(Duration.ofSeconds(5)), "stop finished in time");
                old = next;
            }
            Thread.sleep(30);
        } finally {
            running.set(false);
            for (Thread t : clients) t.join();
            old.stop(Duration.ofSeconds(5));
        }
        assertEquals(List.of(), failures, failures.size() + " failed requests in " + handovers + " handovers (" + served + " served)");
        assertTrue(served.get() > handovers * 10, "requests served: " + served);
    }

    /**
     * Connections made before stop() begins, some accepted and some still in the accept queue,
     * whose requests come only after: each is answered. Closing them as idle, or with the
     * listener, would fail requests that no client retries (they are on new connections).
     */
    @Test
    void connectionsMadeBeforeStopAreServedEvenIfTheirRequestComesAfter() throws Exception {
        Server server = listen(0, "served");
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) sockets.add(new Socket("127.0.0.1", server.port()));
            Thread stopping = Thread.ofPlatform().start(() -> server.stop(Duration.ofSeconds(10)));
            Thread.sleep(100); // stop() has closed the listener; the connections wait for their requests
            for (Socket s : sockets) s.getOutputStream().write(CLOSE);
            for (Socket s : sockets) {
                s.setSoTimeout(5000);
                String r = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(r.startsWith("HTTP/1.1 200 ") && r.endsWith("served"), r);
            }
            assertTrue(stopping.join(Duration.ofSeconds(10)), "stop finished once they were served");
        } finally {
            for (Socket s : sockets) s.close();
            server.stop(Duration.ofSeconds(1));
        }
    }
}
