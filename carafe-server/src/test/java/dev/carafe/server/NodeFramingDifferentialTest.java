package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test of request framing (docs/fuzzing.md): the same byte streams parsed by Carafe's
 * server and by Node's llhttp (strict mode, through the parser binding node:http uses). Streams:
 * the connection fuzz target's corpus (seeds, findings and what fuzzing kept), request-smuggling
 * classics, and seeded mutations of all of them.
 * A disagreement on where a request ends is a failure: every request both parsed must be the
 * same (method, target, body length); Carafe must serve no request llhttp frames differently or
 * not at all; and where llhttp reads further, Carafe must have refused (4xx) or announced the
 * close. Where llhttp refuses what Carafe serves for a reason that is not framing (it knows a
 * fixed list of methods, say), the difference is named in {@link #LLHTTP_ONLY_REFUSES}. The suite
 * runs 1000 mutants; {@code -Dcarafe.mutants=N -Dcarafe.seed=S} (through argLine) runs others.
 */
class NodeFramingDifferentialTest {
    private static final String SCRIPT = "/dev/carafe/server/llhttp-frame.js";
    private static final String CORPUS = "/dev/carafe/server/ConnectionFuzzTestInputs/servesExactlyTheRequestsAReferenceReadingFrames";
    private static final String FUZZED = ".cifuzz-corpus/dev.carafe.server.ConnectionFuzzTest/servesExactlyTheRequestsAReferenceReadingFrames";
    private static final int MUTANTS = Integer.getInteger("carafe.mutants", 1000);

    /**
     * Where llhttp refuses what Carafe serves as RFC 9110/9112 allow, with no doubt on framing:
     * its error code, and what in the stream causes it. Only these may end llhttp's reading early.
     */
    record Stricter(String error, Pattern inStream, String why) {}

    static final List<Stricter> LLHTTP_ONLY_REFUSES = List.of(
            new Stricter("HPE_INVALID_METHOD", Pattern.compile("."), "any token is a method (RFC 9110 §9.1); llhttp knows a list"),
            new Stricter("HPE_INVALID_VERSION", Pattern.compile("HTTP/1\\.[2-9]\r\n"),
                    "a higher minor version is read as HTTP/1.1 (RFC 9112 §2.3)"),
            new Stricter("HPE_INVALID_TRANSFER_ENCODING", Pattern.compile("(?i)transfer-encoding:[^\r\n]*\t\r\n"),
                    "a tab after the value is optional whitespace (RFC 9110 §5.6.3); llhttp refuses it there only"),
            new Stricter("HPE_INVALID_CONTENT_LENGTH", Pattern.compile("(?i)content-length:[^\r\n]*\t\r\n"),
                    "the same for Content-Length"),
            new Stricter("HPE_STRICT", Pattern.compile("\r\n[0-9a-fA-F]+;[^\r\n]*[ \t]"),
                    "whitespace around ';' and '=' in chunk extensions is BWS (RFC 9112 §7.1.1)"));

    @TempDir
    Path dir;

    /** Request streams where servers have disagreed on framing (request smuggling), one per line as written. */
    static final List<String> CLASSICS = List.of(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\nGPOST / HTTP/1.1\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\tchunked\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x5\r\n\r\nhello",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length:  5 \r\n\r\nhelloGET /next HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n 5\r\nhello\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\"b;c\"\r\nhello\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff1\r\nhello\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nTrailer: x\r\nContent-Length: 5\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\n\nGET /lf HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.1\nHost: x\n\n",
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n\r\nGET /after-crlf HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n",
            "GET / HTTP/1.1\r\n Host: x\r\n\r\n",
            "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /get-with-body HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nokGET / HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nX\u0000: y\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nX: caf\u00e9\r\n\r\n");

    @Test
    void carafeAndLlhttpAgreeOnWhereEveryRequestEnds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String s : CLASSICS) seeds.add(s.getBytes(StandardCharsets.ISO_8859_1));
        seeds.addAll(corpus());
        List<byte[]> cases = new ArrayList<>(seeds);
        Random random = new Random(Long.getLong("carafe.seed", 15)); // seeded: the same cases every run
        for (int i = 0; i < MUTANTS; i++) cases.add(mutate(seeds.get(random.nextInt(seeds.size())), random));

        List<Llhttp> node = llhttp(cases);
        List<String> disagreements = new ArrayList<>();
        try (FramingProbe carafe = new FramingProbe()) {
            for (int i = 0; i < cases.size(); i++) {
                String why = disagreement(cases.get(i), carafe.send(cases.get(i)), node.get(i));
                if (why != null) disagreements.add(printable(cases.get(i)) + "\n    " + why);
            }
        }
        assertEquals("", String.join("\n", disagreements), disagreements.size() + " of " + cases.size() + " streams framed differently");
    }

    /** Why Carafe's and llhttp's framing of one stream disagree, or null. */
    static String disagreement(byte[] stream, FramingProbe.Served carafe, Llhttp node) {
        List<String> served = carafe.requests();
        int common = Math.min(served.size(), node.requests.size());
        if (!served.subList(0, common).equals(node.requests.subList(0, common))) {
            return "Carafe served " + served + ", llhttp framed " + node.requests;
        }
        if (served.size() > node.requests.size()) {
            String text = new String(stream, StandardCharsets.ISO_8859_1);
            for (Stricter s : LLHTTP_ONLY_REFUSES) if (s.error.equals(node.error) && s.inStream.matcher(text).find()) return null;
            return "Carafe served " + served + ", llhttp framed only " + node.requests + " then " + node.error;
        }
        if (served.size() < node.requests.size() && carafe.stop() == 0) {
            return "Carafe stopped after " + served + " without refusing; llhttp framed " + node.requests;
        }
        return null;
    }

    /** llhttp's reading of one stream. */
    record Llhttp(List<String> requests, String error) {}

    private List<Llhttp> llhttp(List<byte[]> cases) throws IOException, InterruptedException {
        Path input = dir.resolve("cases.hex"), script = dir.resolve("llhttp-frame.js");
        try (InputStream in = NodeFramingDifferentialTest.class.getResourceAsStream(SCRIPT)) {
            Files.write(script, in.readAllBytes());
        }
        StringBuilder hex = new StringBuilder();
        for (byte[] c : cases) hex.append(HexFormat.of().formatHex(c)).append('\n');
        Files.writeString(input, hex);
        Commands.Result r = Commands.run(Duration.ofSeconds(60), List.of("node", "--no-deprecation", script.toString(), input.toString()));
        assertEquals(0, r.exitCode(), r.toString());
        List<Llhttp> out = new ArrayList<>();
        Pattern request = Pattern.compile("\\[\"([^\"]*)\",\"((?:[^\"\\\\]|\\\\.)*)\",(\\d+)]");
        for (String line : r.stdout().strip().split("\n")) {
            List<String> requests = new ArrayList<>();
            int errorAt = line.indexOf("\"error\":");
            Matcher m = request.matcher(line.substring(0, errorAt));
            while (m.find()) requests.add(m.group(1) + " " + unescape(m.group(2)) + " " + m.group(3));
            String error = line.substring(errorAt + 8, line.length() - 1);
            out.add(new Llhttp(requests, error.equals("null") ? null : error.replace("\"", "")));
        }
        assertEquals(cases.size(), out.size(), r.stdout());
        return out;
    }

    /** JSON string escapes as JSON.stringify writes them. */
    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                default -> sb.append(n);
            }
        }
        return sb.toString();
    }

    /** The fuzz target's seeds and findings, and the inputs fuzzing kept (run from the module folder). */
    private static List<byte[]> corpus() throws IOException, URISyntaxException {
        List<byte[]> out = new ArrayList<>();
        for (Path folder : List.of(Path.of(NodeFramingDifferentialTest.class.getResource(CORPUS).toURI()), Path.of(FUZZED))) {
            if (!Files.isDirectory(folder)) continue;
            try (Stream<Path> files = Files.list(folder)) {
                for (Path p : files.sorted().toList()) out.add(Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static final String[] TOKENS = {"\r\n", "\n", "\r", " ", "\t", "0", "5", "a", ";", ":", ",", "\"",
            "chunked", "Content-Length: 3\r\n", "Transfer-Encoding: chunked\r\n", "\r\n\r\n", "\u0000", "\u00ff"};

    /** A seed with a few random edits: token insertions, byte changes, deletions, duplications. */
    static byte[] mutate(byte[] seed, Random random) {
        StringBuilder s = new StringBuilder(new String(seed, StandardCharsets.ISO_8859_1));
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = s.isEmpty() ? 0 : random.nextInt(s.length());
            switch (random.nextInt(4)) {
                case 0 -> s.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                case 1 -> { if (!s.isEmpty()) s.setCharAt(at, (char) random.nextInt(256)); }
                case 2 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(4)));
                default -> s.insert(at, s.substring(at, Math.min(s.length(), at + 1 + random.nextInt(20))));
            }
        }
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xff;
            if (c == '\r') sb.append("\\r");
            else if (c == '\n') sb.append("\\n");
            else if (c < 0x20 || c >= 0x7f) sb.append(String.format("\\x%02x", c));
            else sb.append((char) c);
        }
        return sb.toString();
    }
}
