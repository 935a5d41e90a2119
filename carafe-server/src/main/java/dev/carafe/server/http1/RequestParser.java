package dev.carafe.server.http1;

import static dev.carafe.server.http1.Ascii.CR;
import static dev.carafe.server.http1.Ascii.HT;
import static dev.carafe.server.http1.Ascii.LF;
import static dev.carafe.server.http1.Ascii.SP;

import dev.carafe.server.Headers;
import java.nio.charset.StandardCharsets;

/**
 * Parses a complete request head (request line and header fields, RFC 9112 §3 and §5) and decides
 * the message framing (§6). Strict by design: whatever a lenient parser elsewhere on the path might
 * read differently (request smuggling) is refused with 400 rather than guessed at.
 */
final class RequestParser {
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE"};
    // The fields that decide framing. The parser hands out these very instances for any spelling of
    // their names, so decideFraming finds them by identity in one pass over the fields.
    private static final String HOST = "Host", CONNECTION = "Connection", CONTENT_LENGTH = "Content-Length",
            TRANSFER_ENCODING = "Transfer-Encoding", EXPECT = "Expect", UPGRADE = "Upgrade";
    /** Field names most requests carry, shared instead of allocating a String per request. */
    private static final String[] COMMON_NAMES = {
        HOST, CONNECTION, CONTENT_LENGTH, "Content-Type", TRANSFER_ENCODING, "User-Agent", "Accept",
        "Accept-Encoding", "Accept-Language", "Cookie", EXPECT, UPGRADE, "Origin", "Referer", "Cache-Control",
        "Authorization", "If-None-Match", "If-Modified-Since", "Range", "Keep-Alive", "Pragma",
    };
    private static final String[] COMMON_NAMES_LOWER = new String[COMMON_NAMES.length];

    static {
        for (int i = 0; i < COMMON_NAMES.length; i++) COMMON_NAMES_LOWER[i] = COMMON_NAMES[i].toLowerCase();
    }

    private RequestParser() {}

    /**
     * Parses {@code buf[start..end)}, which holds a request line and header fields, each ending in
     * CRLF, followed by the empty line's CRLF. Each line is read in one pass that both splits and
     * validates it: a byte that may not appear where it is ends the scan, and must then be the CRLF.
     */
    static Http1Request parse(byte[] buf, int start, int end, int maxHeaderCount) throws ProtocolException {
        Http1Request req = new Http1Request(new Headers(8));
        int p = parseRequestLine(buf, start, end, req);
        int last = end - 2; // the empty line
        while (p < last) {
            if (req.headers.size() == maxHeaderCount) {
                throw new ProtocolException(431, "Too many header fields (limit " + maxHeaderCount + ")");
            }
            p = parseField(buf, p, end, req.headers);
        }
        decideFraming(req);
        return req;
    }

    /** Index of the CR of the CRLF ending the line at {@code from}; bare CR or LF is an error. */
    private static int lineEnd(byte[] buf, int from, int end) throws ProtocolException {
        for (int i = from; i < end; i++) {
            byte b = buf[i];
            if ((b & 0xff) > CR) continue; // most bytes: one comparison
            if (b == CR || b == LF) {
                checkLineEnd(buf, i, end);
                return i;
            }
        }
        throw new ProtocolException(400, "Unterminated line in request head");
    }

    /** Refuses whatever at {@code buf[i]} is not the CRLF that ends a line. */
    private static void checkLineEnd(byte[] buf, int i, int end) throws ProtocolException {
        if (i + 1 < end && buf[i] == CR && buf[i + 1] == LF) return;
        if (i >= end) throw new ProtocolException(400, "Unterminated line in request head");
        if (buf[i] == CR) throw new ProtocolException(400, "Bare CR in request head");
        if (buf[i] == LF) throw new ProtocolException(400, "Bare LF in request head (lines must end in CRLF)");
        throw new ProtocolException(400, "Control character in header field value");
    }

