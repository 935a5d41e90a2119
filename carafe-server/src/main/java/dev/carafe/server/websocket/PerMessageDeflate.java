package dev.carafe.server.websocket;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The permessage-deflate extension (RFC 7692): negotiation and the per-connection compressor
 * and decompressor. {@code java.util.zip} always compresses with a 32 KiB window, so an offer that
 * limits the server's window ({@code server_max_window_bits} below 15) is declined; a client
 * limiting its own window is fine, since inflating with the full window reads any smaller one.
 * The zlib streams are created on first use and ended with the connection.
 */
final class PerMessageDeflate {
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private final boolean serverNoContextTakeover;
    private final boolean clientNoContextTakeover;
    private final String response;
    private Deflater deflater;
    private Inflater inflater;

    private PerMessageDeflate(boolean serverNoContextTakeover, boolean clientNoContextTakeover, String response) {
        this.serverNoContextTakeover = serverNoContextTakeover;
        this.clientNoContextTakeover = clientNoContextTakeover;
        this.response = response;
    }

    /** The {@code Sec-WebSocket-Extensions} value that accepts the offer. */
    String response() {
        return response;
    }

    /**
     * Picks the first acceptable permessage-deflate offer from the {@code Sec-WebSocket-Extensions}
     * header values; {@code null} when there is none.
     */
    static PerMessageDeflate negotiate(java.util.List<String> headerValues) {
        for (String header : headerValues) {
            for (String offer : header.split(",")) {
                PerMessageDeflate accepted = accept(offer);
                if (accepted != null) return accepted;
            }
        }
        return null;
    }

    private static PerMessageDeflate accept(String offer) {
        String[] parts = offer.split(";");
        if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("permessage-deflate")) return null;
        boolean serverNoTakeover = false, clientNoTakeover = false, serverBits = false, clientBits = false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            String name = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : p.substring(eq + 1).trim().replace("\"", "");
            switch (name) {
                case "server_no_context_takeover" -> {
                    if (serverNoTakeover || value != null) return null;
                    serverNoTakeover = true;
                }
                case "client_no_context_takeover" -> {
                    if (clientNoTakeover || value != null) return null;
                    clientNoTakeover = true;
                }
                case "server_max_window_bits" -> {
                    if (serverBits || !"15".equals(value)) return null; // only the full window is possible here
                    serverBits = true;
                }
                case "client_max_window_bits" -> {
                    if (clientBits) return null;
                    if (value != null && !value.matches("8|9|1[0-5]")) return null;
                    clientBits = true;
                }
                default -> {
                    return null;
                }
            }
        }
        StringBuilder r = new StringBuilder("permessage-deflate");
        if (serverNoTakeover) r.append("; server_no_context_takeover");
        if (clientNoTakeover) r.append("; client_no_context_takeover");
        if (serverBits) r.append("; server_max_window_bits=15");
        return new PerMessageDeflate(serverNoTakeover, clientNoTakeover, r.toString());
    }

    /** Compresses one whole message payload. */
    byte[] compress(byte[] data) {
        if (deflater == null) deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 2));
        byte[] buf = new byte[Math.min(64 * 1024, Math.max(256, data.length + 64))];
        while (true) {
            int n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
            if (n < buf.length && deflater.needsInput()) break;
        }
        if (serverNoContextTakeover) deflater.reset();
        byte[] b = out.toByteArray();
        int len = b.length;
        if (len >= 4 && b[len - 4] == 0 && b[len - 3] == 0 && b[len - 2] == (byte) 0xff && b[len - 1] == (byte) 0xff) len -= 4;
        if (len == 0) return new byte[] {0};
        return java.util.Arrays.copyOf(b, len);
    }

    /**
     * Decompresses one whole message payload; {@code null} when it would exceed {@code max}
     * bytes. Throws {@link DataFormatException} when it is not valid deflate data.
     */
    byte[] decompress(byte[] data, int max) throws DataFormatException {
        if (inflater == null) inflater = new Inflater(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, Math.max(64, data.length * 3)));
        byte[] buf = new byte[Math.min(64 * 1024, Math.max(256, data.length * 4))];
        byte[][] inputs = {data, TAIL};
        long total = 0;
        for (byte[] in : inputs) {
            inflater.setInput(in);
            while (true) {
                int n = inflater.inflate(buf);
                if (n == 0) break; // all input used (and no output pending), or the stream ended
                total += n;
                if (total > max) {
                    inflater.reset();
                    return null;
                }
                out.write(buf, 0, n);
            }
            if (inflater.finished()) { // a final block: RFC 7692 §7.2.3.3 lets the client end the stream
                inflater.reset();
                break;
            }
            if (inflater.needsDictionary()) throw new DataFormatException("unexpected dictionary");
        }
        if (clientNoContextTakeover) inflater.reset();
        return out.toByteArray();
    }

    /** Frees the zlib memory. */
    void end() {
        if (deflater != null) deflater.end();
        if (inflater != null) inflater.end();
    }
}
