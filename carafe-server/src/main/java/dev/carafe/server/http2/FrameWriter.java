package dev.carafe.server.http2;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write side of a connection: frames from the reader and from every stream's thread, one
 * at a time under a lock (a lock, not a monitor: a write may wait for a client that reads slowly,
 * bounded by the transport's write timeout). Header blocks are encoded under the same lock, so
 * they leave in the order they were encoded, and are split into CONTINUATION frames by the
 * client's SETTINGS_MAX_FRAME_SIZE.
 */
final class FrameWriter {
    private final Http2Transport transport;
    private final ReentrantLock lock = new ReentrantLock();
    private final HpackEncoder encoder = new HpackEncoder();
    private final byte[] head = new byte[Frames.HEADER_LENGTH + 8];
    private volatile int maxFrameSize = Frames.DEFAULT_MAX_FRAME_SIZE;
    private boolean failed;

    FrameWriter(Http2Transport transport) {
        this.transport = transport;
    }

    int maxFrameSize() {
        return maxFrameSize;
    }

    void maxFrameSize(int size) {
        maxFrameSize = size;
    }

    /** Writes one frame and, if {@code flush}, sends it. */
    void frame(int type, int flags, int stream, byte[] payload, int off, int len, boolean flush) throws IOException {
        lock.lock();
        try {
            writeFrame(type, flags, stream, payload, off, len);
            if (flush) flushLocked();
        } finally {
            lock.unlock();
        }
    }

    void settings(int... idsAndValues) throws IOException {
        byte[] p = new byte[idsAndValues.length * 3];
        for (int i = 0; i < idsAndValues.length; i += 2) {
            p[3 * i] = (byte) (idsAndValues[i] >>> 8);
            p[3 * i + 1] = (byte) idsAndValues[i];
            Frames.putInt32(p, 3 * i + 2, idsAndValues[i + 1]);
        }
        frame(Frames.SETTINGS, 0, 0, p, 0, p.length, false);
    }

    void windowUpdate(int stream, int increment, boolean flush) throws IOException {
        byte[] p = new byte[4];
        Frames.putInt32(p, 0, increment);
        frame(Frames.WINDOW_UPDATE, 0, stream, p, 0, 4, flush);
    }

    void rstStream(int stream, int code) throws IOException {
        byte[] p = new byte[4];
        Frames.putInt32(p, 0, code);
        frame(Frames.RST_STREAM, 0, stream, p, 0, 4, true);
    }

    void goAway(int lastStream, int code, String debug) throws IOException {
        byte[] text = debug == null ? new byte[0] : debug.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] p = new byte[8 + Math.min(text.length, 256)];
        Frames.putInt32(p, 0, lastStream);
        Frames.putInt32(p, 4, code);
        System.arraycopy(text, 0, p, 8, p.length - 8);
        frame(Frames.GOAWAY, 0, 0, p, 0, p.length, true);
    }

    /**
     * Encodes {@code fields} (names lower case, pseudo-fields first) and writes them as HEADERS
     * and CONTINUATION frames, unless {@code open} says the stream was reset meanwhile.
     */
    void headers(int stream, String[] fields, int count, boolean endStream, Http2Stream open, boolean flush)
            throws IOException {
        lock.lock();
        try {
            if (open != null) {
                open.checkWritable();
                if (open.headersSent && count == 1 && fields[0].equals(":status") && fields[1].equals("100")) return;
            }
            encoder.reset();
            for (int i = 0; i < count; i++) encoder.field(fields[2 * i], fields[2 * i + 1]);
            byte[] block = encoder.toByteArray();
            int max = maxFrameSize;
            int first = Math.min(block.length, max);
            int flags = (endStream ? Frames.END_STREAM : 0) | (first == block.length ? Frames.END_HEADERS : 0);
            writeFrame(Frames.HEADERS, flags, stream, block, 0, first);
            for (int off = first; off < block.length; off += max) {
                int n = Math.min(max, block.length - off);
                writeFrame(Frames.CONTINUATION, off + n == block.length ? Frames.END_HEADERS : 0, stream, block, off, n);
            }
            if (open != null && !fields[1].equals("100")) open.headersSent = true;
            if (endStream && open != null) open.localClosed = true;
            if (flush) flushLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Writes a DATA frame of at most {@link #maxFrameSize()} bytes, unless the stream was reset. */
    void data(Http2Stream stream, byte[] b, int off, int len, boolean endStream, boolean flush) throws IOException {
        lock.lock();
        try {
            stream.checkWritable();
            writeFrame(Frames.DATA, endStream ? Frames.END_STREAM : 0, stream.id, b, off, len);
            if (endStream) stream.localClosed = true;
            if (flush) flushLocked();
        } finally {
            lock.unlock();
        }
    }

    void flush() throws IOException {
        lock.lock();
        try {
            flushLocked();
        } finally {
            lock.unlock();
        }
    }

    private void writeFrame(int type, int flags, int stream, byte[] payload, int off, int len) throws IOException {
        if (failed) throw new IOException("The connection failed");
        head[0] = (byte) (len >>> 16);
        head[1] = (byte) (len >>> 8);
        head[2] = (byte) len;
        head[3] = (byte) type;
        head[4] = (byte) flags;
        Frames.putInt32(head, 5, stream);
        try {
            transport.write(head, 0, Frames.HEADER_LENGTH);
            if (len > 0) transport.write(payload, off, len);
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    private void flushLocked() throws IOException {
        try {
            transport.flush();
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }
}
