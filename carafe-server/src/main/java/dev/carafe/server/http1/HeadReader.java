package dev.carafe.server.http1;

import dev.carafe.server.ServerConfig;
import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * Reads one request head from a connection's input: it finds the end of the head as bytes arrive
 * and refuses what cannot become a valid head (garbage, a bare LF, an oversized line or header
 * block) as soon as the bytes show it, under one header timeout for the whole head; then it hands
 * the complete head to {@link RequestParser}.
 */
final class HeadReader {
    /** RFC 9112 §2.2 allows empty lines before a request line; a few, not an endless stream of them. */
    private static final int MAX_LEADING_EMPTY_LINES = 8;

    private HeadReader() {}

    /**
     * Reads until a whole request head is buffered, validating as bytes arrive so that garbage
     * (a TLS handshake, a bare LF) is refused at once rather than after a timeout.
     */
    static Http1Request read(InputBuffer in, ServerConfig config, Deadline deadline) throws IOException {
        try {
            return readArmingOnce(in, config, deadline);
        } finally {
            deadline.disarm();
        }
    }

    /** The header timeout covers the whole head, however many reads it takes: armed once, at the first read. */
    private static Http1Request readArmingOnce(InputBuffer in, ServerConfig config, Deadline deadline) throws IOException {
        boolean armed = false;
        int maxLine = config.maxRequestLineBytes();
        int maxHead = maxLine + config.maxHeaderBytes() + 4;
        int emptyLines = 0;
        int scanned = 0; // bytes from in.pos already searched for the end of the head
        int lineEnd = -1; // length of the request line once its CRLF is seen
        while (true) {
            byte[] b = in.buf;
            while (scanned == 0 && in.available() >= 2 && b[in.pos] == '\r' && b[in.pos + 1] == '\n') {
                if (++emptyLines > MAX_LEADING_EMPTY_LINES) throw new ProtocolException(400, "Too many empty lines");
                in.pos += 2; // RFC 9112 §2.2: ignore empty lines before a request line
            }
            int start = in.pos, limit = in.limit;
            if (scanned == 0 && limit > start && !Ascii.isToken(b[start]) && b[start] != '\r') {
                throw new ProtocolException(400, "Not an HTTP request");
            }
            // Only line feeds are looked for here, eight bytes at a time; a bare CR inside a line
            // is refused by the parser once the head is complete.
            for (int i = start + Math.max(scanned, 1); (i = Ascii.indexOfLf(b, i, limit)) >= 0; i++) {
                if (b[i - 1] != '\r') throw new ProtocolException(400, "Bare LF in request head (lines must end in CRLF)");
                if (lineEnd < 0) lineEnd = i + 1 - start;
                if (i - start >= 3 && b[i - 2] == '\n') {
                    in.pos = i + 1;
                    checkSizes(lineEnd, i + 1 - start, maxLine, config);
                    return RequestParser.parse(b, start, i + 1, config.maxHeaderCount());
                }
            }
            scanned = limit - start;
            if (lineEnd < 0) checkMethodSoFar(b, start, limit);
            checkSizes(lineEnd, scanned, maxLine, config);
            if (b != null && in.limit == b.length) in.compactOrGrow(in.pos > 0 ? b.length : Math.min(b.length * 2, maxHead));
            if (!armed) {
                deadline.armRead(config.headerTimeout().toMillis());
                armed = true;
            }
            int n;
            try {
                n = in.fill();
            } catch (SocketTimeoutException e) {
                throw new ProtocolException(408, "Timed out reading the request head");
            }
            if (n < 0) return null;
        }
    }

    /** A method is a token followed by a space: anything else is refused before the line ends. */
    private static void checkMethodSoFar(byte[] b, int start, int limit) throws ProtocolException {
        for (int i = start; i < limit; i++) {
            if (b[i] == ' ') return;
            if (!Ascii.isToken(b[i])) throw new ProtocolException(400, "Not an HTTP request");
        }
    }

    private static void checkSizes(int lineLength, int headLength, int maxLine, ServerConfig config) throws ProtocolException {
        if (lineLength < 0 ? headLength > maxLine : lineLength > maxLine + 2) {
            throw new ProtocolException(414, "Request line longer than " + maxLine + " bytes");
        }
        if (lineLength >= 0 && headLength - lineLength > config.maxHeaderBytes()) {
            throw new ProtocolException(431, "Header fields longer than " + config.maxHeaderBytes() + " bytes");
        }
    }
}
