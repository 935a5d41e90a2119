package dev.carafe.server.http2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes header blocks (RFC 7541) for one connection, keeping its dynamic table. The decoded
 * size of a block is bounded while decoding, not after: a block whose fields add up past the
 * limit (a decompression bomb repeating a large table entry, say) is still decoded to keep the
 * table in step with the client's encoder, but no string beyond the limit is built.
 */
final class HpackDecoder {
    private final DynamicTable table;
    private final int maxTableSize; // what this side advertised in SETTINGS_HEADER_TABLE_SIZE

    HpackDecoder(int maxTableSize) {
        this.maxTableSize = maxTableSize;
        this.table = new DynamicTable(maxTableSize);
    }

    /** A decoded block: names and values alternating, and whether it went past the size limit. */
    record Block(List<String> fields, boolean tooLarge) {
        int count() {
            return fields.size() / 2;
        }

        String name(int i) {
            return fields.get(2 * i);
        }

        String value(int i) {
            return fields.get(2 * i + 1);
        }
    }

    /**
     * Decodes {@code src[off, off + len)}, a complete header block.
     *
     * @param maxListSize most bytes of fields, counted as RFC 9113 §6.5.2 does (name + value + 32 each)
     */
    Block decode(byte[] src, int off, int len, int maxListSize) throws HpackException {
        Reader r = new Reader(src, off, off + len);
        List<String> fields = new ArrayList<>(16);
        long listSize = 0;
        boolean tooLarge = false;
        boolean fieldSeen = false;
        while (r.pos < r.end) {
            int b = src[r.pos] & 0xff;
            String name, value;
            if ((b & 0x80) != 0) { // indexed field (§6.1)
                int index = r.integer(7);
                if (index == 0) throw new HpackException("Index 0 is not a field");
                name = name(index);
                value = value(index);
            } else if ((b & 0xe0) == 0x20) { // dynamic table size update (§6.3)
                if (fieldSeen) throw new HpackException("Table size update after the first field of a block");
                int size = r.integer(5);
                if (size > maxTableSize) throw new HpackException("Table size " + size + " above the advertised " + maxTableSize);
                table.setMaxSize(size);
                continue;
            } else {
                boolean indexing = (b & 0xc0) == 0x40; // literal with incremental indexing (§6.2.1)
                int index = r.integer(indexing ? 6 : 4); // without indexing / never indexed (§6.2.2, §6.2.3)
                name = index == 0 ? r.string() : name(index);
                value = r.string();
                if (indexing) table.add(name, value);
            }
            fieldSeen = true;
            listSize += name.length() + value.length() + 32;
            if (listSize > maxListSize) tooLarge = true;
            if (!tooLarge) {
                fields.add(name);
                fields.add(value);
            }
        }
        return new Block(tooLarge ? List.of() : fields, tooLarge);
    }

    private String name(int index) throws HpackException {
        if (index <= StaticTable.SIZE) return StaticTable.name(index);
        checkDynamic(index);
        return table.name(index - StaticTable.SIZE);
    }

    private String value(int index) throws HpackException {
        if (index <= StaticTable.SIZE) return StaticTable.value(index);
        checkDynamic(index);
        return table.value(index - StaticTable.SIZE);
    }

    private void checkDynamic(int index) throws HpackException {
        if (index - StaticTable.SIZE > table.count()) throw new HpackException("Index " + index + " is not in the table");
    }

    /** The size of the dynamic table now: for tests. */
    int tableSize() {
        return table.size();
    }

    private static final class Reader {
        final byte[] src;
        final int end;
        int pos;

        Reader(byte[] src, int pos, int end) {
            this.src = src;
            this.pos = pos;
            this.end = end;
        }

        /** An integer with an {@code prefixBits}-bit prefix (§5.1); at most 2^31 - 1. */
        int integer(int prefixBits) throws HpackException {
            int mask = (1 << prefixBits) - 1;
            int value = src[pos++] & mask;
            if (value < mask) return value;
            long v = value;
            for (int shift = 0; ; shift += 7) {
                if (pos == end) throw new HpackException("Truncated integer");
                if (shift > 28) throw new HpackException("Integer too large");
                int b = src[pos++] & 0xff;
                v += (long) (b & 0x7f) << shift;
                if (v > Integer.MAX_VALUE) throw new HpackException("Integer too large");
                if ((b & 0x80) == 0) return (int) v;
            }
        }

        /** A string literal (§5.2), Huffman-coded or raw, as ISO-8859-1. */
        String string() throws HpackException {
            if (pos == end) throw new HpackException("Truncated string");
            boolean huffman = (src[pos] & 0x80) != 0;
            int len = integer(7);
            if (len > end - pos) throw new HpackException("String longer than its block");
            String s = huffman
                    ? new String(Huffman.decode(src, pos, len, len * 8 / 5 + 1), StandardCharsets.ISO_8859_1)
                    : new String(src, pos, len, StandardCharsets.ISO_8859_1);
            pos += len;
            return s;
        }
    }
}