    /** Parses the request line at {@code start}; returns where the next line begins. */
    private static int parseRequestLine(byte[] buf, int start, int end, Http1Request req) throws ProtocolException {
        int sp1 = start;
        while (sp1 < end && Ascii.isToken(buf[sp1])) sp1++;
        if (sp1 == start || sp1 == end || buf[sp1] != SP) throw new ProtocolException(400, "Malformed request line");
        req.method = method(buf, start, sp1);

        int t = sp1 + 1;
        int sp2 = t;
        while (sp2 < end && Ascii.isTarget(buf[sp2])) sp2++;
        if (sp2 == t || sp2 == end || buf[sp2] != SP) {
            throw new ProtocolException(400, "Malformed request target (control characters, spaces or '#')");
        }
        int cr = lineEnd(buf, sp2 + 1, end);
        parseVersion(buf, sp2 + 1, cr, req);
        if (req.method.equals("CONNECT")) throw new ProtocolException(501, "CONNECT is not supported");
        parseTarget(new String(buf, t, sp2 - t, StandardCharsets.ISO_8859_1), req);
        return cr + 2;
    }

    private static String method(byte[] buf, int from, int to) {
        for (String m : METHODS) {
            if (m.length() == to - from && startsWith(buf, from, m)) return m;
        }
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static boolean startsWith(byte[] buf, int from, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (buf[from + i] != ascii.charAt(i)) return false;
        }
        return true;
    }

    private static void parseVersion(byte[] buf, int from, int end, Http1Request req) throws ProtocolException {
        int len = end - from;
        if (len >= 6 && startsWith(buf, from, "HTTP/") && isDigit(buf[from + 5])) {
            int major = buf[from + 5] - '0';
            boolean minorForm = len == 8 && buf[from + 6] == '.' && isDigit(buf[from + 7]);
            if (major >= 2 && (len == 6 || minorForm)) {
                throw new ProtocolException(505, "HTTP/" + major + " is not supported on this port; use HTTP/1.1");
            }
            if (major == 1 && minorForm) {
                req.http10 = buf[from + 7] == '0'; // 1.2 and later minors are answered as 1.1 (RFC 9110 §6.2)
                return;
            }
        }
        throw new ProtocolException(400, "Malformed HTTP version");
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static void parseTarget(String target, Http1Request req) throws ProtocolException {
        req.target = target;
        String pathAndQuery;
        if (target.charAt(0) == '/') {
            pathAndQuery = target;
        } else if (target.equals("*")) {
            if (!req.method.equals("OPTIONS")) throw new ProtocolException(400, "'*' is a target for OPTIONS only");
            req.path = "*";
            return;
        } else if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
            int authority = target.indexOf("//") + 2;
            int slash = authority;
            while (slash < target.length() && target.charAt(slash) != '/' && target.charAt(slash) != '?') slash++;
            if (slash == authority) throw new ProtocolException(400, "Absolute target without a host");
            pathAndQuery = slash == target.length() ? "/" : target.charAt(slash) == '?' ? "/" + target.substring(slash)
                    : target.substring(slash);
        } else {
            throw new ProtocolException(400, "Request target must be a path, an absolute URI or '*'");
        }
        int q = pathAndQuery.indexOf('?');
        req.path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        req.query = q < 0 ? null : pathAndQuery.substring(q + 1);
    }

    /** Parses the header field line at {@code start}; returns where the next line begins. */
    private static int parseField(byte[] buf, int start, int end, Headers headers) throws ProtocolException {
        byte first = buf[start];
        if (first == SP || first == HT) throw new ProtocolException(400, "Obsolete line folding in header field");
        int colon = start;
        while (colon < end && Ascii.isToken(buf[colon])) colon++;
        if (colon == end || buf[colon] != ':') {
            if (colon < end && (buf[colon] == SP || buf[colon] == HT)) {
                throw new ProtocolException(400, "Whitespace between header field name and colon");
            }
            throw new ProtocolException(400, "Invalid header field name");
        }
        if (colon == start) throw new ProtocolException(400, "Empty header field name");
        int v = colon + 1;
        while (v < end && (buf[v] == SP || buf[v] == HT)) v++;
        int cr = v;
        while (cr < end && Ascii.isFieldValue(buf[cr])) cr++; // CR is not a field-value byte
        checkLineEnd(buf, cr, end);
        int ve = cr;
        while (ve > v && (buf[ve - 1] == SP || buf[ve - 1] == HT)) ve--;
        headers.add(name(buf, start, colon), new String(buf, v, ve - v, StandardCharsets.ISO_8859_1));
        return cr + 2;
    }

