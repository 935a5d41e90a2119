package dev.carafe.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Many slow connections driven from one thread: each sends {@code preamble}, then one byte every
 * {@code trickleMillis} (never, when 0), forever. When the server answers, the answer must be
 * {@code expectedStatus} within {@code answerWithinMillis} of the connection opening; the
 * connection is then replaced by a new one, so the pressure stays the same for the whole attack.
 * With {@code expectedStatus} 0 the server must not answer at all (a client that is slow but
 * keeps sending is within its rights).
 */
final class Trickler {
    private final int port;
    private final String preamble;
    private final long trickleMillis;
    private final int expectedStatus;
    private final long answerWithinMillis;
    private final List<Conn> conns = new ArrayList<>();
    int answered, cutOff, opened;

    private record Conn(Socket socket, InputStream in, long openedNanos, long[] lastSend) {}

    Trickler(int port, String preamble, long trickleMillis, int expectedStatus, long answerWithinMillis) {
        this.port = port;
        this.preamble = preamble;
        this.trickleMillis = trickleMillis;
        this.expectedStatus = expectedStatus;
        this.answerWithinMillis = answerWithinMillis;
    }

    /** Keeps {@code count} slow connections open until {@code untilNanos}, then closes them. */
    void run(int count, long untilNanos) throws Exception {
        try {
            for (int i = 0; i < count; i++) conns.add(open());
            while (System.nanoTime() < untilNanos) {
                for (int i = 0; i < conns.size(); i++) {
                    if (step(conns.get(i))) {
                        conns.get(i).socket.close();
                        conns.set(i, open());
                    }
                }
                Thread.sleep(20);
            }
        } finally {
            for (Conn c : conns) c.socket.close();
        }
    }

    private Conn open() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(2000);
        s.getOutputStream().write(preamble.getBytes(StandardCharsets.ISO_8859_1));
        opened++;
        return new Conn(s, s.getInputStream(), System.nanoTime(), new long[] {System.nanoTime()});
    }

    /** One turn of one connection; true when it is finished and should be replaced. */
    private boolean step(Conn c) throws IOException {
        long ageMillis = (System.nanoTime() - c.openedNanos) / 1_000_000;
        if (c.in.available() > 0) {
            byte[] got = c.in.readNBytes(Math.min(c.in.available(), 12));
            String status = new String(got, StandardCharsets.ISO_8859_1);
            if (expectedStatus == 0) throw new AssertionError("a slow but live client was answered: " + status);
            if (!status.equals("HTTP/1.1 " + expectedStatus)) throw new AssertionError("expected " + expectedStatus + ", got " + status);
            if (ageMillis > answerWithinMillis) throw new AssertionError(expectedStatus + " only after " + ageMillis + " ms");
            answered++;
            return true;
        }
        if (expectedStatus != 0 && ageMillis > answerWithinMillis) {
            throw new AssertionError("no " + expectedStatus + " after " + ageMillis + " ms: the server kept a slow client");
        }
        if (trickleMillis > 0 && System.nanoTime() - c.lastSend[0] >= trickleMillis * 1_000_000) {
            try {
                c.socket.getOutputStream().write('a');
                c.lastSend[0] = System.nanoTime();
            } catch (IOException closed) { // the server closed first and its reset beat the answer
                if (expectedStatus == 0) throw new AssertionError("a slow but live client was cut off", closed);
                cutOff++;
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return opened + " connections opened, " + answered + " answered " + expectedStatus + ", " + cutOff + " cut off";
    }
}
