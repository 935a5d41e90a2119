package dev.carafe.staticfiles;

import dev.carafe.Context;
import dev.carafe.Endpoint;
import dev.carafe.HttpError;
import dev.carafe.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Locale;
import java.util.jar.JarEntry;

/**
 * Serves the files of a folder, or of a folder on the classpath, as an endpoint for a route with a
 * {@code {filename:path}} parameter. Every file gets its content type, {@code ETag} and
 * {@code Last-Modified} (so revisits are {@code 304}s), {@code Range} support ({@code 206}) and gzip
 * for text-like types; see {@link Reply#file(Path)}.
 *
 * <pre>{@code
 * app.staticFiles("/assets", Path.of("web/assets"));          // GET /assets/app.js → web/assets/app.js
 * app.staticFiles("/docs", StaticFiles.classpath("public/docs").maxAge(Duration.ofHours(1)));
 * }</pre>
 *
 * <p>An app serves {@code /static} from the folder {@code static/} (or, failing that, the classpath
 * folder {@code static/}) by itself, like Flask: see {@link App}.
 *
 * <p>No request can reach outside the folder: names with {@code ..} or {@code .} segments (also
 * percent-encoded), encoded slashes or backslashes, NUL or other control characters are a {@code 400};
 * files whose real path (after symbolic links) lies outside the folder, hidden files (names starting
 * with a dot), directories and missing files are a {@code 404}.
 *
 * <p>In debug mode nothing is cached: every request reads the file from disk and compresses it afresh.
 */
public final class StaticFiles implements Endpoint {
    /** The name of the path parameter the route must declare, as in Flask's {@code url_for('static', filename=...)}. */
    public static final String PARAM = "filename";

    private final Path folder;
    private final String resourceBase;
    private final ClassLoader loader;
    private Duration maxAge;

    private StaticFiles(Path folder, String resourceBase, ClassLoader loader) {
        this.folder = folder;
        this.resourceBase = resourceBase;
        this.loader = loader;
    }

    /** The files under {@code folder} on disk. */
    public static StaticFiles folder(Path folder) {
        return new StaticFiles(folder.toAbsolutePath().normalize(), null, null);
    }

    /** The resources under {@code folder} on the classpath (in a directory or a jar), e.g. {@code "static"}. */
    public static StaticFiles classpath(String folder) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return classpath(folder, loader != null ? loader : StaticFiles.class.getClassLoader());
    }

    /** The resources under {@code folder} as {@code loader} finds them. */
    public static StaticFiles classpath(String folder, ClassLoader loader) {
        String base = trimSlashes(folder);
        return new StaticFiles(null, base.isEmpty() ? "" : base + "/", loader);
    }

    /**
     * Flask's lookup of an app's static folder: {@code folder} in the working directory when it is a
     * directory there, else the classpath folder of that name as {@code loader} finds it; {@code null}
     * when neither exists.
     */
    public static StaticFiles locate(String folder, ClassLoader loader) {
        if (Files.isDirectory(Path.of(folder))) return folder(Path.of(folder));
        if (loader == null || loader.getResource(trimSlashes(folder) + "/") == null) return null;
        return classpath(folder, loader);
    }

    /** {@code path} without leading and trailing slashes (no regex: apps call this at startup). */
    static String trimSlashes(String path) {
        int from = 0, to = path.length();
        while (from < to && path.charAt(from) == '/') from++;
        while (to > from && path.charAt(to - 1) == '/') to--;
        return path.substring(from, to);
    }

    /**
     * Lets browsers reuse files for {@code maxAge} without asking ({@code Cache-Control: public, max-age=N});
     * for file names that change with their content. Without it, browsers revalidate every time
     * ({@code no-cache}), which the {@code ETag} makes a cheap {@code 304}.
     */
    public StaticFiles maxAge(Duration maxAge) {
        this.maxAge = maxAge;
        return this;
    }

    @Override
    public Object handle(Context ctx) {
        // The router decodes %2F into a slash inside the parameter; refuse it here, where it could
        // otherwise pass for a separator.
        String raw = ctx.request().path().toLowerCase(Locale.ROOT);
        if (raw.contains("%2f") || raw.contains("%5c") || raw.contains("%00")) throw new HttpError(400, "Invalid file path");
        return reply(ctx, ctx.pathParam(PARAM));
    }

    /**
     * The file named {@code name} (relative, with {@code /} separators), as {@link #handle} sends it:
     * a 404 when it does not exist, a 400 or 404 when the name would leave the folder.
     */
    public Reply reply(Context ctx, String name) {
        String relative = checkName(name);
        FileBody body = folder != null ? fromFolder(relative) : fromClasspath(relative);
        if (body == null) throw new HttpError(404);
        Reply reply = Reply.file(body);
        boolean debug = ctx.app().debug();
        reply.header("Cache-Control", maxAge == null || debug ? "no-cache" : "public, max-age=" + maxAge.toSeconds());
        return reply;
    }

    /** Checks a requested name segment by segment; returns it when it stays inside the folder. */
    static String checkName(String name) {
        if (name.isEmpty()) throw new HttpError(404);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') throw new HttpError(400, "Invalid file path");
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) throw new HttpError(400, "Invalid file path");
            if (segment.isEmpty() || segment.startsWith(".")) throw new HttpError(404); // a directory, or a hidden file
        }
        return name;
    }

    private FileBody fromFolder(String relative) {
        try {
            Path file = folder.resolve(relative);
            Path real = file.toRealPath();
            // A symbolic link may point anywhere: what counts is where the file really is.
            if (!real.startsWith(folder.toRealPath())) return null;
            BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) return null;
            return new FileBody(real.getFileName().toString(), attrs.size(), attrs.lastModifiedTime().toMillis(),
                    () -> Files.newInputStream(real), real.toString());
        } catch (NoSuchFileException | InvalidPathException e) {
            return null;
        } catch (IOException e) {
            if (e instanceof java.nio.file.FileSystemException) return null; // name too long, not a directory, ...
            throw new UncheckedIOException(e);
        }
    }

    private FileBody fromClasspath(String relative) {
        String name = resourceBase + relative;
        URL url = loader.getResource(name);
        if (url == null) return null;
        String file = relative.substring(relative.lastIndexOf('/') + 1);
        try {
            switch (url.getProtocol()) {
                case "file" -> {
                    Path path = Path.of(url.toURI());
                    BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
                    if (!attrs.isRegularFile()) return null;
                    return new FileBody(file, attrs.size(), attrs.lastModifiedTime().toMillis(),
                            () -> Files.newInputStream(path), url.toString());
                }
                case "jar" -> {
                    JarURLConnection connection = (JarURLConnection) url.openConnection();
                    JarEntry entry = connection.getJarEntry();
                    // A jar finds "dir" as its entry "dir/": a directory is not a file.
                    if (entry == null || entry.isDirectory() || entry.getSize() < 0) return null;
                    return new FileBody(file, entry.getSize(), Math.max(0, entry.getTime()), url::openStream, url.toString());
                }
                default -> {
                    // Other class loaders (nested jars, jrt:): trust what the connection reports.
                    URLConnection connection = url.openConnection();
                    long length = connection.getContentLengthLong();
                    if (length < 0) {
                        byte[] bytes;
                        try (InputStream in = connection.getInputStream()) {
                            bytes = in.readAllBytes();
                        }
                        return new FileBody(file, bytes.length, 0, () -> new java.io.ByteArrayInputStream(bytes), url.toString());
                    }
                    return new FileBody(file, length, Math.max(0, connection.getLastModified()), url::openStream, url.toString());
                }
            }
        } catch (URISyntaxException | InvalidPathException | NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
