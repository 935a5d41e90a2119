package dev.carafe.staticfiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.App;
import dev.carafe.Blueprint;
import dev.carafe.Config;
import dev.carafe.Reply;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import dev.carafe.staticfiles.FileSender;
import dev.carafe.staticfiles.StaticFiles;
import dev.carafe.testing.TestClient;
import dev.carafe.testing.TestResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFilesTest {
    @TempDir
    Path tmp;
    Path root;
    String css;

    @BeforeEach
    void files() throws IOException {
        root = Files.createDirectories(tmp.resolve("static"));
        Files.createDirectories(root.resolve("css"));
        css = "body { color: #333; }\n".repeat(200);
        Files.writeString(root.resolve("css/site.css"), css);
        Files.writeString(root.resolve("hello.txt"), "Hello, static world!");
        Files.write(root.resolve("logo.png"), new byte[2000]);
        Files.writeString(root.resolve("data.unknownext"), "?");
        Files.writeString(root.resolve(".env"), "SECRET_KEY=hidden");
        Files.writeString(tmp.resolve("secret.txt"), "TOP SECRET");
    }

    private App app(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("CARAFE_STATIC_FOLDER", root.toString());
        return new App(new Config(all, null));
    }

    private TestClient client() {
        return TestClient.of(app(Map.of()));
    }

    @Test
    void theStaticFolderIsServedByConventionWithTypesAndValidators() {
        App app = app(Map.of());
        TestClient c = TestClient.of(app);
        TestResponse r = c.get("/static/hello.txt").send().assertStatus(200).assertBody("Hello, static world!")
                .assertHeader("Content-Type", "text/plain; charset=utf-8").assertHeader("Accept-Ranges", "bytes")
                .assertHeader("X-Content-Type-Options", "nosniff").assertHeader("Cache-Control", "no-cache");
        assertTrue(r.header("ETag").matches("\"[0-9a-f]+-[0-9a-f]+\""), r.header("ETag"));
        assertTrue(r.header("Last-Modified").matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"),
                r.header("Last-Modified"));
        c.get("/static/css/site.css").send().assertStatus(200).assertHeader("Content-Type", "text/css; charset=utf-8")
                .assertHeader("Vary", "Accept-Encoding").assertBody(css);
        assertNull(c.get("/static/logo.png").send().assertHeader("Content-Type", "image/png").header("Vary"));
        c.get("/static/data.unknownext").send().assertHeader("Content-Type", "application/octet-stream");
        c.head("/static/hello.txt").send().assertStatus(200).assertBody("").assertHeader("ETag", r.header("ETag"));
        assertEquals("/static/css/site.css", app.urlFor("static", Map.of("filename", "css/site.css")));
    }

    @Test
    void theConventionCanBeTurnedOffAndYieldsToTheAppsOwnRoutes() {
        TestClient.of(app(Map.of("CARAFE_STATIC_FOLDER", ""))).get("/static/hello.txt").send().assertStatus(404);
        TestClient.of(app(Map.of("CARAFE_STATIC_FOLDER", tmp.resolve("nope").toString()))).get("/static/hello.txt").send().assertStatus(404);
        App own = app(Map.of());
        own.get("/static/{filename:path}", ctx -> "mine " + ctx.pathParam("filename"));
        TestClient.of(own).get("/static/hello.txt").send().assertBody("mine hello.txt");
        App moved = app(Map.of("CARAFE_STATIC_URL_PATH", "/assets", "CARAFE_STATIC_MAX_AGE", "1h"));
        TestClient.of(moved).get("/assets/hello.txt").send().assertStatus(200).assertHeader("Cache-Control", "public, max-age=3600");
    }

    @Test
    void blueprintsServeTheirOwnFoldersUnderTheirPrefix() throws IOException {
        Path adminFiles = Files.createDirectories(tmp.resolve("admin-static"));
        Files.writeString(adminFiles.resolve("admin.js"), "admin();");
        App app = app(Map.of());
        Blueprint admin = new Blueprint("admin", "/admin");
        admin.staticFiles("/static", adminFiles).name("static");
        app.register(admin);
        TestClient c = TestClient.of(app);
        c.get("/admin/static/admin.js").send().assertStatus(200).assertBody("admin();");
        c.get("/static/hello.txt").send().assertStatus(200); // the app's own folder is still there
        c.get("/admin/static/hello.txt").send().assertStatus(404);
        assertEquals("/admin/static/admin.js", app.urlFor("admin.static", Map.of("filename", "admin.js")));
    }

    @Test
    void conditionalRequestsAnswer304And412() throws IOException {
        TestClient c = client();
        TestResponse first = c.get("/static/hello.txt").send();
        String etag = first.header("ETag"), modified = first.header("Last-Modified");
        c.get("/static/hello.txt").header("If-None-Match", etag).send().assertStatus(304).assertBody("")
                .assertHeader("ETag", etag).assertHeader("Cache-Control", "no-cache");
        c.get("/static/hello.txt").header("If-None-Match", "\"other\", W/" + etag).send().assertStatus(304);
        c.get("/static/hello.txt").header("If-None-Match", "*").send().assertStatus(304);
        c.get("/static/hello.txt").header("If-None-Match", "\"other\"").send().assertStatus(200);
        c.get("/static/hello.txt").header("If-Modified-Since", modified).send().assertStatus(304);
        c.get("/static/hello.txt").header("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT").send().assertStatus(200);
        c.get("/static/hello.txt").header("If-Modified-Since", "not a date").send().assertStatus(200);
        // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
        c.get("/static/hello.txt").header("If-None-Match", "\"other\"").header("If-Modified-Since", modified).send().assertStatus(200);
        c.get("/static/hello.txt").header("If-Match", "\"other\"").send().assertStatus(412);
        c.get("/static/hello.txt").header("If-Match", etag).send().assertStatus(200);
        c.get("/static/hello.txt").header("If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT").send().assertStatus(412);

        // An edit changes the validators, so the old ones no longer match.
        Files.writeString(root.resolve("hello.txt"), "Hello, edited world!!");
        Files.setLastModifiedTime(root.resolve("hello.txt"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        TestResponse edited = c.get("/static/hello.txt").header("If-None-Match", etag).send().assertStatus(200)
                .assertBody("Hello, edited world!!");
        assertNotEquals(etag, edited.header("ETag"));
        c.get("/static/hello.txt").header("If-Modified-Since", modified).send().assertStatus(200);
    }

    @Test
    void singleRangesAre206AndBadOnesAre416OrIgnored() {
        TestClient c = client();
        String etag = c.get("/static/hello.txt").send().header("ETag");
        String text = "Hello, static world!"; // 20 bytes
        c.get("/static/hello.txt").header("Range", "bytes=0-4").send().assertStatus(206).assertBody("Hello")
                .assertHeader("Content-Range", "bytes 0-4/20");
        c.get("/static/hello.txt").header("Range", "bytes=-6").send().assertStatus(206).assertBody("world!")
                .assertHeader("Content-Range", "bytes 14-19/20");
        c.get("/static/hello.txt").header("Range", "bytes=7-").send().assertStatus(206).assertBody("static world!");
        c.get("/static/hello.txt").header("Range", "bytes=7-1000").send().assertStatus(206).assertBody("static world!")
                .assertHeader("Content-Range", "bytes 7-19/20");
        c.get("/static/hello.txt").header("Range", "bytes=-100").send().assertStatus(206).assertBody(text);
        c.get("/static/hello.txt").header("Range", "bytes=20-").send().assertStatus(416).assertHeader("Content-Range", "bytes */20");
        c.get("/static/hello.txt").header("Range", "bytes=99999999999999999999999-").send().assertStatus(416);
        c.get("/static/hello.txt").header("Range", "bytes=-0").send().assertStatus(416);
        // Several ranges: the whole file (documented); malformed or foreign units: ignored.
        c.get("/static/hello.txt").header("Range", "bytes=0-1,5-6").send().assertStatus(200).assertBody(text);
        for (String bad : new String[] {"bytes=5-2", "bytes=a-b", "lines=0-1", "bytes=", "bytes=--1"}) {
            c.get("/static/hello.txt").header("Range", bad).send().assertStatus(200).assertBody(text);
        }
        c.get("/static/hello.txt").header("Range", "bytes=0-4").header("If-Range", etag).send().assertStatus(206);
        c.get("/static/hello.txt").header("Range", "bytes=0-4").header("If-Range", "\"stale\"").send().assertStatus(200).assertBody(text);
        c.get("/static/hello.txt").header("Range", "bytes=0-4").header("If-Range", "Thu, 01 Jan 1970 00:00:00 GMT").send()
                .assertStatus(200);
    }

    @Test
    void anyRangeHeaderParsesToARangeInsideTheFileOrIsRefusedOrIgnored() {
        Random random = new Random(99);
        String alphabet = "bytes=0123456789-, B";
        for (int round = 0; round < 20_000; round++) {
            StringBuilder h = new StringBuilder(round % 2 == 0 ? "bytes=" : "");
            for (int i = random.nextInt(12); i > 0; i--) h.append(alphabet.charAt(random.nextInt(alphabet.length())));
            long length = 1 + random.nextInt(100);
            long[] r = FileSender.parseRange(h.toString(), length);
            if (r == null || r == FileSender.UNSATISFIABLE) continue;
            assertTrue(r[0] >= 0 && r[0] <= r[1] && r[1] < length, h + " on " + length + " → " + r[0] + "-" + r[1]);
        }
    }

    @Test
    void compressibleFilesAreGzippedForClientsThatAcceptIt() throws IOException {
        TestClient c = client();
        TestResponse gz = c.get("/static/css/site.css").header("Accept-Encoding", "br, gzip;q=0.8").send().assertStatus(200)
                .assertHeader("Content-Encoding", "gzip").assertHeader("Vary", "Accept-Encoding");
        assertTrue(gz.bodyBytes().length < css.length() / 5, "compressed: " + gz.bodyBytes().length);
        assertEquals(css, gunzip(gz.bodyBytes()));
        String plainTag = c.get("/static/css/site.css").send().header("ETag");
        assertTrue(gz.header("ETag").endsWith("-gzip\"") && !gz.header("ETag").equals(plainTag), gz.header("ETag"));
        c.get("/static/css/site.css").header("Accept-Encoding", "gzip").header("If-None-Match", gz.header("ETag")).send()
                .assertStatus(304).assertHeader("ETag", gz.header("ETag"));

        assertNull(c.get("/static/css/site.css").send().header("Content-Encoding"));
        assertNull(c.get("/static/css/site.css").header("Accept-Encoding", "gzip;q=0, br").send().header("Content-Encoding"));
        c.get("/static/css/site.css").header("Accept-Encoding", "*").send().assertHeader("Content-Encoding", "gzip");
        assertNull(c.get("/static/logo.png").header("Accept-Encoding", "gzip").send().header("Content-Encoding"));
        assertNull(c.get("/static/hello.txt").header("Accept-Encoding", "gzip").send().header("Content-Encoding"), "too small to gain");
        // A range is served from the plain file.
        c.get("/static/css/site.css").header("Accept-Encoding", "gzip").header("Range", "bytes=0-3").send().assertStatus(206)
                .assertBody("body");
    }

    @Test
    void compressedBytesAreCachedButDebugModeRereadsEveryTime() throws IOException {
        Path file = root.resolve("css/site.css");
        FileTime mtime = Files.getLastModifiedTime(file);
        App production = app(Map.of());
        App debug = app(Map.of()).debug(true);
        assertEquals(css, gunzip(TestClient.of(production).get("/static/css/site.css").header("Accept-Encoding", "gzip").send().bodyBytes()));
        // Same size and time, different content: only a cache would still answer the old bytes.
        String changed = css.replace("#333", "#444");
        Files.writeString(file, changed);
        Files.setLastModifiedTime(file, mtime);
        assertEquals(css, gunzip(TestClient.of(production).get("/static/css/site.css").header("Accept-Encoding", "gzip").send().bodyBytes()));
        TestResponse d = TestClient.of(debug).get("/static/css/site.css").header("Accept-Encoding", "gzip").send()
                .assertHeader("Cache-Control", "no-cache");
        assertEquals(changed, gunzip(d.bodyBytes()));
    }

    @Test
    void noRequestLeavesTheFolder() throws IOException {
        Files.createSymbolicLink(root.resolve("escape.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("inside.txt"), root.resolve("hello.txt"));
        TestClient c = client();
        String[][] attempts = {
                {"/static/css/../../secret.txt", "400"}, {"/static/%2e%2e/secret.txt", "400"}, {"/static/%2E%2E/secret.txt", "400"},
                {"/static/css/%2e%2e%2f%2e%2e%2fsecret.txt", "400"}, {"/static/css%2F..%2F..%2Fsecret.txt", "400"},
                {"/static/..%5c..%5csecret.txt", "400"}, {"/static/hello.txt%00.png", "400"}, {"/static/./hello.txt", "400"},
                {"/static/escape.txt", "404"}, {"/static/.env", "404"}, {"/static/css", "404"}, {"/static/css/", "404"},
                {"/static/missing.txt", "404"}, {"/static/hello.txt/x", "404"}, {"/static/a//b", "404"},
                {"/static/" + "x".repeat(5000), "404"}, {"/static/%zz", "400"},
        };
        for (String[] a : attempts) {
            TestResponse r = c.get(a[0]).send();
            assertEquals(Integer.parseInt(a[1]), r.status(), a[0] + " → " + r);
            assertFalse(r.body().contains("SECRET"), a[0]);
            assertFalse(r.body().contains("at dev.carafe"), "no stack trace for " + a[0]);
        }
        c.get("/static/inside.txt").send().assertStatus(200).assertBody("Hello, static world!");
    }

    @Test
    void classpathFoldersWorkFromJarsAndDirectories() throws IOException {
        Path jar = tmp.resolve("assets.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("public/"));
            out.putNextEntry(new JarEntry("public/js/"));
            out.putNextEntry(new JarEntry("public/js/app.js"));
            out.write("console.log('hi');".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry("secret.txt"));
            out.write("TOP SECRET".getBytes(StandardCharsets.UTF_8));
        }
        Path dir = Files.createDirectories(tmp.resolve("classes/web"));
        Files.writeString(dir.resolve("page.html"), "<p>hi</p>");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL(), tmp.resolve("classes").toUri().toURL()}, null)) {
            App app = app(Map.of("CARAFE_STATIC_FOLDER", ""));
            app.staticFiles("/js", StaticFiles.classpath("public/js", loader));
            app.staticFiles("/web", StaticFiles.classpath("/web/", loader)).name("web");
            TestClient c = TestClient.of(app);
            TestResponse r = c.get("/js/app.js").send().assertStatus(200).assertBody("console.log('hi');")
                    .assertHeader("Content-Type", "text/javascript; charset=utf-8");
            c.get("/js/app.js").header("If-None-Match", r.header("ETag")).send().assertStatus(304);
            c.get("/js/app.js").header("Range", "bytes=0-6").send().assertStatus(206).assertBody("console");
            c.get("/web/page.html").send().assertStatus(200).assertBody("<p>hi</p>").assertContentType("text/html");
            c.get("/js/../secret.txt").send().assertStatus(400);
            c.get("/js/%2e%2e/%2e%2e/secret.txt").send().assertStatus(400);
            c.get("/js/missing.js").send().assertStatus(404);
            assertEquals("/web/page.html", app.urlFor("web", Map.of("filename", "page.html")));
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            App app = app(Map.of("CARAFE_STATIC_FOLDER", ""));
            app.staticFiles("/p", StaticFiles.classpath("public", loader));
            TestClient.of(app).get("/p/js").send().assertStatus(404); // a directory entry, not a file
        }
    }

    @Test
    void replyFileAndSendFromDirectoryShareTheMachinery() {
        App app = app(Map.of("CARAFE_STATIC_FOLDER", ""));
        app.get("/report", ctx -> Reply.file(root.resolve("hello.txt")).attachment("report.txt"));
        app.get("/export", ctx -> Reply.file(root.resolve("hello.txt")).attachment("Überblick \"2024\".txt"));
        app.get("/gone", ctx -> ctx.sendFile(root.resolve("nothing.txt")));
        app.get("/dl/{name:path}", ctx -> ctx.sendFromDirectory(root, ctx.pathParam("name")));
        app.after((ctx, reply) -> reply.header("X-After", "seen"));
        TestClient c = TestClient.of(app);
        TestResponse r = c.get("/report").send().assertStatus(200).assertBody("Hello, static world!")
                .assertHeader("Content-Disposition", "attachment; filename=\"report.txt\"").assertHeader("X-After", "seen");
        c.get("/export").send().assertHeader("Content-Disposition",
                "attachment; filename=\"_berblick _2024_.txt\"; filename*=UTF-8''%C3%9Cberblick%20%222024%22.txt");
        assertNull(r.header("Cache-Control"));
        c.get("/report").header("If-None-Match", r.header("ETag")).send().assertStatus(304);
        c.get("/report").header("Range", "bytes=-1").send().assertStatus(206).assertBody("!");
        c.get("/gone").acceptJson().send().assertStatus(404);
        c.get("/dl/css/site.css").send().assertStatus(200).assertBody(css);
        c.get("/dl/../secret.txt").send().assertStatus(400);
        c.get("/dl/css/../../secret.txt").send().assertStatus(400).assertBodyLacks("SECRET");
        c.post("/report").send().assertStatus(405);
    }

    @Test
    void overARealServerBigFilesStreamWithLengthsAndRanges() throws Exception {
        byte[] big = new byte[3 << 20];
        new Random(7).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        App app = app(Map.of());
        try (Server server = app.start(ServerConfig.builder().port(0).accessLog(null).build())) {
            TestClient c = TestClient.remote(server.url());
            TestResponse whole = c.get("/static/big.bin").send().assertStatus(200).assertHeader("Content-Length", String.valueOf(big.length));
            assertArrayEquals(big, whole.bodyBytes());
            TestResponse part = c.get("/static/big.bin").header("Range", "bytes=1000000-1000009").send().assertStatus(206)
                    .assertHeader("Content-Length", "10");
            assertArrayEquals(java.util.Arrays.copyOfRange(big, 1_000_000, 1_000_010), part.bodyBytes());
            c.head("/static/big.bin").send().assertStatus(200).assertHeader("Content-Length", String.valueOf(big.length)).assertBody("");
            c.get("/static/css/site.css").header("Accept-Encoding", "gzip").send().assertHeader("Content-Encoding", "gzip");
            c.get("/static/css/%2e%2e/%2e%2e/secret.txt").send().assertStatus(400).assertBodyLacks("SECRET");
            c.get("/static/hello.txt").send().assertStatus(200).assertBody("Hello, static world!"); // still healthy
        }
    }

    private static String gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
