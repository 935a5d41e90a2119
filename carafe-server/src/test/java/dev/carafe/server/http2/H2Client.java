package dev.carafe.server.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw HTTP/2 client for the conformance tests, in the spirit of h2spec: it writes frames
 * byte by byte as a test builds them (valid or not) and reads the server's frames back. Request
 * header blocks are hand-encoded (static-table indices and raw literals, never the server's own
 * encoder); responses are decoded with the decoder the RFC 7541 vectors check.
 */
final class H2Client implements AutoCloseable {
    record Frame(int type, int flags, int stream, byte[] payload) {
        int int32(int off) {
            return Frames.int32(payload, off);
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Frame[type=" + type + " flags=" + flags + " stream=" + stream + " len=" + payload.length + "]";
        }
    }

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final HpackDecoder decoder = new HpackDecoder(4096);
    Frame serverSettings;

    H2Client(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    /** Over {@code socket}, connected: a plain one, or TLS whose ALPN chose h2. */
    H2Client(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Connects, sends the preface and SETTINGS with {@code settings} (id, value pairs), and reads the server's SETTINGS. */
    static H2Client connect(int port, int... settings) throws IOException {
        return connect(new Socket("127.0.0.1", port), settings);
    }

    /** The same over a connected {@code socket}. */
    static H2Client connect(Socket socket, int... settings) throws IOException {
        H2Client c = new H2Client(socket);
        c.out.write(Frames.PREFACE);
        c.settings(settings);
        c.serverSettings = c.read();
        assertEquals(Frames.SETTINGS, c.serverSettings.type(), "the server's first frame is SETTINGS");
        return c;
    }

    void settings(int... idsAndValues) throws IOException {
        byte[] p = new byte[idsAndValues.length * 3];
        for (int i = 0; i < idsAndValues.length; i += 2) {
            p[3 * i] = (byte) (idsAndValues[i] >>> 8);
            p[3 * i + 1] = (byte) idsAndValues[i];
            Frames.putInt32(p, 3 * i + 2, idsAndValues[i + 1]);
        }
        send(Frames.SETTINGS, 0, 0, p);
    }

    void send(int type, int flags, int stream, byte[] payload) throws IOException {
        out.write(frameBytes(type, flags, stream, payload));
        out.flush();
    }

    static byte[] frameBytes(int type, int flags, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        Frames.putInt32(f, 5, stream);
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }

    void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    static byte[] int32(int v) {
        byte[] b = new byte[4];
        Frames.putInt32(b, 0, v);
        return b;
    }

    void headers(int stream, boolean endStream, byte[] block) throws IOException {
        send(Frames.HEADERS, Frames.END_HEADERS | (endStream ? Frames.END_STREAM : 0), stream, block);
    }

    void data(int stream, boolean endStream, byte[] payload) throws IOException {
        send(Frames.DATA, endStream ? Frames.END_STREAM : 0, stream, payload);
    }

    void ping(byte[] eight) throws IOException {
        send(Frames.PING, 0, 0, eight);
    }

    /** A request header block: {@code :method}, {@code :scheme http}, {@code :path}, {@code :authority}, then {@code extra} name/value pairs. */
    static byte[] block(String method, String path, String... extra) {
        Block b = new Block();
        if (method.equals("GET")) b.indexed(2);
        else if (method.equals("POST")) b.indexed(3);
        else b.literal(2, method);
        b.indexed(6).literal(4, path).literal(1, "localhost");
        for (int i = 0; i < extra.length; i += 2) b.literal(extra[i], extra[i + 1]);
        return b.bytes();
    }

    static byte[] get(String path) {
        return block("GET", path);
    }

    /** Builds header blocks field by field, as a test needs them (also invalid ones). */
    static final class Block {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Block indexed(int index) {
            integer(0x80, 7, index);
            return this;
        }

        /** Literal without indexing, name from the static table. */
        Block literal(int nameIndex, String value) {
            integer(0x00, 4, nameIndex);
            string(value);
            return this;
        }

        /** Literal without indexing, new name. */
        Block literal(String name, String value) {
            out.write(0);
            string(name);
            string(value);
            return this;
        }

        /** Literal with incremental indexing, new name: it enters the dynamic table. */
        Block indexing(String name, String value) {
            out.write(0x40);
            string(name);
            string(value);
            return this;
        }

        Block raw(int... bytes) {
            for (int b : bytes) out.write(b);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            integer(0, 7, b.length);
            out.write(b, 0, b.length);
        }

        private void integer(int first, int prefix, int v) {
            int max = (1 << prefix) - 1;
            if (v < max) {
                out.write(first | v);
                return;
            }
            out.write(first | max);
            v -= max;
            while (v >= 0x80) {
                out.write((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            out.write(v);
        }
    }

    /** Frames of other streams read while waiting for one stream's. */
    private final List<Frame> pending = new ArrayList<>();

    /** The next frame, kept ones first. */
    Frame read() throws IOException {
        return pending.isEmpty() ? next() : pending.remove(0);
    }

    private Frame next() throws IOException {
        int len = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte(), flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] p = new byte[len];
        in.readFully(p);
        if (Boolean.getBoolean("h2trace")) System.err.println("<< " + new Frame(type, flags, stream, p));
        return new Frame(type, flags, stream, p);
    }

    /** Reads until a frame of {@code type} (on {@code stream}, if not negative), skipping the rest. */
    Frame await(int type, int stream) throws IOException {
        for (java.util.Iterator<Frame> it = pending.iterator(); it.hasNext(); ) {
            Frame f = it.next();
            if (f.type() == type && (stream < 0 || f.stream() == stream)) {
                it.remove();
                return f;
            }
        }
        while (true) {
            Frame f = next();
            if (f.stream() != 0 && !(f.type() == type && (stream < 0 || f.stream() == stream)) && f.stream() != stream) {
                pending.add(f); // another stream's: kept for whoever waits for it
                continue;
            }
            if (f.type() == type && (stream < 0 || f.stream() == stream)) return f;
            if (f.type() == Frames.RST_STREAM && type != Frames.RST_STREAM && f.stream() == stream) {
                fail("stream " + stream + " reset with " + ErrorCode.name(f.int32(0)) + " while waiting for type " + type);
            }
            if (f.type() == Frames.GOAWAY && type != Frames.GOAWAY) {
                fail("GOAWAY " + ErrorCode.name(f.int32(4)) + " (" + new String(f.payload(), 8, f.payload().length - 8) + ") while waiting for type " + type);
            }
        }
    }

    /** The server ends the connection with GOAWAY {@code code}, then closes it. */
    Frame expectGoAway(int code) throws IOException {
        Frame g = await(Frames.GOAWAY, 0);
        assertEquals(ErrorCode.name(code), ErrorCode.name(g.int32(4)), "GOAWAY code; debug: " + new String(g.payload(), 8, g.payload().length - 8));
        expectClosed();
        return g;
    }

    /** The connection ends: end of stream or a reset, after any frames still in flight. */
    void expectClosed() throws IOException {
        try {
            while (true) read();
        } catch (EOFException | java.net.SocketException e) {
            return;
        } catch (SocketTimeoutException e) {
            fail("The server did not close the connection");
        }
    }

    /** The server resets {@code stream} with {@code code}; the connection stays usable. */
    void expectReset(int stream, int code) throws IOException {
        Frame r = await(Frames.RST_STREAM, stream);
        assertEquals(ErrorCode.name(code), ErrorCode.name(r.int32(0)), "RST_STREAM code");
    }

    /** A response: its status, fields and body, read up to its END_STREAM. */
    record Response(int stream, int status, List<String> fields, String body) {
        String field(String name) {
            for (int i = 0; i < fields.size(); i += 2) if (fields.get(i).equals(name)) return fields.get(i + 1);
            return null;
        }
    }

    Response response(int stream) throws IOException {
        return response(stream, false);
    }

    /** A response, or with {@code interim} just the next HEADERS (a 1xx) without waiting for a body. */
    Response response(int stream, boolean interim) throws IOException {
        Frame h = await(Frames.HEADERS, stream);
        ByteArrayOutputStream blockBytes = new ByteArrayOutputStream();
        blockBytes.write(h.payload());
        Frame f = h;
        while ((f.flags() & Frames.END_HEADERS) == 0) {
            f = await(Frames.CONTINUATION, stream);
            blockBytes.write(f.payload());
        }
        byte[] b = blockBytes.toByteArray();
        List<String> fields = new ArrayList<>(decoder.decode(b, 0, b.length, 1 << 20).fields());
        int status = Integer.parseInt(fields.get(1));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean end = interim || (h.flags() & Frames.END_STREAM) != 0;
        while (!end) {
            Frame d = nextOn(stream);
            if (d.type() == Frames.RST_STREAM) fail("stream " + stream + " reset: " + ErrorCode.name(d.int32(0)));
            if (d.type() == Frames.DATA) body.write(d.payload());
            end = (d.flags() & Frames.END_STREAM) != 0 && (d.type() == Frames.DATA || d.type() == Frames.HEADERS);
        }
        return new Response(stream, status, fields, body.toString(StandardCharsets.UTF_8));
    }

    /** The next frame on {@code stream}, keeping other streams' frames for later. */
    private Frame nextOn(int stream) throws IOException {
        for (java.util.Iterator<Frame> it = pending.iterator(); it.hasNext(); ) {
            Frame f = it.next();
            if (f.stream() == stream) {
                it.remove();
                return f;
            }
        }
        while (true) {
            Frame f = next();
            if (f.stream() == stream) return f;
            if (f.type() == Frames.GOAWAY) fail("GOAWAY " + ErrorCode.name(f.int32(4)) + " while reading stream " + stream);
            if (f.stream() != 0) pending.add(f);
        }
    }

    /** A GET on {@code stream} works: the connection and its other streams are unharmed. */
    void assertStillServes(int stream) throws IOException {
        headers(stream, true, get("/ok"));
        Response r = response(stream);
        assertEquals(200, r.status(), "a later request is served");
        assertTrue(r.body().startsWith("ok"), r.body());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
