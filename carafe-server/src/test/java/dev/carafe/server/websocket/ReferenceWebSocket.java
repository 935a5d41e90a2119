package dev.carafe.server.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A plain reading of the frames a client sends (RFC 6455 §5, RFC 7692), sharing no code with
 * the server, for the fuzz tests to compare against: the messages in order, then why it stopped.
 */
final class ReferenceWebSocket {
    /** A data message: text or binary, and its payload after reassembly and decompression. */
    record Msg(boolean text, byte[] data) {
        @Override
        public String toString() {
            return (text ? "text " : "binary ") + data.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Msg m && m.text == text && java.util.Arrays.equals(m.data, data);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(data);
        }
    }

    /**
     * How the reading ended: {@code code} is the close code a server must answer with (1002
     * protocol error, 1007 bad UTF-8, 1009 too big), the code of a valid close frame received,
     * or 0 when the bytes ran out first.
     */
    record Reading(List<Msg> messages, int code, boolean clientClosed) {}

    static Reading read(byte[] s, boolean deflate, int maxMessage) {
        List<Msg> out = new ArrayList<>();
        Inflater inflater = new Inflater(true);
        int p = 0;
        int messageOp = -1;
        boolean compressed = false;
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        try {
            while (true) {
                if (s.length - p < 2) return new Reading(out, 0, false);
                int b0 = s[p] & 0xff, b1 = s[p + 1] & 0xff;
                p += 2;
                boolean fin = (b0 & 0x80) != 0, rsv1 = (b0 & 0x40) != 0;
                int op = b0 & 0x0f;
                long len = b1 & 0x7f;
                if ((b0 & 0x30) != 0 || (b1 & 0x80) == 0) return new Reading(out, 1002, false); // RSV2/3, unmasked
                if (len == 126) {
                    if (s.length - p < 2) return new Reading(out, 0, false);
                    len = (s[p] & 0xff) << 8 | s[p + 1] & 0xff;
                    p += 2;
                } else if (len == 127) {
                    if (s.length - p < 8) return new Reading(out, 0, false);
                    len = ByteBuffer.wrap(s, p, 8).getLong();
                    p += 8;
                    if (len < 0) return new Reading(out, 1002, false);
                }
                boolean control = op >= 8;
                if (control && (!fin || len > 125 || rsv1)) return new Reading(out, 1002, false);
                if (op != 0 && op != 1 && op != 2 && op != 8 && op != 9 && op != 10) return new Reading(out, 1002, false);
                if (!control) {
                    if (op == 0 && messageOp < 0 || op != 0 && messageOp >= 0) return new Reading(out, 1002, false);
                    if (rsv1 && (op == 0 || !deflate)) return new Reading(out, 1002, false);
                    if (message.size() + len > maxMessage && !(op == 0 ? compressed : rsv1)) return new Reading(out, 1009, false);
                }
                if (s.length - p < 4 + len) return new Reading(out, 0, false);
                byte[] mask = {s[p], s[p + 1], s[p + 2], s[p + 3]};
                p += 4;
                byte[] payload = new byte[(int) len];
                for (int i = 0; i < len; i++) payload[i] = (byte) (s[p + i] ^ mask[i & 3]);
                p += (int) len;
                if (control) {
                    if (op != 8) continue; // ping and pong carry no message
                    if (len == 1) return new Reading(out, 1002, false);
                    if (len >= 2) {
                        int code = (payload[0] & 0xff) << 8 | payload[1] & 0xff;
                        // RFC 6455 §7.4, with 1012-1014 as IANA registered them since
                        boolean valid = code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
                        if (!valid) return new Reading(out, 1002, false);
                        if (!utf8(java.util.Arrays.copyOfRange(payload, 2, payload.length))) return new Reading(out, 1007, false);
                        return new Reading(out, code, true);
                    }
                    return new Reading(out, 1005, true);
                }
                if (op != 0) {
                    messageOp = op;
                    compressed = rsv1;
                }
                message.writeBytes(payload);
                // Bad UTF-8 in uncompressed text fails at the frame that shows it (RFC 6455 §8.1 allows failing fast)
                if (messageOp == 1 && !compressed && !utf8Prefix(message.toByteArray())) return new Reading(out, 1007, false);
                if (!fin) continue;
                byte[] data = message.toByteArray();
                message.reset();
                if (compressed) {
                    data = inflate(inflater, data, maxMessage);
                    if (data == null) return new Reading(out, 1009, false);
                }
                if (data.length > maxMessage) return new Reading(out, 1009, false);
                if (messageOp == 1 && !utf8(data)) return new Reading(out, 1007, false);
                out.add(new Msg(messageOp == 1, data));
                messageOp = -1;
            }
        } catch (DataFormatException e) {
            return new Reading(out, 1007, false); // RFC 7692 leaves the code open; the server's is checked as a refusal
        } finally {
            inflater.end();
        }
    }

    /** Inflates a message (its trailing 00 00 ff ff restored); null past {@code max} bytes. */
    static byte[] inflate(Inflater inflater, byte[] data, int max) throws DataFormatException {
        byte[] input = java.util.Arrays.copyOf(data, data.length + 4);
        input[data.length + 2] = (byte) 0xff;
        input[data.length + 3] = (byte) 0xff;
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (true) {
            int n = inflater.inflate(buf);
            out.write(buf, 0, n);
            if (out.size() > max) return null;
            if (n == 0 && (inflater.needsInput() || inflater.finished())) break;
        }
        if (inflater.finished()) inflater.reset(); // a final block ends the stream: the next message starts a new one
        return out.toByteArray();
    }

    /** Whether {@code b} is UTF-8 so far: at worst it ends inside a character. */
    static boolean utf8Prefix(byte[] b) {
        java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(b.length + 1);
        return !StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b), chars, false).isError();
    }

    static boolean utf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
