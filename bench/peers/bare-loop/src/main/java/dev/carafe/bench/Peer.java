package dev.carafe.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The ceiling row of bench/run, not a server: the least work any HTTP/1.1 server can do per batch
 * of requests, so the table shows what the machine and the load generator allow in the same run
 * (as nginx does for plaintext). One platform thread and one selector; for each readable
 * connection one read into a 64 KiB buffer, a count of the request heads it completes (CRLFCRLF,
 * carried across reads; wrk's GETs have no body), then ONE write of that many copies of a canned
 * {@code 200 Hello, World!}. It parses nothing else: every request, whatever its method or path,
 * gets that response, so it runs the plaintext and pipelined workloads only.
 */
public final class Peer {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** Per connection: how much of CRLFCRLF ends the bytes read so far, and what a write left over. */
    private static final class Conn {
        int matched;
        ByteBuffer pending;
    }

    private static ByteBuffer copies = ByteBuffer.allocateDirect(0); // canned responses back to back
    private static int held = 64, length;
    private static long second = -1;

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(Args.option(args, "--port", "8080"));
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", port), 1024);
        server.configureBlocking(false).register(selector, SelectionKey.OP_ACCEPT);
        System.out.println("Running on http://127.0.0.1:" + port);
        ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        while (true) {
            selector.select(key -> {
                try {
                    if (key.isAcceptable()) {
                        SocketChannel ch = server.accept();
                        if (ch == null) return;
                        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        ch.configureBlocking(false).register(selector, SelectionKey.OP_READ, new Conn());
                    } else {
                        serve(key, (SocketChannel) key.channel(), (Conn) key.attachment(), in);
                    }
                } catch (IOException e) {
                    if (key.channel() == server) throw new UncheckedIOException(e);
                    try { // the client went away
                        key.channel().close();
                    } catch (IOException ignored) {
                        // closed anyway
                    }
                }
            });
        }
    }

    private static void serve(SelectionKey key, SocketChannel ch, Conn c, ByteBuffer in) throws IOException {
        if (c.pending == null) {
            int n = ch.read(in.clear());
            if (n < 0) {
                ch.close();
                return;
            }
            int heads = 0;
            for (int i = 0; i < n; i++) { // c.matched: 0 none, 1 "\r", 2 "\r\n", 3 "\r\n\r", 4 a whole head
                byte b = in.get(i);
                c.matched = b == '\r' ? (c.matched == 2 ? 3 : 1) : b == '\n' && (c.matched == 1 || c.matched == 3) ? c.matched + 1 : 0;
                if (c.matched == 4) {
                    heads++;
                    c.matched = 0;
                }
            }
            if (heads == 0) return;
            c.pending = responses(heads);
        }
        ch.write(c.pending);
        // A partial write: wait until the socket takes more, and read nothing meanwhile (backpressure).
        boolean done = !c.pending.hasRemaining();
        if (done) c.pending = null;
        key.interestOps(done ? SelectionKey.OP_READ : SelectionKey.OP_WRITE); // no system call when unchanged
    }

    /** {@code count} responses; the buffer is rebuilt when its Date line is a second old or it holds too few. */
    private static ByteBuffer responses(int count) {
        long now = System.currentTimeMillis() / 1000;
        if (now != second || count > held) {
            while (held < count) held *= 2;
            byte[] one = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nDate: "
                    + IMF_FIXDATE.format(Instant.ofEpochSecond(now)) + "\r\n\r\nHello, World!").getBytes(StandardCharsets.US_ASCII);
            length = one.length;
            copies = ByteBuffer.allocateDirect(held * length); // a new one: pending slices of the old stay intact
            for (int k = 0; k < held; k++) copies.put(one);
            second = now;
        }
        return copies.slice(0, count * length);
    }
}
