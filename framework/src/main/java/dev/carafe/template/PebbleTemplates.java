package dev.carafe.template;

import dev.carafe.Config;
import dev.carafe.HttpError;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.LoaderException;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.Extension;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.loader.FileLoader;
import io.pebbletemplates.pebble.loader.Loader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Carafe's default {@link TemplateEngine}: <a href="https://pebbletemplates.io">Pebble</a>, whose
 * syntax is Jinja's ({@code {% extends %}}, {@code {% block %}}, {@code {{ x | upper }}}).
 * Templates named {@code *.html}, {@code *.htm}, {@code *.xhtml}, {@code *.xml} and {@code *.svg}
 * are autoescaped for HTML ({@code {{ x | raw }}} opts out); others (e.g. {@code mail.txt}) are not.
 * Besides Pebble's own, templates get {@code url_for()}, {@code get_flashed_messages()} and
 * {@code csrf_token()} (see {@link CarafeFunctions}).
 *
 * <pre>{@code
 * app.templates(PebbleTemplates.fromFolder(Path.of("src/main/resources/templates"), true));
 * }</pre>
 *
 * <p>Parsed templates are cached; with {@code reload} on, every render reads the file again, so
 * edits show at once (debug mode turns this on).
 */
public final class PebbleTemplates implements TemplateEngine {
    private final PebbleEngine escaping;
    private final PebbleEngine plain;
    private final String source;
    private final Loader<?> loader;

    /**
     * An engine over any Pebble loader, for full control. {@code source} describes where templates
     * come from, for error messages; {@code extensions} add filters, functions or tags.
     */
    public PebbleTemplates(Loader<?> loader, String source, boolean reload, Extension... extensions) {
        this.escaping = build(loader, reload, true, extensions);
        this.plain = build(loader, reload, false, extensions);
        this.source = source;
        this.loader = loader;
    }

    private static PebbleEngine build(Loader<?> loader, boolean reload, boolean escape, Extension... extensions) {
        return new PebbleEngine.Builder().loader(loader).cacheActive(!reload).autoEscaping(escape)
                .extension(new CarafeFunctions()).extension(extensions).build();
    }

    /** Templates from the classpath folder {@code root} (e.g. {@code "templates"}: {@code src/main/resources/templates}). */
    public static PebbleTemplates fromClasspath(String root, boolean reload) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        ClasspathLoader loader = new ClasspathLoader(cl == null ? PebbleTemplates.class.getClassLoader() : cl);
        loader.setPrefix(root);
        return new PebbleTemplates(loader, "classpath:" + root + "/", reload);
    }

    /** Templates from a folder on disk. */
    public static PebbleTemplates fromFolder(Path folder, boolean reload) {
        if (!Files.isDirectory(folder)) throw new IllegalArgumentException("Template folder does not exist: " + folder.toAbsolutePath());
        FileLoader loader = new FileLoader();
        loader.setPrefix(folder.toAbsolutePath().toString());
        return new PebbleTemplates(loader, folder.toAbsolutePath() + "/", reload);
    }

    /**
     * The engine an app gets by default: the folder named by config {@code TEMPLATE_FOLDER} when
     * set (dev mode points it at {@code src/main/resources/templates}), otherwise the classpath's
     * {@code templates/}. Reloads when {@code TEMPLATES_AUTO_RELOAD} is true, by default in debug mode.
     */
    public static PebbleTemplates forApp(Config config, boolean debug) {
        boolean reload = config.getBoolean("TEMPLATES_AUTO_RELOAD", debug);
        String folder = config.get("TEMPLATE_FOLDER");
        return folder != null && !folder.isBlank() ? fromFolder(Path.of(folder), reload) : fromClasspath("templates", reload);
    }

    /** Whether {@code name} is autoescaped for HTML, judged by its extension as Flask does. */
    static boolean escapes(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".html") || n.endsWith(".htm") || n.endsWith(".xhtml") || n.endsWith(".xml") || n.endsWith(".svg");
    }

    @Override
    public String render(String name, Map<String, Object> model) {
        StringWriter out = new StringWriter();
        try {
            (escapes(name) ? escaping : plain).getTemplate(name).evaluate(out, model);
        } catch (LoaderException e) {
            throw new TemplateException(name, 0, "Template not found: " + e.getPebbleMessage() + " in " + source, e);
        } catch (PebbleException e) {
            HttpError abort = httpError(e);
            if (abort != null) throw abort;
            String file = e.getFileName() != null ? e.getFileName() : name;
            int line = e.getLineNumber() == null ? 0 : e.getLineNumber();
            throw new TemplateException(file, line, e.getPebbleMessage(), e, excerpt(file, line));
        } catch (HttpError e) { // a deliberate abort from code the template called: keep its status
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new TemplateException(name, 0, "Rendering failed: " + e, e);
        }
        return out.toString();
    }

    /** Lines {@code line-2 .. line+2} of template {@code name}, numbered; null when it cannot be read. */
    private String excerpt(String name, int line) {
        if (line <= 0) return null;
        try (BufferedReader r = new BufferedReader(read(loader, name))) {
            StringBuilder sb = new StringBuilder();
            String text;
            for (int n = 1; (text = r.readLine()) != null && n <= line + 2; n++) {
                if (n >= line - 2) sb.append(n == line ? "> " : "  ").append(String.format("%4d  ", n)).append(text).append('\n');
            }
            return sb.isEmpty() ? null : sb.toString();
        } catch (IOException | RuntimeException e) { // only a nicety for the debug page
            return null;
        }
    }

    private static <K> Reader read(Loader<K> loader, String name) {
        return loader.getReader(loader.createCacheKey(name));
    }

    private static HttpError httpError(Throwable t) {
        for (; t != null; t = t.getCause()) if (t instanceof HttpError h) return h;
        return null;
    }

    @Override
    public String toString() {
        return "PebbleTemplates[" + source + "]";
    }
}
