package dev.carafe.server.http1;

import static dev.carafe.server.http1.Ascii.CR;
import static dev.carafe.server.http1.Ascii.LF;

import java.io.IOException;

/**
 * A body framed by the chunked transfer coding (RFC 9112 §7.1): chunk sizes in hex, optional
 * extensions (validated, then ignored), and trailer fields (validated, then dropped, as RFC 9110
 * §6.5.1 allows). Any deviation is a 400, since it means the framing can no longer be trusted.
 */
final class ChunkedBody extends BodyStream {
    /** Bounds a chunk-size line with extensions, and each trailer line, against endless input. */
    private static final int MAX_LINE = 4096;
    private static final int MAX_TRAILER_BYTES = 16 * 1024;

    private final long maxBody;
    private long chunkLeft;
    private long total;
    private boolean needCrlf;
    private boolean done;

    ChunkedBody(InputBuffer in, long maxBody, int ioTimeoutMillis, Runnable beforeFirstRead) {
        super(in, ioTimeoutMillis, beforeFirstRead);
        this.maxBody = maxBody;
    }

    @Override
    boolean finished() {
        return done;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (done) return -1;
        if (len == 0) return 0;
        if (chunkLeft == 0) {
            if (needCrlf) {
                expectCrlf();
                needCrlf = false;
            }
            chunkLeft = readChunkSize();
            if (chunkLeft == 0) {
                readTrailers();
                done = true;
                return -1;
            }
            total += chunkLeft;
            if (total > maxBody) throw new ProtocolException(413, "Request body larger than " + maxBody + " bytes");
            needCrlf = true;
        }
        int n = copyOut(b, off, len, chunkLeft);
        chunkLeft -= n;
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(chunkLeft, in.available());
    }

    private byte next() throws IOException {
        require();
        return in.buf[in.pos++];
    }

    private void expectCrlf() throws IOException {
        if (next() != CR || next() != LF) throw new ProtocolException(400, "Chunk data not followed by CRLF");
    }

    private long readChunkSize() throws IOException {
        long size = 0;
        int digits = 0;
        byte b;
        while (Ascii.hexValue(b = next()) >= 0) {
            if (++digits > 15) throw new ProtocolException(400, "Chunk size too large");
            size = size << 4 | Ascii.hexValue(b);
        }
        if (digits == 0) throw new ProtocolException(400, "Malformed chunk size");
        if (b == ';') readExtensions();
        else if (b != CR) throw new ProtocolException(400, "Malformed chunk size");
        if (next() != LF) throw new ProtocolException(400, "Chunk size line not terminated by CRLF");
        return size;
    }

    /**
     * chunk-ext (RFC 9112 §7.1.1) after its first ';', up to the CR: validated, then ignored. Each
     * is a token name with an optional token or quoted-string value, with optional whitespace
     * around ';' and '='. The grammar is checked in full, not only for control bytes: a parser in
     * front that reads a malformed extension differently would disagree on where the chunk starts.
     */
    private void readExtensions() throws IOException {
        extensionBytes = 0;
        byte b = ';';
        while (b == ';') {
            b = skipWhitespace(nextInExtension());
            if (!Ascii.isToken(b)) throw malformedExtension();
            while (Ascii.isToken(b = nextInExtension())) { /* the name */ }
            b = skipWhitespace(b);
            if (b != '=') continue;
            b = skipWhitespace(nextInExtension());
            if (b == '"') {
                while ((b = nextInExtension()) != '"') {
                    if (b == '\\') b = nextInExtension(); // quoted-pair
                    if (b != Ascii.HT && (b & 0xff) < 0x20 || b == 0x7f) throw malformedExtension();
                }
                b = nextInExtension();
            } else {
                if (!Ascii.isToken(b)) throw malformedExtension();
                while (Ascii.isToken(b = nextInExtension())) { /* the value */ }
            }
            b = skipWhitespace(b);
        }
        if (b != CR || whitespaceBeforeCr) throw malformedExtension();
    }

    private int extensionBytes;
    private boolean whitespaceBeforeCr;

    private byte nextInExtension() throws IOException {
        if (++extensionBytes > MAX_LINE) throw new ProtocolException(400, "Chunk extension too long");
        return next();
    }

    /** The first byte from {@code b} on that is not SP or HTAB; notes whether any was skipped. */
    private byte skipWhitespace(byte b) throws IOException {
        whitespaceBeforeCr = false;
        while (b == Ascii.SP || b == Ascii.HT) {
            whitespaceBeforeCr = true;
            b = nextInExtension();
        }
        return b;
    }

    private static ProtocolException malformedExtension() {
        return new ProtocolException(400, "Malformed chunk extension");
    }

    /**
     * Framing fields may not be trailers (RFC 9110 §6.5.1). They are dropped here like any trailer,
     * but an intermediary that merged them into the header section would frame the message anew.
     */
    private static void checkTrailerName(String name) throws ProtocolException {
        if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")) {
            throw new ProtocolException(400, name + " is not allowed as a trailer field");
        }
    }

    /** Trailer fields: header-field syntax, each line CRLF-terminated, then an empty line. */
    private void readTrailers() throws IOException {
        int bytes = 0;
        while (true) {
            byte b = next();
            if (b == CR) {
                if (next() != LF) throw new ProtocolException(400, "Malformed end of chunked body");
                return;
            }
            StringBuilder name = new StringBuilder();
            boolean colon = false;
            while (b != CR) {
                if (++bytes > MAX_TRAILER_BYTES) throw new ProtocolException(431, "Trailer section too large");
                if (!colon) {
                    if (b == ':' && !name.isEmpty()) {
                        colon = true;
                        checkTrailerName(name.toString());
                    } else if (Ascii.isToken(b)) name.append((char) b);
                    else throw new ProtocolException(400, "Invalid trailer field name");
                } else if (!Ascii.isFieldValue(b)) {
                    throw new ProtocolException(400, "Control character in trailer field");
                }
                b = next();
            }
            if (!colon || next() != LF) throw new ProtocolException(400, "Malformed trailer field");
        }
    }
}
