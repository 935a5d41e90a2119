package dev.carafe.bench.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * Checks that a peer answers every benchmark endpoint with the right status and body, over one
 * HTTP/1.1 request per connection.
 *
 * <pre>java -cp bench/smoke/target/classes dev.carafe.bench.tools.Check 127.0.0.1 8080 [plaintext json routing post]</pre>
 *
 * Exits 0 when all pass; prints one line per failure otherwise.
 */
public final class Check {
    public static final List<String> ALL = List.of("plaintext", "json", "routing", "post");

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        List<String> which = args.length > 2 ? List.of(args).subList(2, args.length) : ALL;
        List<String> failures = check(host, port, which);
        failures.forEach(System.out::println);
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /** The failures, empty when every endpoint in {@code which} answered correctly. */
    public static List<String> check(String host, int port, List<String> which) throws IOException {
        List<String> failures = new ArrayList<>();
        try {
            for (String w : which) {
                switch (w) {
                    case "plaintext" -> expect(failures, w, get(host, port, "/plaintext"), "text/plain", "Hello, World!");
                    case "json" -> {
                        Reply r = get(host, port, "/json");
                        expect(failures, w, r, "application/json", null);
                        String compact = r.body.replace(" ", "").trim();
                        if (!compact.equals("{\"message\":\"Hello,World!\"}")) failures.add(w + ": body " + r.body);
                    }
                    case "routing" -> {
                        for (int i : new int[] {0, 42, 99}) {
                            expect(failures, w, get(host, port, "/r" + i + "/id" + (i * 7)), "text/plain", "r" + i + ":id" + (i * 7));
                        }
                    }
                    case "post" -> {
                        byte[] body = new byte[4096];
                        for (int i = 0; i < body.length; i++) body[i] = (byte) ('a' + i % 26);
                        CRC32 crc = new CRC32();
                        crc.update(body);
                        String head = "POST /post HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/octet-stream\r\n"
                                + "Content-Length: " + body.length + "\r\n\r\n";
                        expect(failures, w, exchange(host, port, head.getBytes(StandardCharsets.US_ASCII), body),
                                "text/plain", String.format("%08x", crc.getValue()));
                    }
                    default -> failures.add("unknown endpoint " + w);
                }
            }
        } catch (IOException e) {
            failures.add("I/O error: " + e);
        }
        return failures;
    }

    private static void expect(List<String> failures, String what, Reply r, String type, String body) {
        if (r.status != 200) failures.add(what + ": status " + r.status + " " + r.body);
        if (type != null && (r.contentType == null || !r.contentType.toLowerCase(Locale.ROOT).startsWith(type))) {
            failures.add(what + ": Content-Type " + r.contentType);
        }
        if (body != null && !body.equals(r.body)) failures.add(what + ": body '" + r.body + "', want '" + body + "'");
    }

    record Reply(int status, String contentType, String body) {}

    /** One request on a connection of its own (some peers, e.g. Flask's dev server, close after each). */
    static Reply get(String host, int port, String path) throws IOException {
        return exchange(host, port, ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    static Reply exchange(String host, int port, byte[]... request) throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            for (byte[] part : request) out.write(part);
            out.flush();
            return read(new java.io.BufferedInputStream(s.getInputStream()));
        }
    }

    /** Reads one response with a Content-Length or chunked body. */
    static Reply read(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) throw new IOException("connection closed before a response");
        int code = Integer.parseInt(status.split(" ")[1]);
        String type = null;
        long length = -1;
        boolean chunked = false;
        for (String h; !(h = line(in)).isEmpty(); ) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-type" -> type = value;
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                default -> { }
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size; (size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) > 0; ) {
                body.write(in.readNBytes(size));
                line(in);
            }
            while (!line(in).isEmpty()) { /* trailers */ }
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        }
        return new Reply(code, type, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) return b.isEmpty() ? null : b.toString();
            if (c != '\r') b.append((char) c);
        }
        return b.toString();
    }
}
