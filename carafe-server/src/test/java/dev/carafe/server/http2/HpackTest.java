package dev.carafe.server.http2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HPACK against the examples of RFC 7541 Appendix C, and against hostile blocks. */
class HpackTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    private static List<String> decode(HpackDecoder d, String hex) throws HpackException {
        byte[] b = hex(hex);
        return d.decode(b, 0, b.length, 1 << 20).fields();
    }

    @Test
    void integerAndLiteralExamplesOfC2() throws Exception {
        HpackDecoder d = new HpackDecoder(4096);
        assertEquals(List.of("custom-key", "custom-header"),
                decode(d, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
        assertEquals(55, d.tableSize());
        assertEquals(List.of(":path", "/sample/path"), decode(d, "040c 2f73 616d 706c 652f 7061 7468"));
        assertEquals(List.of("password", "secret"), decode(d, "1008 7061 7373 776f 7264 0673 6563 7265 74"));
        assertEquals(List.of(":method", "GET"), decode(d, "82"));
        assertEquals(55, d.tableSize(), "only the first was indexed");
    }

    /** C.3: three requests on one connection, without Huffman coding; the table carries over. */
    @Test
    void requestsWithoutHuffmanC3() throws Exception {
        HpackDecoder d = new HpackDecoder(4096);
        assertEquals(List.of(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com"),
                decode(d, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"));
        assertEquals(57, d.tableSize());
        assertEquals(List.of(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com",
                "cache-control", "no-cache"), decode(d, "8286 84be 5808 6e6f 2d63 6163 6865"));
        assertEquals(110, d.tableSize());
        assertEquals(List.of(":method", "GET", ":scheme", "https", ":path", "/index.html", ":authority", "www.example.com",
                "custom-key", "custom-value"),
                decode(d, "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"));
        assertEquals(164, d.tableSize());
    }

    /** C.4: the same requests with Huffman-coded literals. */
    @Test
    void requestsWithHuffmanC4() throws Exception {
        HpackDecoder d = new HpackDecoder(4096);
        assertEquals(List.of(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com"),
                decode(d, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"));
        assertEquals(List.of(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com",
                "cache-control", "no-cache"), decode(d, "8286 84be 5886 a8eb 1064 9cbf"));
        assertEquals(List.of(":method", "GET", ":scheme", "https", ":path", "/index.html", ":authority", "www.example.com",
                "custom-key", "custom-value"),
                decode(d, "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"));
        assertEquals(164, d.tableSize());
    }

    /** C.5: responses with a 256-byte table, so entries are evicted. */
    @Test
    void responsesWithEvictionC5() throws Exception {
        HpackDecoder d = new HpackDecoder(256);
        assertEquals(List.of(":status", "302", "cache-control", "private", "date", "Mon, 21 Oct 2013 20:13:21 GMT",
                "location", "https://www.example.com"), decode(d, """
                4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32
                3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"""));
        assertEquals(222, d.tableSize());
        assertEquals(List.of(":status", "307", "cache-control", "private", "date", "Mon, 21 Oct 2013 20:13:21 GMT",
                "location", "https://www.example.com"), decode(d, "4803 3330 37c1 c0bf"));
        assertEquals(222, d.tableSize());
        assertEquals(List.of(":status", "200", "cache-control", "private", "date", "Mon, 21 Oct 2013 20:13:22 GMT",
                "location", "https://www.example.com", "content-encoding", "gzip",
                "set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"), decode(d, """
                88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970
                7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61
                6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31"""));
        assertEquals(215, d.tableSize());
    }

    /** C.6: the same responses Huffman-coded. */
    @Test
    void responsesWithHuffmanC6() throws Exception {
        HpackDecoder d = new HpackDecoder(256);
        decode(d, "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3");
        assertEquals(222, d.tableSize());
        assertEquals(List.of(":status", "307", "cache-control", "private", "date", "Mon, 21 Oct 2013 20:13:21 GMT",
                "location", "https://www.example.com"), decode(d, "4883 640e ffc1 c0bf"));
        List<String> third = decode(d, """
                88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2
                e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07""");
        assertEquals("foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1", third.get(third.size() - 1));
        assertEquals(215, d.tableSize());
    }

    @Test
    void huffmanRoundTripsEveryByte() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) all[i] = (byte) i;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Huffman.encode(all, out);
        assertEquals(Huffman.encodedLength(all), out.size());
        assertArrayEquals(all, Huffman.decode(out.toByteArray(), 0, out.size(), 1000));
        ByteArrayOutputStream www = new ByteArrayOutputStream();
        Huffman.encode("www.example.com".getBytes(StandardCharsets.ISO_8859_1), www);
        assertArrayEquals(hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff"), www.toByteArray(), "RFC 7541 C.4.1");
    }

    @Test
    void encoderOutputDecodes() throws Exception {
        byte[] block = new HpackEncoder().field(":status", "200").field("content-type", "text/plain")
                .field("x-custom", "value with spaces").field(":status", "404").toByteArray();
        assertEquals(List.of(":status", "200", "content-type", "text/plain", "x-custom", "value with spaces", ":status", "404"),
                new HpackDecoder(4096).decode(block, 0, block.length, 4096).fields());
        assertEquals((byte) 0x88, block[0], ":status 200 is static index 8");
    }

    @Test
    void hostileBlocksAreCompressionErrors() {
        HpackDecoder d = new HpackDecoder(4096);
        assertThrows(HpackException.class, () -> decode(d, "80"), "index 0");
        assertThrows(HpackException.class, () -> decode(d, "be"), "index 62 with an empty table");
        assertThrows(HpackException.class, () -> decode(d, "3fe21f"), "table size 4096+ above the advertised 4096");
        assertThrows(HpackException.class, () -> decode(d, "8220"), "table size update after a field");
        assertThrows(HpackException.class, () -> decode(d, "400a 6375"), "string longer than the block");
        assertThrows(HpackException.class, () -> decode(d, "7fffffffffff0f"), "integer overflow");
        assertThrows(HpackException.class, () -> decode(d, "0481 00"), "Huffman padding of zeros");
        assertThrows(HpackException.class, () -> decode(d, "0484 ffffffff"), "EOS inside a string");
    }

    /** A decompression bomb: one large table entry referenced again and again stays within the size limit while decoding. */
    @Test
    void decodedSizeIsBoundedWhileDecoding() throws Exception {
        HpackDecoder d = new HpackDecoder(4096);
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.write(0x40); // literal with indexing, new name
        bomb.write(1);
        bomb.write('x');
        bomb.write(0x7f); // value length 4000: 127 + 3873 (0xa1 0x1e)
        bomb.write(0xa1);
        bomb.write(0x1e);
        bomb.write("y".repeat(4000).getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 10_000; i++) bomb.write(0xbe); // index 62: that entry, 4 KB each time: 40 MB decoded
        byte[] b = bomb.toByteArray();
        HpackDecoder.Block block = d.decode(b, 0, b.length, 16_384);
        assertTrue(block.tooLarge());
        assertEquals(0, block.count(), "nothing of a block past the limit is kept");
        assertEquals(List.of(":method", "GET"), decode(d, "82"), "the decoder is still in step");
    }
}
