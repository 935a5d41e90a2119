package dev.carafe.server.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The few pieces of ASN.1 DER that a self-signed certificate and the common private-key files
 * need: encoding of a handful of types, and reading a structure back into its elements. Not a
 * general ASN.1 library: lengths up to 2^31, no indefinite forms (DER has none).
 */
final class Der {
    static final int INTEGER = 0x02, BIT_STRING = 0x03, OCTET_STRING = 0x04, NULL = 0x05, OID = 0x06,
            UTF8_STRING = 0x0c, UTC_TIME = 0x17, GENERALIZED_TIME = 0x18, SEQUENCE = 0x30, SET = 0x31;

    private Der() {}

    /** One element: tag, length, contents. */
    static byte[] tlv(int tag, byte[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 6);
        out.write(tag);
        int n = contents.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) out.write(n >>> (8 * i));
        }
        out.writeBytes(contents);
        return out.toByteArray();
    }

    /** A constructed element whose contents are {@code parts}, in order. */
    static byte[] constructed(int tag, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return tlv(tag, out.toByteArray());
    }

    static byte[] sequence(byte[]... parts) {
        return constructed(SEQUENCE, parts);
    }

    static byte[] integer(BigInteger v) {
        return tlv(INTEGER, v.toByteArray()); // two's complement, minimal: what DER wants
    }

    static byte[] octets(byte[] v) {
        return tlv(OCTET_STRING, v);
    }

    /** A BIT STRING of whole bytes (no unused bits). */
    static byte[] bits(byte[] v) {
        byte[] c = new byte[v.length + 1];
        System.arraycopy(v, 0, c, 1, v.length);
        return tlv(BIT_STRING, c);
    }

    static byte[] utf8(String s) {
        return tlv(UTF8_STRING, s.getBytes(StandardCharsets.UTF_8));
    }

    /** An OBJECT IDENTIFIER from its dotted form, e.g. {@code 2.5.4.3}. */
    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = Long.parseLong(arcs[i]);
            int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
            for (int g = groups - 1; g >= 0; g--) out.write((int) ((arc >>> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
        }
        return tlv(OID, out.toByteArray());
    }

    /** A certificate time: UTCTime through 2049, GeneralizedTime after, as RFC 5280 §4.1.2.5 asks. */
    static byte[] time(ZonedDateTime t) {
        ZonedDateTime utc = t.withZoneSameInstant(ZoneOffset.UTC);
        boolean utcTime = utc.getYear() < 2050;
        String s = utc.format(DateTimeFormatter.ofPattern(utcTime ? "yyMMddHHmmss'Z'" : "yyyyMMddHHmmss'Z'"));
        return tlv(utcTime ? UTC_TIME : GENERALIZED_TIME, s.getBytes(StandardCharsets.US_ASCII));
    }

    /** One element read back: its tag and the bytes of its contents. */
    record Element(int tag, byte[] contents) {
        /** The elements inside a constructed element. */
        List<Element> children() throws GeneralSecurityException {
            return Der.read(contents);
        }
    }

    /** The elements laid one after another in {@code b}. */
    static List<Element> read(byte[] b) throws GeneralSecurityException {
        List<Element> out = new ArrayList<>();
        int i = 0;
        while (i < b.length) {
            if (b.length - i < 2) throw new GeneralSecurityException("truncated DER");
            int tag = b[i++] & 0xff;
            int len = b[i++] & 0xff;
            if (len >= 0x80) {
                int bytes = len & 0x7f;
                if (bytes == 0 || bytes > 4 || b.length - i < bytes) throw new GeneralSecurityException("bad DER length");
                len = 0;
                for (int k = 0; k < bytes; k++) len = len << 8 | (b[i++] & 0xff);
            }
            if (len < 0 || len > b.length - i) throw new GeneralSecurityException("truncated DER");
            byte[] c = new byte[len];
            System.arraycopy(b, i, c, 0, len);
            out.add(new Element(tag, c));
            i += len;
        }
        return out;
    }
}
