package dev.carafe.http;

import dev.carafe.Config;
import dev.carafe.HttpError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Streams {@code multipart/form-data} (RFC 7578, framing from RFC 2046): text fields into memory,
 * files to temporary files, so an upload is never held in memory whole.
 *
 * <p>Limits, from the app's config:
 * <ul>
 *   <li>{@code MAX_UPLOAD_BYTES} (default 16 MiB): the size of one uploaded file; beyond it, {@code 413};</li>
 *   <li>{@code MAX_FORM_MEMORY_BYTES} (default 1 MiB): all text fields together; beyond it, {@code 413};</li>
 *   <li>{@code MAX_FORM_PARTS} (default 1000): the number of parts; beyond it, {@code 413}.</li>
 * </ul>
 * Uploads go to {@code UPLOAD_TEMP_DIR}, or the system's temporary directory.
 * A body that breaks the format (no boundary, bad part headers, no closing delimiter) is a {@code 400}.
 * Temporary files already written are deleted when parsing fails; the others when the request ends.
 */
final class Multipart {
    static final long DEFAULT_MAX_UPLOAD_BYTES = 16L << 20;
    static final long DEFAULT_MAX_FORM_MEMORY_BYTES = 1L << 20;
    static final int DEFAULT_MAX_FORM_PARTS = 1000;
    /** A part's header section; browsers send well under 1 KiB. */
    private static final int MAX_PART_HEAD_BYTES = 8192;
    private static final byte CR = '\r', LF = '\n';

    private final InputStream in;
    private final byte[] delimiter; // CRLF "--" boundary
    private final byte[] buf;
    private int pos, lim;
    private boolean eof;
    private final Path tempDir;

    private Multipart(InputStream in, String boundary, Path tempDir) {
        this.in = in;
        this.tempDir = tempDir;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.buf = new byte[64 * 1024];
        // RFC 2046 lets the first delimiter start the body without the CRLF that precedes the
        // others: pretend one is there, so every delimiter is found the same way.
        buf[0] = CR;
        buf[1] = LF;
        lim = 2;
    }

    static Forms.Data parse(InputStream body, String contentType, Config config) throws IOException {
        String boundary = boundary(contentType);
        long maxUpload = config.getLong("MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES);
        long maxMemory = config.getLong("MAX_FORM_MEMORY_BYTES", DEFAULT_MAX_FORM_MEMORY_BYTES);
        int maxParts = config.getInt("MAX_FORM_PARTS", DEFAULT_MAX_FORM_PARTS);
        Map<String, List<String>> fields = new LinkedHashMap<>();
        Map<String, List<UploadedFile>> files = new LinkedHashMap<>();
        Forms.Data data = new Forms.Data(fields, files);
        try {
            String dir = config.get("UPLOAD_TEMP_DIR");
            new Multipart(body, boundary, dir == null ? null : Path.of(dir)).read(fields, files, maxUpload, maxMemory, maxParts);
        } catch (IOException | RuntimeException e) {
            data.deleteFiles();
            throw e;
        }
        return data;
    }

    /** The boundary parameter of {@code contentType}; a 400 when it is missing or invalid. */
    static String boundary(String contentType) {
        String boundary = null;
        for (String param : contentType.split(";")) {
            int eq = param.indexOf('=');
            if (eq < 0 || !param.substring(0, eq).trim().equalsIgnoreCase("boundary")) continue;
            boundary = param.substring(eq + 1).trim();
            if (boundary.length() >= 2 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
                boundary = boundary.substring(1, boundary.length() - 1);
            }
        }
        if (boundary == null || boundary.isEmpty()) {
            throw new HttpError(400, "multipart/form-data without a boundary parameter");
        }
        // RFC 2046: 1 to 70 characters from a small set, not ending in a space.
        if (boundary.length() > 70 || boundary.endsWith(" ")
                || !boundary.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                        || "'()+_,-./:=? ".indexOf(c) >= 0)) {
            throw new HttpError(400, "Invalid multipart boundary");
        }
        return boundary;
    }

