package dev.carafe.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code //DEPS group:artifact:version} lines of a single-file app, as in JBang, and their
 * resolution: a throw-away pom listing them, Maven's {@code dependency:build-classpath} once (from
 * Maven Central into the local repository, transitive dependencies included), and the answer kept
 * in the cache under a hash of the lines. A second run with the same lines starts without Maven.
 *
 * <pre>{@code
 * //DEPS com.google.guava:guava:33.4.0-jre
 * //DEPS org.xerial:sqlite-jdbc:3.47.1.0, com.h2database:h2:2.3.232
 * }</pre>
 */
final class Deps {
    private static final Pattern COORDINATE = Pattern.compile("[\\w.\\-]+:[\\w.\\-]+:[\\w.\\-]+(:[\\w.\\-]+)?");

    private Deps() {}

    /** The coordinates named by the file's {@code //DEPS} lines, in order, each once. */
    static List<String> parse(Path file, List<String> lines) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("//DEPS")) continue;
            String rest = line.substring("//DEPS".length());
            if (!rest.isEmpty() && !Character.isWhitespace(rest.charAt(0))) continue; // //DEPSX is just a comment
            String[] coords = rest.strip().split("[\\s,]+");
            if (coords.length == 1 && coords[0].isEmpty()) {
                throw new CliError(file.getFileName() + ":" + (i + 1) + ": //DEPS names no dependency; write //DEPS group:artifact:version");
            }
            for (String c : coords) {
                if (!COORDINATE.matcher(c).matches()) {
                    throw new CliError(file.getFileName() + ":" + (i + 1) + ": '" + c
                            + "' is not a Maven coordinate; write //DEPS group:artifact:version (e.g. com.google.guava:guava:33.4.0-jre)");
                }
                out.add(c);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The jars of {@code coords} and their dependencies, minus the artifacts already on
     * {@code base} (Carafe's own runtime, which wins since it is loaded first).
     */
    static List<Path> resolve(List<String> coords, List<Path> base, Env env, String version) {
        if (coords.isEmpty()) return List.of();
        Path cache = env.cacheDir().resolve("deps").resolve(hash(version + "\n" + String.join("\n", coords)) + ".classpath");
        try {
            List<Path> jars = read(cache);
            if (jars == null) {
                env.err().println("carafe: resolving " + String.join(", ", coords) + " (once; cached after)");
                String cp = classPath(env, pom(coords, ""), "cannot resolve the //DEPS " + String.join(", ", coords)
                        + " (is each one on Maven Central?)");
                Files.createDirectories(cache.getParent());
                Files.writeString(cache, cp);
                jars = read(cache);
            }
            Set<Path> baseArtifacts = new HashSet<>();
            for (Path b : base) if (b.getParent() != null && b.getParent().getParent() != null) baseArtifacts.add(b.getParent().getParent());
            List<Path> extra = new ArrayList<>();
            for (Path j : jars) {
                if (base.contains(j) || (j.getParent() != null && baseArtifacts.contains(j.getParent().getParent()))) continue;
                extra.add(j);
            }
            return extra;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cached class path, or null when absent or when a jar has since gone from the local repository. */
    private static List<Path> read(Path cache) throws IOException {
        if (!Files.isRegularFile(cache)) return null;
        String text = Files.readString(cache).strip();
        List<Path> jars = new ArrayList<>();
        if (!text.isEmpty()) for (String s : text.split(java.io.File.pathSeparator)) jars.add(Path.of(s));
        for (Path j : jars) if (!Files.exists(j)) return null;
        return jars;
    }

    /**
     * Writes the class path of a single-file app's base, Carafe and SLF4J's simple logger at the
     * versions of the installed BOM, to {@code target}: the launcher puts it on the JVM's class path.
     */
    static void writeRuntime(Env env, String version, Path target) {
        String bom = """
                  <dependencyManagement><dependencies><dependency><groupId>dev.carafe</groupId><artifactId>carafe-bom</artifactId>
                    <version>%s</version><type>pom</type><scope>import</scope></dependency></dependencies></dependencyManagement>
                """.formatted(version);
        String pom = pom(List.of("dev.carafe:carafe:", "org.slf4j:slf4j-simple:"), bom);
        String cp = classPath(env, pom, "cannot resolve Carafe " + version + " from the local Maven repository (did its install fail?)");
        try {
            Files.writeString(target, cp + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Maven's runtime class path of a throw-away project with {@code pom} as its pom.xml. */
    private static String classPath(Env env, String pom, String failure) {
        try {
            Path dir = Files.createTempDirectory("carafe-deps");
            try {
                Path out = dir.resolve("classpath.txt");
                Files.writeString(dir.resolve("pom.xml"), pom);
                new Maven(env).run(dir, List.of(Maven.BUILD_CLASSPATH, "-Dmdep.outputFile=" + out, "-Dmdep.includeScope=runtime"), failure);
                return Files.readString(out).strip();
            } finally {
                for (String f : new String[] {"classpath.txt", "pom.xml"}) Files.deleteIfExists(dir.resolve(f));
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A pom depending on {@code coords} (group:artifact:version[:classifier]; an empty version is left to {@code extra}'s BOM). */
    static String pom(List<String> coords, String extra) {
        StringBuilder deps = new StringBuilder();
        for (String c : coords) {
            String[] p = c.split(":");
            deps.append("    <dependency><groupId>").append(p[0]).append("</groupId><artifactId>").append(p[1])
                    .append("</artifactId>");
            if (p.length > 2 && !p[2].isEmpty()) deps.append("<version>").append(p[2]).append("</version>");
            if (p.length == 4) deps.append("<classifier>").append(p[3]).append("</classifier>");
            deps.append("</dependency>\n");
        }
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>carafe.single-file</groupId>
                  <artifactId>deps</artifactId>
                  <version>0</version>
                  <packaging>pom</packaging>
                %s  <dependencies>
                %s  </dependencies>
                </project>
                """.formatted(extra, deps);
    }

    static String hash(String s) {
        return hash(s.getBytes(StandardCharsets.UTF_8));
    }

    static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
