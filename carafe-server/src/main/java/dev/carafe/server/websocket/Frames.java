package dev.carafe.server.websocket;

import java.io.IOException;
import java.io.OutputStream;

/** The server's side of RFC 6455 §5.2 framing: frames as a server writes them, final and unmasked. */
final class Frames {
    /** Payloads up to this size leave in one write with their header; larger ones in two, without a copy. */
    private static final int COPY_LIMIT = 16 * 1024;

    private Frames() {}

    /** Writes one final, unmasked frame; {@code compressed} sets RSV1 (permessage-deflate). */
    static void write(OutputStream out, int opcode, byte[] payload, boolean compressed) throws IOException {
        int len = payload.length;
        int headLen = len < 126 ? 2 : len < 65536 ? 4 : 10;
        boolean together = len <= COPY_LIMIT;
        byte[] frame = new byte[together ? headLen + len : headLen];
        frame[0] = (byte) (0x80 | (compressed ? 0x40 : 0) | opcode);
        if (len < 126) {
            frame[1] = (byte) len;
        } else if (len < 65536) {
            frame[1] = 126;
            frame[2] = (byte) (len >> 8);
            frame[3] = (byte) len;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) frame[9 - i] = (byte) ((long) len >> (8 * i));
        }
        if (together) {
            System.arraycopy(payload, 0, frame, headLen, len);
            out.write(frame);
        } else {
            out.write(frame);
            out.write(payload);
        }
    }
}
