package dev.carafe.server.websocket;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** A WebSocket client that builds every frame by hand, for protocol tests: it can break any rule. */
final class WsTestClient implements AutoCloseable {
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    final Socket socket;
    final InputStream in;
    final OutputStream out;
    String responseHead;

    WsTestClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends a handshake with {@code extra} header lines (each ending in CRLF) and reads the response head. */
    WsTestClient handshake(String path, String extra) throws IOException {
        return handshake(path, extra, new byte[0]);
    }

    WsTestClient handshake(String path, String extra, byte[] sentRightAfter) throws IOException {
        String req = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n" + extra + "\r\n";
        byte[] head = req.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + sentRightAfter.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(sentRightAfter, 0, all, head.length, sentRightAfter.length);
        out.write(all);
        out.flush();
        responseHead = readHead();
        return this;
    }

    String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) throw new EOFException("closed in head: " + b);
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    int status() {
        return Integer.parseInt(responseHead.substring(9, 12));
    }

    String header(String name) {
        for (String line : responseHead.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
        }
        return null;
    }

    /** A masked frame with the given first byte (FIN, RSV, opcode). */
    static byte[] frame(int b0, byte[] payload) {
        return frame(b0, payload, true);
    }

    static byte[] frame(int b0, byte[] payload, boolean masked) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(b0);
        int m = masked ? 0x80 : 0;
        int len = payload.length;
        if (len < 126) {
            f.write(m | len);
        } else if (len < 65536) {
            f.write(m | 126);
            f.write(len >> 8);
            f.write(len);
        } else {
            f.write(m | 127);
            for (int i = 7; i >= 0; i--) f.write((int) ((long) len >> (8 * i)));
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        if (masked) f.write(mask, 0, 4);
        for (int i = 0; i < len; i++) f.write(masked ? payload[i] ^ mask[i & 3] : payload[i]);
        return f.toByteArray();
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] closePayload(int code, String reason) {
        byte[] r = text(reason);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    WsTestClient send(byte[]... frames) throws IOException {
        for (byte[] f : frames) out.write(f);
        out.flush();
        return this;
    }

    /** A frame from the server. */
    record Frame(int b0, byte[] payload) {
        int opcode() {
            return b0 & 0x0f;
        }

        boolean fin() {
            return (b0 & 0x80) != 0;
        }

        boolean rsv1() {
            return (b0 & 0x40) != 0;
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? -1 : (payload[0] & 0xff) << 8 | payload[1] & 0xff;
        }

        @Override
        public String toString() {
            return "Frame[op=" + opcode() + ", fin=" + fin() + ", len=" + payload.length
                    + (opcode() == 8 ? ", code=" + closeCode() : "") + "]";
        }
    }

    Frame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) throw new EOFException("connection closed");
        int b1 = in.read();
        if ((b1 & 0x80) != 0) throw new IOException("server frames must not be masked");
        long len = b1 & 0x7f;
        if (len == 126) len = (in.read() << 8) | in.read();
        else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) len = len << 8 | in.read();
        }
        byte[] p = in.readNBytes((int) len);
        if (p.length != len) throw new EOFException("closed in a frame");
        return new Frame(b0, p);
    }

    /** Expects a close frame with {@code code}, and then the end of the connection. */
    void expectClose(int code) throws IOException {
        Frame f = read();
        while (f.opcode() != 8) f = read(); // skip pongs and echoes sent before the failure
        if (f.closeCode() != code) throw new AssertionError("expected close " + code + " but got " + f.closeCode() + " (" + f.text() + ")");
        try { // answer as a client should; the server may have closed already if it was answering ours
            send(frame(0x88, closePayload(1000, "")));
        } catch (IOException alreadyClosed) {
            // fine
        }
        expectEnd();
    }

    void expectEnd() throws IOException {
        try {
            int c = in.read();
            if (c >= 0) throw new AssertionError("expected the connection to end, got byte " + c);
        } catch (java.net.SocketException reset) {
            // a reset ends it too
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
