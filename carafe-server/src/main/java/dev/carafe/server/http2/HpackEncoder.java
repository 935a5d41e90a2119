package dev.carafe.server.http2;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes response header blocks. It never adds to the dynamic table: fields are either a full
 * static-table match or literals "without indexing" (name indexed when the static table has it),
 * Huffman-coded when that is shorter. That keeps the encoder stateless, valid for any table size
 * the client asks for, and safe for values (cookies, tokens) that must not be shared by index.
 */
final class HpackEncoder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    /** Starts a new block. */
    HpackEncoder reset() {
        out.reset();
        return this;
    }

    /** Appends one field; {@code name} must already be lower case. */
    HpackEncoder field(String name, String value) {
        int full = StaticTable.indexOf(name, value);
        if (full > 0) {
            integer(0x80, 7, full);
            return this;
        }
        int nameIndex = StaticTable.indexOfName(name);
        integer(0x00, 4, nameIndex);
        if (nameIndex == 0) string(name);
        string(value);
        return this;
    }

    /** The block so far. */
    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void string(String s) {
        byte[] raw = s.getBytes(StandardCharsets.ISO_8859_1);
        int huffman = Huffman.encodedLength(raw);
        if (huffman < raw.length) {
            integer(0x80, 7, huffman);
            Huffman.encode(raw, out);
        } else {
            integer(0x00, 7, raw.length);
            out.write(raw, 0, raw.length);
        }
    }

    /** An integer with an {@code prefixBits}-bit prefix after the pattern {@code first} (§5.1). */
    private void integer(int first, int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.write(first | value);
            return;
        }
        out.write(first | max);
        value -= max;
        while (value >= 0x80) {
            out.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }
}
