package dev.carafe.server.http2;

import static dev.carafe.server.http2.Frames.*;

import java.io.IOException;

/**
 * The settings a client may send (RFC 9113 §6.5.2), checked and applied. The server's encoder
 * uses no dynamic table and pushes nothing, so only the window and frame sizes change anything;
 * unknown settings are ignored, as the RFC requires.
 */
final class ClientSettings {
    private ClientSettings() {}

    /** Applies the client's SETTINGS payload {@code b[off..off+len)}: window size to every open stream, frame size to the writer. */
    static void apply(byte[] b, int off, int len, SendWindows windows, Streams streams, FrameWriter writer) throws IOException {
        if (len % 6 != 0) throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "SETTINGS length not a multiple of 6");
        for (int i = off; i < off + len; i += 6) {
            int id = (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
            long value = int32(b, i + 2) & 0xffffffffL;
            switch (id) {
                case ENABLE_PUSH -> {
                    if (value > 1) throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH must be 0 or 1");
                }
                case INITIAL_WINDOW_SIZE -> {
                    if (value > MAX_WINDOW) throw Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1");
                    windows.initial(value, streams.all());
                }
                case MAX_FRAME_SIZE -> {
                    if (value < DEFAULT_MAX_FRAME_SIZE || value > 0xffffff) {
                        throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE out of range");
                    }
                    writer.maxFrameSize((int) value);
                }
                default -> { } // the encoder uses no dynamic table, pushes nothing; unknown settings are ignored
            }
        }
    }
}
