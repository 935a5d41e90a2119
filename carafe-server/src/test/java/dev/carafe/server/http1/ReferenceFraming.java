package dev.carafe.server.http1;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An independent, deliberately plain reading of an HTTP/1.1 request stream (RFC 9112), written
 * for the fuzz tests to compare against: it shares no code with the server. It is lenient about
 * everything that does not decide where a request ends, and stops at the first thing that
 * makes the framing unknowable. The server may refuse more (it validates more); it must never
 * frame a request differently, nor serve one this reading could not frame.
 */
public final class ReferenceFraming {
    private ReferenceFraming() {}

    /** A request as framed: its method, target and body length. */
    public record Framed(String method, String target, long bodyLength) {
        @Override
        public String toString() {
            return method + " " + target + " " + bodyLength;
        }
    }

    /** What a head says about framing; null from {@link #head} when it cannot be read. */
    public record Head(String method, String target, boolean http10, boolean chunked, long contentLength) {}

    /** The requests of {@code stream} that can be framed, in order, up to the first that cannot. */
    public static List<Framed> requests(byte[] stream) {
        List<Framed> out = new ArrayList<>();
        int p = 0;
        while (true) {
            while (p + 1 < stream.length && stream[p] == '\r' && stream[p + 1] == '\n') p += 2; // RFC 9112 §2.2
            int end = indexOf(stream, p, "\r\n\r\n");
            if (end < 0) return out;
            Head h = head(java.util.Arrays.copyOfRange(stream, p, end + 4));
            if (h == null) return out;
            p = end + 4;
            long length;
            if (h.chunked) {
                long[] result = chunked(stream, p);
                if (result == null) return out;
                length = result[0];
                p = (int) result[1];
            } else {
                if (stream.length - p < h.contentLength) return out;
                length = h.contentLength;
                p += (int) h.contentLength;
            }
            out.add(new Framed(h.method, h.target, length));
        }
    }

    /**
     * Reads a head that ends with its empty line: request line, fields, and from them the framing.
     * Null when a line is not CRLF-terminated, the request line has not three parts, a field has
     * no name, or the framing fields contradict each other.
     */
    public static Head head(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (!text.endsWith("\r\n\r\n")) return null;
        String[] lines = text.substring(0, text.length() - 4).split("\r\n", -1);
        for (String line : lines) if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) return null;
        String[] parts = lines[0].split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) return null;
        if (!parts[2].matches("HTTP/1\\.[0-9]")) return null; // a higher minor version is read as 1.1 (RFC 9112 §2.3)
        boolean http10 = parts[2].equals("HTTP/1.0");
        int lengths = 0, codings = 0;
        String length = null;
        String lastCoding = "";
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) return null;
            String name = lines[i].substring(0, colon);
            String value = lines[i].substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Content-Length")) {
                lengths++;
                length = value;
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                codings++;
                String[] list = value.split(",", -1);
                lastCoding = list[list.length - 1].strip();
            }
        }
        if (codings > 0) {
            if (http10 || lengths > 0 || !lastCoding.equalsIgnoreCase("chunked")) return null;
            return new Head(parts[0], parts[1], http10, true, -1);
        }
        if (lengths > 1) return null;
        if (lengths == 0) return new Head(parts[0], parts[1], http10, false, 0);
        if (!length.matches("[0-9]{1,18}")) return null;
        return new Head(parts[0], parts[1], http10, false, Long.parseLong(length));
    }

    /** A chunked body from {@code p}: {length, index after it}, or null when incomplete or malformed. */
    private static long[] chunked(byte[] s, int p) {
        long total = 0;
        while (true) {
            int lineEnd = indexOf(s, p, "\r\n");
            if (lineEnd < 0) return null;
            String line = new String(s, p, lineEnd - p, StandardCharsets.ISO_8859_1);
            int semicolon = line.indexOf(';');
            String size = semicolon < 0 ? line : line.substring(0, semicolon);
            if (!size.matches("[0-9A-Fa-f]{1,15}") || line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) return null;
            long n = Long.parseLong(size, 16);
            p = lineEnd + 2;
            if (n == 0) break;
            if (s.length - p < n + 2) return null;
            if (s[p + (int) n] != '\r' || s[p + (int) n + 1] != '\n') return null;
            total += n;
            p += (int) n + 2;
        }
        while (true) { // trailer fields, then the empty line
            int lineEnd = indexOf(s, p, "\r\n");
            if (lineEnd < 0) return null;
            String line = new String(s, p, lineEnd - p, StandardCharsets.ISO_8859_1);
            p = lineEnd + 2;
            if (line.isEmpty()) return new long[] {total, p};
            if (line.indexOf(':') <= 0 || line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) return null;
        }
    }

    static int indexOf(byte[] b, int from, String ascii) {
        outer:
        for (int i = from; i + ascii.length() <= b.length; i++) {
            for (int j = 0; j < ascii.length(); j++) if (b[i + j] != ascii.charAt(j)) continue outer;
            return i;
        }
        return -1;
    }
}