    private static String name(byte[] buf, int from, int to) {
        int len = to - from;
        for (int i = 0; i < COMMON_NAMES_LOWER.length; i++) {
            if (Ascii.equalsIgnoreCase(buf, from, len, COMMON_NAMES_LOWER[i])) return COMMON_NAMES[i];
        }
        return new String(buf, from, len, StandardCharsets.ISO_8859_1);
    }

    /** RFC 9112 §6: how long is the body, and may the connection be reused afterwards. */
    private static void decideFraming(Http1Request req) throws ProtocolException {
        Headers h = req.headers;
        int hosts = 0, lengths = 0, codings = 0, expects = 0, connections = 0;
        for (int i = 0, n = h.size(); i < n; i++) {
            String name = h.name(i);
            if (name == HOST) hosts++;
            else if (name == CONTENT_LENGTH) lengths++;
            else if (name == TRANSFER_ENCODING) codings++;
            else if (name == EXPECT) expects++;
            else if (name == CONNECTION) connections++;
            else if (name == UPGRADE) req.upgrade = true;
        }
        if (hosts > 1) throw new ProtocolException(400, "More than one Host header field");
        if (hosts == 0 && !req.http10) throw new ProtocolException(400, "Missing Host header field (required in HTTP/1.1)");

        if (codings > 0) {
            if (req.http10) throw new ProtocolException(400, "Transfer-Encoding is not allowed in HTTP/1.0");
            if (lengths > 0) throw new ProtocolException(400, "Both Content-Length and Transfer-Encoding");
            checkTransferCodings(h);
            req.chunked = true;
            req.contentLength = -1;
        } else if (lengths > 1) {
            throw new ProtocolException(400, "More than one Content-Length header field");
        } else if (lengths == 1) {
            req.contentLength = parseLength(h.get(CONTENT_LENGTH));
        }

        if (expects > 0) {
            if (expects > 1 || !h.get(EXPECT).equalsIgnoreCase("100-continue")) {
                throw new ProtocolException(417, "Only 'Expect: 100-continue' is supported");
            }
            req.expectContinue = !req.http10;
        }
        if (connections == 0) req.keepAlive = !req.http10;
        else req.keepAlive = req.http10 ? h.hasToken(CONNECTION, "keep-alive") : !h.hasToken(CONNECTION, "close");
    }

    /** Only a final {@code chunked} frames a request; other codings are not implemented. */
    private static void checkTransferCodings(Headers h) throws ProtocolException {
        StringBuilder all = new StringBuilder();
        for (String v : h.all("Transfer-Encoding")) all.append(all.isEmpty() ? "" : ",").append(v);
        String[] codings = all.toString().split(",", -1);
        for (int i = 0; i < codings.length; i++) {
            String c = codings[i].strip();
            boolean last = i == codings.length - 1;
            if (c.equalsIgnoreCase("chunked")) {
                if (!last) throw new ProtocolException(400, "'chunked' must be the last transfer coding, and only once");
            } else if (c.isEmpty() || !last && !isToken(c)) {
                throw new ProtocolException(400, "Malformed Transfer-Encoding");
            } else if (last) {
                throw new ProtocolException(400, "Transfer-Encoding must end with 'chunked'");
            } else {
                throw new ProtocolException(501, "Transfer coding '" + c + "' is not implemented");
            }
        }
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff || !Ascii.isToken((byte) c)) return false;
        }
        return true;
    }

    /** 1*DIGIT, nothing else: no sign, no spaces, no hex, no lists, no overflow. */
    static long parseLength(String s) throws ProtocolException {
        if (s.isEmpty() || s.length() > 18) throw new ProtocolException(400, "Invalid Content-Length");
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new ProtocolException(400, "Invalid Content-Length");
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
