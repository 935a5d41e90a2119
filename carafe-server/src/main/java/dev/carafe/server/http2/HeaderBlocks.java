package dev.carafe.server.http2;

import static dev.carafe.server.http2.Frames.*;

import java.io.ByteArrayOutputStream;

/**
 * Gathers a header block from a HEADERS frame and its CONTINUATION frames (RFC 9113 §4.3, §6.2,
 * §6.10), bounded before anything is decoded: in bytes (twice {@code maxHeaderBytes}) and in frames
 * (CONTINUATION flood, CVE-2024-27316), then decodes it. Used by the reader thread only.
 */
final class HeaderBlocks {
    private final HpackDecoder decoder = new HpackDecoder(4096);
    private final ByteArrayOutputStream block = new ByteArrayOutputStream();
    private final int maxHeaderBytes;
    private final int maxFrames;
    private int stream; // the stream whose block is being continued, or 0
    private int flags, frames, dependency;

    HeaderBlocks(int maxHeaderBytes, int maxFrames) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxFrames = maxFrames;
    }

    /** The stream whose block awaits a CONTINUATION, or 0: no other frame may come in between. */
    int continuing() {
        return stream;
    }

    /** The HEADERS frame's flags (END_STREAM) and the stream it said it depends on, or 0. */
    int flags() {
        return flags;
    }

    int dependency() {
        return dependency;
    }

    /** A HEADERS frame; returns whether its block is complete (END_HEADERS). */
    boolean headers(int flags, int stream, byte[] buf, int off, int len) throws Http2Exception {
        if (stream == 0) throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "HEADERS on stream 0");
        if ((stream & 1) == 0) throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "Even stream id " + stream + " from a client");
        int end = off + len;
        if ((flags & PADDED) != 0) {
            if (len < 1) throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "PADDED HEADERS without a pad length");
            end -= buf[off++] & 0xff;
        }
        dependency = 0;
        if ((flags & PRIORITY_FLAG) != 0) {
            if (end - off < 5) throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "HEADERS too short for its priority");
            dependency = int32(buf, off) & 0x7fffffff;
            off += 5;
        }
        if (end < off) throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "Padding longer than the frame");
        block.reset();
        frames = 1;
        this.flags = flags;
        append(buf, off, end - off);
        boolean complete = (flags & END_HEADERS) != 0;
        this.stream = complete ? 0 : stream;
        return complete;
    }

    /** A CONTINUATION frame; returns whether the block is now complete. */
    boolean continuation(int flags, int stream, byte[] buf, int off, int len) throws Http2Exception {
        if (this.stream == 0 || stream != this.stream) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "CONTINUATION without a HEADERS to continue");
        }
        if (++frames > maxFrames) {
            throw Http2Exception.connection(ErrorCode.ENHANCE_YOUR_CALM, "Header block in more than " + maxFrames + " frames");
        }
        append(buf, off, len);
        if ((flags & END_HEADERS) == 0) return false;
        this.stream = 0;
        return true;
    }

    private void append(byte[] buf, int off, int len) throws Http2Exception {
        if (block.size() + len > 2L * maxHeaderBytes) {
            throw Http2Exception.connection(ErrorCode.ENHANCE_YOUR_CALM, "Header block larger than " + 2L * maxHeaderBytes + " bytes");
        }
        block.write(buf, off, len);
    }

    /** Decodes the complete block, whatever becomes of it, to keep the HPACK table in step with the client's. */
    HpackDecoder.Block decode() throws Http2Exception {
        byte[] bytes = block.toByteArray();
        block.reset();
        try {
            return decoder.decode(bytes, 0, bytes.length, maxHeaderBytes);
        } catch (HpackException e) {
            throw Http2Exception.connection(ErrorCode.COMPRESSION_ERROR, e.getMessage());
        }
    }
}
