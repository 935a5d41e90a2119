package dev.carafe.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code carafe new NAME [--template web|api|minimal]}: a Maven project that depends on the
 * installed Carafe through its BOM. The templates are resources of this jar
 * ({@code templates/<template>/files.txt} lists each file and where it goes); {@code {{name}}},
 * {@code {{package}}}, {@code {{Class}}} and {@code {{version}}} are filled in.
 */
final class NewProject {
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch",
            "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally",
            "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new",
            "package", "private", "protected", "public", "return", "short", "static", "strictfp", "super", "switch",
            "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null",
            "var", "record", "yield", "sealed", "permits", "java", "javax");

    private NewProject() {}

    /** Creates {@code name} in {@code env.cwd()} and returns its folder. */
    static Path create(Env env, String name, String template, String version) {
        Path target = env.cwd().resolve(name);
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new CliError(name + " exists and is not a folder; pick another name");
        }
        if (Files.isDirectory(target) && !isEmpty(target)) {
            throw new CliError("the folder " + name + " already exists and is not empty; pick another name or remove it");
        }
        String pkg = packageName(name);
        Map<String, String> values = Map.of("{{name}}", name, "{{package}}", pkg, "{{Class}}", className(name),
                "{{version}}", version);
        try {
            for (String line : resource("templates/" + template + "/files.txt").lines().toList()) {
                if (line.isBlank()) continue;
                String[] parts = line.trim().split("\\s+");
                String text = fill(resource("templates/" + parts[0]), values);
                String dest = parts[1].replace("__package__", pkg.replace('.', '/')).replace("__Class__", className(name));
                Path p = target.resolve(dest);
                Files.createDirectories(p.getParent());
                Files.writeString(p, text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** {@code my-app} → {@code myapp}; a Java keyword gets a suffix ({@code new} → {@code newapp}). */
    static String packageName(String name) {
        String p = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return KEYWORDS.contains(p) ? p + "app" : p;
    }

    /** {@code my-app} → {@code MyApp}, {@code demo} → {@code DemoApp}. */
    static String className(String name) {
        StringBuilder sb = new StringBuilder();
        for (String word : name.split("[-_]+")) {
            if (!word.isEmpty()) sb.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        String c = sb.toString();
        return c.endsWith("App") ? c : c + "App";
    }

    private static String fill(String text, Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) text = text.replace(e.getKey(), e.getValue());
        return text;
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = NewProject.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing template resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
