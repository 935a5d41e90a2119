package dev.carafe.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.App;
import dev.carafe.Config;
import dev.carafe.HttpError;
import dev.carafe.http.Forms;
import dev.carafe.http.Multipart;
import dev.carafe.http.UploadedFile;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import dev.carafe.testing.TestClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultipartTest {
    @TempDir
    Path uploads;

    private App app(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("CARAFE_UPLOAD_TEMP_DIR", uploads.toString());
        return new App(new Config(all, null));
    }

    private Config config(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("CARAFE_UPLOAD_TEMP_DIR", uploads.toString());
        return new Config(all, null);
    }

    private long tempFiles() throws IOException {
        try (Stream<Path> s = Files.list(uploads)) {
            return s.count();
        }
    }

    @Test
    void fieldsAndFilesArriveWithNamesReducedAndTempFilesDeletedAfterTheRequest() throws IOException {
        App app = app(Map.of());
        List<Path> seen = new ArrayList<>();
        app.post("/upload", ctx -> {
            UploadedFile doc = ctx.file("doc");
            UploadedFile evil = ctx.file("evil");
            seen.add(doc.path());
            seen.add(evil.path());
            assertTrue(Files.exists(doc.path()), "the upload is on disk while the request runs");
            return ctx.form("title") + "|" + ctx.formAll("tag") + "|" + doc.filename() + "|" + doc.contentType() + "|"
                    + doc.size() + "|" + new String(doc.bytes(), StandardCharsets.UTF_8) + "|" + evil.filename()
                    + "|" + ctx.files("doc").size() + "|" + ctx.file("missing");
        });
        TestClient.of(app).post("/upload").form("title", "Zoë's report").form("tag", "a").form("tag", "b")
                .file("doc", "C:\\Users\\ada\\report.txt", "text/plain", "hello\r\n--not-a-boundary\r\n".getBytes(StandardCharsets.UTF_8))
                .file("evil", "../../etc/passwd", "application/octet-stream", new byte[] {1, 2, 3})
                .send().assertStatus(200)
                .assertBody("Zoë's report|[a, b]|report.txt|text/plain|25|hello\r\n--not-a-boundary\r\n|passwd|1|null");
        assertEquals(2, seen.size());
        for (Path p : seen) assertFalse(Files.exists(p), "temp file deleted when the request ended: " + p);
    }

    @Test
    void lastPathElementNeverLeavesAPath() {
        assertEquals("cv.pdf", Multipart.lastPathElement("C:\\Users\\ada\\cv.pdf"));
        assertEquals("passwd", Multipart.lastPathElement("../../etc/passwd"));
        assertEquals("", Multipart.lastPathElement(".."));
        assertEquals("", Multipart.lastPathElement("a/"));
        assertEquals("ab.txt", Multipart.lastPathElement("a\u0000b.txt"));
    }

    @Test
    void binaryContentSurvivesEveryWayTheBodyIsSplitIntoReads() throws IOException {
        byte[] content = new byte[200_000];
        new Random(42).nextBytes(content);
        // Plant prefixes of the delimiter "\r\n--XyZ", also where the 64 KiB buffer refills and at the very end.
        byte[] near = "\r\n--Xy\r\n--XyQ\r\n--X".getBytes(StandardCharsets.US_ASCII);
        for (int at : new int[] {0, 65_530, 131_070, content.length - near.length}) {
            System.arraycopy(near, 0, content, at, near.length);
        }
        byte[] body = concat("preamble to ignore\r\n--XyZ  \r\n"
                + "Content-Disposition: form-data; name=\"f\"; filename=\"data.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n", content,
                "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--XyZ--\r\nepilogue");
        for (int maxRead : new int[] {1, 7, 4096, 65_536, Integer.MAX_VALUE}) {
            Forms.Data data = Multipart.parse(trickle(body, maxRead), "multipart/form-data; boundary=\"XyZ\"", config(Map.of()));
            try {
                UploadedFile f = data.files().get("f").get(0);
                assertEquals(content.length, f.size());
                assertArrayEquals(content, f.bytes(), "read size " + maxRead);
                assertEquals(List.of("1"), data.fields().get("x"));
            } finally {
                data.deleteFiles();
            }
        }
    }

    @Test
    void anUploadOverTheLimitIs413AndLeavesNoTempFileBehind() throws IOException {
        App app = app(Map.of("CARAFE_MAX_UPLOAD_BYTES", "1024"));
        app.post("/upload", ctx -> ctx.file("b").size());
        TestClient c = TestClient.of(app);
        c.post("/upload").file("a", "small.txt", "text/plain", new byte[1024]).file("b", "big.bin", "application/x", new byte[1025])
                .acceptJson().send().assertStatus(413).assertBodyContains("big.bin").assertBodyContains("MAX_UPLOAD_BYTES");
        assertEquals(0, tempFiles(), "the first file, complete, was deleted with the failed parse");
        c.post("/upload").file("b", "ok.bin", "application/x", new byte[1024]).send().assertStatus(200).assertBody("1024");
        assertEquals(0, tempFiles());
    }

    @Test
    void fieldMemoryAndPartCountAreBounded() {
        App app = app(Map.of("CARAFE_MAX_FORM_MEMORY_BYTES", "100", "CARAFE_MAX_FORM_PARTS", "3"));
        app.post("/f", ctx -> ctx.formMap().size());
        TestClient c = TestClient.of(app);
        c.post("/f").file("x", "x", "text/plain", new byte[1]).form("a", "y".repeat(60)).form("b", "z".repeat(60))
                .send().assertStatus(413).assertBodyContains("MAX_FORM_MEMORY_BYTES");
        c.post("/f").file("x", "x", "text/plain", new byte[1]).form("a", "1").form("b", "2").form("c", "3")
                .send().assertStatus(413).assertBodyContains("MAX_FORM_PARTS");
        c.post("/f").file("x", "x", "text/plain", new byte[1]).form("a", "1").form("b", "2").send().assertStatus(200).assertBody("2");
    }

    @Test
    void malformedBodiesAre400WithAReason() {
        App app = app(Map.of());
        app.post("/f", ctx -> ctx.formMap().toString());
        TestClient c = TestClient.of(app);
        String part = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n";
        c.post("/f").body(part + "--b--\r\n", "multipart/form-data").send().assertStatus(400).assertBodyContains("boundary");
        c.post("/f").body(part + "--b--\r\n", "multipart/form-data; boundary=" + "x".repeat(71)).send().assertStatus(400);
        c.post("/f").body(part, "multipart/form-data; boundary=b").send().assertStatus(400).assertBodyContains("closing delimiter");
        c.post("/f").body("--b\r\nno colon here\r\n\r\nv\r\n--b--", "multipart/form-data; boundary=b").send()
                .assertStatus(400).assertBodyContains("header");
        c.post("/f").body("--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--", "multipart/form-data; boundary=b").send()
                .assertStatus(400).assertBodyContains("Content-Disposition");
        c.post("/f").body("--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--b--", "multipart/form-data; boundary=b")
                .send().assertStatus(400);
        c.post("/f").body("--bgarbage\r\n", "multipart/form-data; boundary=b").send().assertStatus(400);
        c.post("/f").body("just text", "multipart/form-data; boundary=b").send().assertStatus(400);
        c.post("/f").body("--b\r\nContent-Disposition: form-data; name=\"h\"\r\n" + "X: y\r\n".repeat(2000),
                "multipart/form-data; boundary=b").send().assertStatus(400).assertBodyContains("longer than");
        c.post("/f").body(part + "--b--\r\n", "multipart/form-data; boundary=b").send().assertStatus(200).assertBody("{a=[v]}");
    }

    @Test
    void anEmptyFileInputIsNoFileAndNonAsciiNamesSurvive() {
        App app = app(Map.of());
        app.post("/f", ctx -> String.valueOf(ctx.file("none")) + "|" + ctx.file("doc").filename());
        String body = "--b\r\nContent-Disposition: form-data; name=\"none\"; filename=\"\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"r\u00e9sum\u00e9 \\\"v2\\\".pdf\"\r\n\r\n%PDF\r\n--b--\r\n";
        TestClient.of(app).post("/f").body(body, "multipart/form-data; boundary=b").send().assertStatus(200)
                .assertBody("null|résumé \"v2\".pdf");
    }

    @Test
    void overARealServerAChunkedUploadPastTheBodyLimitIs413NotA500() throws Exception {
        App app = app(Map.of());
        app.post("/f", ctx -> String.valueOf(ctx.file("a").size()));
        try (Server server = app.start(ServerConfig.builder().port(0).accessLog(null).maxBodyBytes(10_000).build())) {
            TestClient.remote(server.url()).post("/f").file("a", "a.bin", "application/x", new byte[5000]).send()
                    .assertStatus(200).assertBody("5000");
            String head = "POST /f HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nAccept: application/json\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\n\r\n";
            byte[] part = ("--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a\"\r\n\r\n" + "x".repeat(20_000))
                    .getBytes(StandardCharsets.US_ASCII);
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write((Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(part); // the chunk alone passes the limit: the server stops reading there
                out.flush();
                String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(response.startsWith("HTTP/1.1 413 "), response);
                assertTrue(response.toLowerCase().contains("connection: close"), response);
            }
            assertEquals(0, tempFiles());
        }
    }

    @Test
    void aClientThatStopsSendingMidUploadGetsA400AndLeavesNoTempFile() throws Exception {
        App app = app(Map.of());
        app.post("/f", ctx -> String.valueOf(ctx.file("a").size()));
        try (Server server = app.start(ServerConfig.builder().port(0).accessLog(null).build())) {
            String head = "POST /f HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\n\r\n";
            String partial = "--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a\"\r\n\r\n" + "x".repeat(1000);
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write((head + partial).getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput(); // the upload is cancelled: no more bytes will come
                String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(response.startsWith("HTTP/1.1 400 "), response);
                assertTrue(response.toLowerCase().contains("connection: close"), response);
            }
            assertEquals(0, tempFiles());
            TestClient.remote(server.url()).post("/f").file("a", "a", "text/plain", new byte[10]).send().assertBody("10");
        }
    }

    @Test
    void mangledBodiesGiveA4xxOrAParseNeverAnotherException() throws IOException {
        byte[] valid = ("pre\r\n--bb\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n"
                + "--bb\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                + "file\r\ncontent\r\n--bb--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] alphabet = "\r\n-b\";=: ax".getBytes(StandardCharsets.US_ASCII);
        Random random = new Random(1234);
        Config config = config(Map.of("CARAFE_MAX_UPLOAD_BYTES", "64"));
        int parsed = 0, refused = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] body = valid.clone();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(body.length);
                switch (random.nextInt(3)) {
                    case 0 -> body[at] = alphabet[random.nextInt(alphabet.length)];
                    case 1 -> body = java.util.Arrays.copyOf(body, at); // truncated
                    default -> {
                        byte[] longer = new byte[body.length + 1];
                        System.arraycopy(body, 0, longer, 0, at);
                        longer[at] = alphabet[random.nextInt(alphabet.length)];
                        System.arraycopy(body, at, longer, at + 1, body.length - at);
                        body = longer;
                    }
                }
                if (body.length == 0) break;
            }
            try {
                Multipart.parse(new ByteArrayInputStream(body), "multipart/form-data; boundary=bb", config).deleteFiles();
                parsed++;
            } catch (HttpError e) {
                assertTrue(e.status() == 400 || e.status() == 413, e.status() + " " + e.getMessage());
                refused++;
            }
        }
        assertTrue(parsed > 100 && refused > 100, parsed + " parsed, " + refused + " refused");
        assertEquals(0, tempFiles());
    }

    @Test
    void theBoundaryParameterIsRequired() {
        assertThrows(HttpError.class, () -> Multipart.boundary("multipart/form-data; charset=utf-8"));
        assertEquals("a b", Multipart.boundary("multipart/form-data; BOUNDARY=\"a b\""));
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] h = head.getBytes(StandardCharsets.UTF_8), t = tail.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + middle.length + t.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(middle, 0, all, h.length, middle.length);
        System.arraycopy(t, 0, all, h.length + middle.length, t.length);
        return all;
    }

    /** A stream that returns at most {@code max} bytes per read, as a slow network would. */
    private static InputStream trickle(byte[] bytes, int max) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, max));
            }
        };
    }
}