    private void read(Map<String, List<String>> fields, Map<String, List<UploadedFile>> files,
                      long maxUpload, long maxMemory, int maxParts) throws IOException {
        // Skip the preamble up to the first delimiter.
        copyPart(OutputStream.nullOutputStream(), Long.MAX_VALUE, null);
        long memory = 0;
        int parts = 0;
        while (afterDelimiter()) {
            if (++parts > maxParts) throw new HttpError(413, "Too many parts in the form (limit " + maxParts + ", MAX_FORM_PARTS)");
            PartHead head = readHead();
            if (head.filename == null) {
                var value = new java.io.ByteArrayOutputStream();
                long room = maxMemory - memory;
                copyPart(value, room, () -> new HttpError(413, "Form fields larger than " + describe(maxMemory)
                        + " in total (MAX_FORM_MEMORY_BYTES)"));
                memory += value.size();
                fields.computeIfAbsent(head.name, k -> new ArrayList<>(1)).add(value.toString(StandardCharsets.UTF_8));
            } else {
                Path temp = tempDir == null ? Files.createTempFile("carafe-upload-", ".part")
                        : Files.createTempFile(tempDir, "carafe-upload-", ".part");
                long size;
                List<UploadedFile> list = files.computeIfAbsent(head.name, k -> new ArrayList<>(1));
                try (OutputStream out = Files.newOutputStream(temp)) {
                    size = copyPart(out, maxUpload, () -> new HttpError(413, "File '" + head.filename
                            + "' is larger than the upload limit of " + describe(maxUpload) + " (MAX_UPLOAD_BYTES)"));
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(temp);
                    throw e;
                }
                if (size == 0 && head.filename.isEmpty()) {
                    // What browsers send for a file input left empty: no file, not an empty one.
                    Files.deleteIfExists(temp);
                    if (list.isEmpty()) files.remove(head.name);
                    continue;
                }
                list.add(new UploadedFile(head.name, head.filename, head.contentType, size, temp));
            }
        }
    }

