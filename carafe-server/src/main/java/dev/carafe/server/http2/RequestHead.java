package dev.carafe.server.http2;

import dev.carafe.server.Headers;

/**
 * Turns a decoded request header block into a request, refusing what RFC 9113 §8.2–§8.3 calls
 * malformed (a stream error of type PROTOCOL_ERROR): upper-case or invalid names, connection-
 * specific fields, pseudo-fields that are unknown, repeated, missing or after regular fields,
 * values with NUL, CR, LF or surrounding whitespace. Cookies split across fields are joined
 * again (§8.2.3), and {@code :authority} is also offered as {@code Host}.
 */
final class RequestHead {
    private RequestHead() {}

    /** What the block said; {@code status} non-zero when the server answers it itself (431, 501). */
    record Parsed(String method, String target, Headers headers, long contentLength, int status) {}

    static Parsed parse(int stream, HpackDecoder.Block block, boolean endStream, int maxHeaderCount) throws Http2Exception {
        String method = null, scheme = null, path = null, authority = null;
        boolean regularSeen = false;
        Headers headers = new Headers(Math.max(block.count(), 1));
        StringBuilder cookies = null;
        long length = -1;
        for (int i = 0; i < block.count(); i++) {
            String name = block.name(i), value = block.value(i);
            if (name.startsWith(":")) {
                if (regularSeen) throw malformed(stream, "Pseudo-header field " + name + " after a regular field");
                switch (name) {
                    case ":method" -> method = once(stream, name, method, value);
                    case ":scheme" -> scheme = once(stream, name, scheme, value);
                    case ":path" -> path = once(stream, name, path, value);
                    case ":authority" -> authority = once(stream, name, authority, value);
                    default -> throw malformed(stream, "Unknown or response pseudo-header field " + name);
                }
                checkValue(stream, name, value);
                continue;
            }
            regularSeen = true;
            checkName(stream, name);
            checkValue(stream, name, value);
            switch (name) {
                case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" ->
                        throw malformed(stream, "Connection-specific field " + name);
                case "te" -> {
                    if (!value.equals("trailers")) throw malformed(stream, "TE other than 'trailers'");
                }
                case "content-length" -> {
                    long n = parseLength(stream, value);
                    if (length >= 0 && n != length) throw malformed(stream, "Conflicting content-length fields");
                    length = n;
                }
                case "cookie" -> {
                    cookies = cookies == null ? new StringBuilder(value) : cookies.append("; ").append(value);
                    continue;
                }
                default -> { }
            }
            headers.add(name, value);
        }
        if (cookies != null) headers.add("cookie", cookies.toString());
        if (authority != null && !headers.has("host")) headers.add("host", authority);
        if (method == null) throw malformed(stream, "No :method");
        if (method.equals("CONNECT")) {
            if (authority == null || scheme != null || path != null) throw malformed(stream, "Malformed CONNECT");
            return new Parsed(method, authority, headers, length, 501);
        }
        if (scheme == null || path == null) throw malformed(stream, "Missing :scheme or :path");
        if (path.isEmpty()) throw malformed(stream, "Empty :path");
        if (path.charAt(0) != '/' && !(path.equals("*") && method.equals("OPTIONS"))) {
            throw malformed(stream, ":path must start with '/' (or be '*' for OPTIONS)");
        }
        if (!isToken(method)) throw malformed(stream, "Invalid :method");
        if (endStream && length > 0) throw malformed(stream, "content-length " + length + " on a request without a body");
        int status = headers.size() > maxHeaderCount ? 431 : 0;
        return new Parsed(method, path, headers, endStream ? Math.max(length, 0) : length, status);
    }

    private static String once(int stream, String name, String previous, String value) throws Http2Exception {
        if (previous != null) throw malformed(stream, "Repeated " + name);
        return value;
    }

    /** Field names are lower-case tokens in HTTP/2 (§8.2.1). */
    private static void checkName(int stream, String name) throws Http2Exception {
        if (name.isEmpty()) throw malformed(stream, "Empty field name");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') throw malformed(stream, "Upper-case field name " + name);
            if (c > 0x7f || !isTokenChar(c)) throw malformed(stream, "Invalid field name " + name);
        }
    }

    /** No NUL, CR or LF anywhere, no whitespace at either end (§8.2.1). */
    private static void checkValue(int stream, String name, String value) throws Http2Exception {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') throw malformed(stream, "NUL, CR or LF in the value of " + name);
        }
        if (!value.isEmpty() && (isSpace(value.charAt(0)) || isSpace(value.charAt(value.length() - 1)))) {
            throw malformed(stream, "Whitespace around the value of " + name);
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static long parseLength(int stream, String s) throws Http2Exception {
        if (s.isEmpty() || s.length() > 18) throw malformed(stream, "Invalid content-length");
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw malformed(stream, "Invalid content-length");
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) return false;
        }
        return !s.isEmpty();
    }

    private static boolean isTokenChar(char c) {
        return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    static Http2Exception malformed(int stream, String message) {
        return Http2Exception.stream(stream, ErrorCode.PROTOCOL_ERROR, message);
    }
}
