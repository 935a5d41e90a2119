package dev.carafe.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carafe.App;
import dev.carafe.testing.TestClient;
import dev.carafe.testing.TestResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * multipart/form-data bodies (docs/fuzzing.md), two ways. Raw bytes under a fixed boundary: the
 * app answers 200, or 400 / 413 for what it documents, never anything else. Parts the fuzzer
 * chooses (names, file names, arbitrary contents), framed as a browser frames them: every field
 * and file arrives exactly, in order.
 */
class MultipartFuzzTest {
    private static final String BOUNDARY = "fuzzboundary";
    private static final Set<Integer> REFUSALS = Set.of(400, 413);
    private static final TestClient CLIENT;

    static {
        App app = new App();
        app.post("/", ctx -> {
            StringBuilder sb = new StringBuilder(Fuzzing.describe(ctx.formMap()));
            for (int i = 0; i < 8; i++) {
                for (var f : ctx.files("file" + i)) {
                    sb.append("file").append(i).append(' ').append(Fuzzing.escape(f.filename())).append(' ')
                            .append(HexFormat.of().formatHex(f.bytes())).append('\n');
                }
            }
            return sb.toString();
        });
        CLIENT = TestClient.of(app);
    }

    @FuzzTest
    void readsWhatABrowserSentAndRefusesTheRest(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            TestResponse r = CLIENT.post("/").body(data.consumeRemainingAsBytes(), "multipart/form-data; boundary=" + BOUNDARY).send();
            assertTrue(r.status() == 200 || REFUSALS.contains(r.status()), r.status() + " " + r.body());
            return;
        }
        String boundary = "----carafe" + HexFormat.of().toHexDigits(data.consumeLong());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        StringBuilder fields = new StringBuilder(), files = new StringBuilder();
        List<String[]> sentFields = new ArrayList<>();
        int parts = data.consumeInt(0, 6);
        List<StringBuilder> byFile = new ArrayList<>();
        for (int i = 0; i < 8; i++) byFile.add(new StringBuilder());
        for (int i = 0; i < parts; i++) {
            boolean file = data.consumeBoolean();
            byte[] content = data.consumeBytes(200);
            if (new String(content, StandardCharsets.ISO_8859_1).contains(boundary)) return;
            body.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII));
            if (file) {
                int n = data.consumeInt(0, 7);
                String filename = safe(data.consumeString(20));
                body.writeBytes(("Content-Disposition: form-data; name=\"file" + n + "\"; filename=\"" + filename
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                byFile.get(n).append("file").append(n).append(' ').append(Fuzzing.escape(filename)).append(' ')
                        .append(HexFormat.of().formatHex(content)).append('\n');
            } else {
                String name = "f" + data.consumeInt(0, 3);
                String value = new String(content, StandardCharsets.UTF_8);
                content = value.getBytes(StandardCharsets.UTF_8);
                body.writeBytes(("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                sentFields.add(new String[] {name, value});
            }
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        var expected = new java.util.LinkedHashMap<String, List<String>>();
        for (String[] f : sentFields) expected.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
        fields.append(Fuzzing.describe(expected));
        for (StringBuilder f : byFile) files.append(f);
        TestResponse r = CLIENT.post("/").body(body.toByteArray(), "multipart/form-data; boundary=" + boundary).send();
        assertEquals(200, r.status(), r.body());
        assertEquals(fields.toString() + files, r.body());
    }

    /**
     * A file name as a browser sends it (no quote, backslash, slash or control character) and as
     * the framework keeps it (documented: stripped of surrounding whitespace, never "." or "..").
     */
    private static String safe(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().filter(c -> c >= 0x20 && c != '"' && c != '\\' && c != '/' && c != 0x7f && !Character.isSurrogate((char) c))
                .forEach(sb::appendCodePoint);
        String name = sb.toString().strip();
        return name.isEmpty() || name.equals(".") || name.equals("..") ? "f" : name;
    }
}