    private static String describe(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) return (bytes >> 20) + " MiB";
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) return (bytes >> 10) + " KiB";
        return bytes + " bytes";
    }

    /**
     * Called just past a delimiter: returns {@code false} at the closing one ({@code --}), else
     * consumes the rest of the delimiter line and returns {@code true}.
     */
    private boolean afterDelimiter() throws IOException {
        if (!ensure(2)) throw malformed("the body ends without the closing delimiter");
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            pos += 2;
            return false; // whatever follows is the epilogue, which carries nothing
        }
        // Transport padding (spaces, tabs) may follow a delimiter before its CRLF.
        while (true) {
            if (!ensure(1)) throw malformed("the body ends without the closing delimiter");
            byte b = buf[pos];
            if (b == ' ' || b == '\t') {
                pos++;
                continue;
            }
            if (b == CR && ensure(2) && buf[pos + 1] == LF) {
                pos += 2;
                return true;
            }
            throw malformed("a boundary is followed by something other than a line break");
        }
    }

    /** A part's headers, as far as forms use them. */
    private record PartHead(String name, String filename, String contentType) {}

    private PartHead readHead() throws IOException {
        String disposition = null, type = null;
        int total = 0;
        while (true) {
            String line = readLine(MAX_PART_HEAD_BYTES - total);
            total += line.length() + 2;
            if (line.isEmpty()) break;
            int colon = line.indexOf(':');
            if (colon <= 0) throw malformed("bad part header line");
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-disposition")) disposition = value;
            else if (name.equals("content-type")) type = value;
        }
        if (disposition == null) throw malformed("a part has no Content-Disposition header");
        Map<String, String> params = new LinkedHashMap<>();
        String kind = parseParams(disposition, params);
        if (!kind.equalsIgnoreCase("form-data")) throw malformed("a part is not form-data");
        String name = params.get("name");
        if (name == null) throw malformed("a part has no field name");
        String filename = params.containsKey("filename*") ? extendedValue(params.get("filename*")) : params.get("filename");
        if (filename != null) filename = lastPathElement(filename);
        return new PartHead(name, filename, type == null ? (filename == null ? "text/plain" : "application/octet-stream") : type);
    }

    /**
     * Reduces a client's file name to its last path element, so it can never name a place on the
     * server: {@code C:\Users\ada\cv.pdf} and {@code ../../etc/passwd} become {@code cv.pdf} and
     * {@code passwd}. Control characters are dropped; what is left may still be empty.
     */
    static String lastPathElement(String filename) {
        String name = filename;
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        if (cut >= 0) name = name.substring(cut + 1);
        StringBuilder sb = new StringBuilder(name.length());
        name.codePoints().filter(c -> c >= 0x20 && c != 0x7f).forEach(sb::appendCodePoint);
        name = sb.toString().strip();
        return name.equals(".") || name.equals("..") ? "" : name;
    }

    /** RFC 5987 {@code charset'lang'percent-encoded}; browsers use it for non-ASCII file names. */
    private String extendedValue(String value) throws IOException {
        int first = value.indexOf('\''), second = value.indexOf('\'', first + 1);
        if (first < 0 || second < 0) throw malformed("bad filename* parameter");
        try {
            return java.net.URLDecoder.decode(value.substring(second + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed("bad filename* parameter");
        }
    }

    /**
     * Parses {@code form-data; name="a"; filename="b.txt"} into {@code params}; returns the
     * disposition type. Quoted values may contain {@code ;} and backslash escapes.
     */
    private String parseParams(String header, Map<String, String> params) throws IOException {
        int i = header.indexOf(';');
        String kind = (i < 0 ? header : header.substring(0, i)).trim();
        while (i >= 0 && i < header.length()) {
            i++; // past ';'
            int eq = header.indexOf('=', i);
            if (eq < 0) break;
            String key = header.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            int j = eq + 1;
            while (j < header.length() && header.charAt(j) == ' ') j++;
            String value;
            if (j < header.length() && header.charAt(j) == '"') {
                StringBuilder sb = new StringBuilder();
                j++;
                boolean closed = false;
                for (; j < header.length(); j++) {
                    char c = header.charAt(j);
                    // Browsers don't escape backslashes in file names (C:\x.txt); only \" and \\ are escapes.
                    if (c == '\\' && j + 1 < header.length() && (header.charAt(j + 1) == '"' || header.charAt(j + 1) == '\\')) {
                        sb.append(header.charAt(++j));
                    } else if (c == '"') {
                        closed = true;
                        j++;
                        break;
                    } else {
                        sb.append(c);
                    }
                }
                if (!closed) throw malformed("unterminated quoted string in Content-Disposition");
                value = sb.toString();
                i = header.indexOf(';', j);
            } else {
                int end = header.indexOf(';', j);
                value = (end < 0 ? header.substring(j) : header.substring(j, end)).trim();
                i = end;
            }
            params.putIfAbsent(key, value);
        }
        return kind;
    }

    /** Reads one header line ending in CRLF, as UTF-8 (browsers send raw UTF-8 names). */
    private String readLine(int max) throws IOException {
        var line = new java.io.ByteArrayOutputStream(64);
        while (true) {
            if (!ensure(1)) throw malformed("the body ends inside a part's headers");
            byte b = buf[pos++];
            if (b == CR) {
                if (!ensure(1) || buf[pos] != LF) throw malformed("a part header line does not end in CRLF");
                pos++;
                return line.toString(StandardCharsets.UTF_8);
            }
            if (b == LF || b == 0) throw malformed("invalid character in a part's headers");
            line.write(b);
            if (line.size() + 2 > max) throw malformed("a part's headers are longer than " + MAX_PART_HEAD_BYTES + " bytes");
        }
    }

    /**
     * Copies the bytes up to the next delimiter into {@code out} and consumes the delimiter.
     * Returns how many bytes were copied; past {@code limit}, throws what {@code tooLarge} makes.
     */
    private long copyPart(OutputStream out, long limit, java.util.function.Supplier<HttpError> tooLarge) throws IOException {
        long copied = 0;
        int d = delimiter.length;
        while (true) {
            int at = indexOfDelimiter();
            // Without a match, all but the last d-1 bytes are content: those may begin a delimiter.
            int end = at >= 0 ? at : Math.max(pos, lim - (d - 1));
            int n = end - pos;
            if (n > 0) {
                copied += n;
                if (copied > limit) throw tooLarge.get();
                out.write(buf, pos, n);
                pos = end;
            }
            if (at >= 0) {
                pos = at + d;
                return copied;
            }
            if (!fill()) throw malformed("the body ends without the closing delimiter");
        }
    }

    private int indexOfDelimiter() {
        byte first = delimiter[0];
        outer:
        for (int i = pos, last = lim - delimiter.length; i <= last; i++) {
            if (buf[i] != first) continue;
            for (int k = 1; k < delimiter.length; k++) {
                if (buf[i + k] != delimiter[k]) continue outer;
            }
            return i;
        }
        return -1;
    }

    /** Makes at least {@code n} unread bytes available; {@code false} if the body ends first. */
    private boolean ensure(int n) throws IOException {
        while (lim - pos < n) {
            if (!fill()) return false;
        }
        return true;
    }

    /** Moves unread bytes to the front and reads more; {@code false} at the end of the body. */
    private boolean fill() throws IOException {
        if (eof) return false;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
            return false;
        }
        lim += n;
        return true;
    }

    private static HttpError malformed(String why) {
        return new HttpError(400, "Malformed multipart/form-data: " + why);
    }
}
